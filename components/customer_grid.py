"""The customer grid (streamlit-aggrid): one page of the book, rows selectable.

Only the selected rows' ids travel back from the browser (DataReturnMode.CUSTOM
with a small return function): the default return mode sends the whole table on
every event and breaks selection at 100,000 rows. The only JavaScript given to
the grid is the fixed code below; rows travel as data, which the grid never
evaluates, so customer text is always shown as text.
"""

from collections.abc import Sequence

import pandas as pd
from sqlalchemy.engine import Row
from st_aggrid import AgGrid, DataReturnMode, JsCode

from models.choices import payment_terms_label
from services import reference
from services.customer_columns import BookColumn

_RETURN_SELECTED_IDS = JsCode(
    """function({streamlitRerunEventTriggerName, eventData}) {
        return {selected: eventData.api.getSelectedRows().map(r => r.id)};
    }"""
)
_ROW_ID = JsCode("function(params) { return String(params.data.id); }")
ROW_PX = 29
CHROME_PX = 110  # header and floating filters
NUMERIC = ("percent", "payment_terms_number", "id")


def _display(column: BookColumn, values: pd.Series) -> pd.Series:
    """One column as the grid shows it, converted in one pass (a page has 1,000 rows)."""
    if column.kind == "country":
        return values.map(reference.countries(), na_action="ignore").fillna(values)
    if column.kind == "payment_terms":
        return values.map(payment_terms_label, na_action="ignore")
    if column.kind == "bool":
        return values.map({True: "Yes", False: "No"})
    if column.kind == "percent":
        return values.astype(float)
    if column.kind == "status":
        return values.str.capitalize()
    if column.kind == "datetime":
        return pd.to_datetime(values, utc=True).dt.strftime("%Y-%m-%d")
    if column.kind == "multi_choice":
        return values.map(lambda chosen: ", ".join(chosen), na_action="ignore")
    return values


def grid_frame(rows: Sequence[Row], columns: Sequence[BookColumn]) -> pd.DataFrame:
    """A fresh frame for the grid (AgGrid adds a column to what it is given). The rows'
    values come in the order of `columns`, as the page query selected them."""
    keys = [c.key for c in columns]
    frame = pd.DataFrame.from_records([tuple(r)[:len(keys)] for r in rows], columns=keys)
    for column in columns:
        frame[column.key] = _display(column, frame[column.key])
    return frame


def _column(column: BookColumn, shown: set[str]) -> dict:
    numeric = column.kind in NUMERIC
    return {
        "field": column.key,
        "headerName": column.label,
        "headerTooltip": column.label,
        "hide": column.key not in shown,
        "filter": "agNumberColumnFilter" if numeric else "agTextColumnFilter",
        "type": ["numericColumn"] if numeric else [],
        "minWidth": 220 if column.kind in ("email",) or column.key == "name" else 120,
    }


def grid_options(columns: Sequence[BookColumn], shown: Sequence[str]) -> dict:
    visible = set(shown)
    return {
        "columnDefs": [_column(c, visible) for c in columns],
        "defaultColDef": {"sortable": True, "resizable": True, "filter": True,
                          "floatingFilter": True, "flex": 1},
        "rowSelection": {"mode": "multiRow", "checkboxes": True, "headerCheckbox": True,
                         "enableClickSelection": True},
        "getRowId": _ROW_ID,
        "animateRows": False,
        # The server pages through the book (st.pagination under the grid); the grid
        # scrolls through the page it holds.
        "pagination": False,
        "suppressCellFocus": True,
    }


def customer_grid(rows: Sequence[Row], columns: Sequence[BookColumn], shown: Sequence[str], *,
                  key: str, height: int = 600) -> dict[int, int]:
    """Draw one page of the book; returns the selected rows' ids, each with the version the
    page read it at (a bulk action sends it back). A short list gets a shorter grid instead
    of an empty box."""
    response = AgGrid(
        grid_frame(rows, columns),
        gridOptions=grid_options(columns, shown),
        height=min(height, CHROME_PX + ROW_PX * max(len(rows), 3)),
        key=key,
        data_return_mode=DataReturnMode.CUSTOM,
        custom_jscode_for_grid_return=_RETURN_SELECTED_IDS,
        update_on=["selectionChanged"],
        theme="streamlit",
        show_toolbar=False,
        show_download_button=False,
        show_search=False,
    )
    data = response.raw_data if hasattr(response, "raw_data") else None
    selected = {int(i) for i in (data or {}).get("selected") or []}
    return {row.id: row.version for row in rows if row.id in selected}
