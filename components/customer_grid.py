"""The customer grid (streamlit-aggrid): one page of the book, rows selectable.

Only the selected rows' ids travel back from the browser (DataReturnMode.CUSTOM
with a small return function): the default return mode sends the whole table on
every event and breaks selection at 100,000 rows. The only JavaScript given to
the grid is the fixed code below; rows travel as data, which the grid never
evaluates, so customer text is always shown as text.
"""

from collections.abc import Callable, Sequence

import pandas as pd
from sqlalchemy.engine import Row
from st_aggrid import AgGrid, DataReturnMode, JsCode

from models.choices import payment_terms_label
from models.kinds import Kind
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


def _same(values: pd.Series) -> pd.Series:
    return values


# How the grid shows each kind, converted one column at a time (a page has 1,000 rows).
DISPLAY: dict[Kind, Callable[[pd.Series], pd.Series]] = {
    Kind.COUNTRY: lambda v: v.map(reference.countries(), na_action="ignore").fillna(v),
    Kind.PAYMENT_TERMS: lambda v: v.map(payment_terms_label, na_action="ignore"),
    Kind.BOOL: lambda v: v.map({True: "Yes", False: "No"}),
    Kind.PERCENT: lambda v: v.astype(float),
    Kind.STATUS: lambda v: v.str.capitalize(),
    Kind.DATETIME: lambda v: pd.to_datetime(v, utc=True).dt.strftime("%Y-%m-%d"),
    Kind.MULTI_CHOICE: lambda v: v.map(", ".join, na_action="ignore"),
    **dict.fromkeys((Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.EMAIL_OR_DOMAIN, Kind.URL,
                     Kind.TAX_ID, Kind.ALIAS, Kind.STATE, Kind.CURRENCY, Kind.INTEGER,
                     Kind.DECIMAL, Kind.DATE, Kind.CHOICE, Kind.INVOICING_FLOW,
                     Kind.LEGAL_ENTITY, Kind.FIELD_KEY, Kind.ID), _same),
}
NUMERIC = frozenset({Kind.PERCENT, Kind.ID})  # right-aligned, with a number filter


def grid_frame(rows: Sequence[Row], columns: Sequence[BookColumn]) -> pd.DataFrame:
    """A fresh frame for the grid (AgGrid adds a column to what it is given). The rows'
    values come in the order of `columns`, as the page query selected them."""
    keys = [c.key for c in columns]
    frame = pd.DataFrame.from_records([tuple(r)[:len(keys)] for r in rows], columns=keys)
    for column in columns:
        frame[column.key] = DISPLAY[column.kind](frame[column.key])
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
        "minWidth": 220 if column.kind == Kind.EMAIL or column.key == "name" else 120,
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
