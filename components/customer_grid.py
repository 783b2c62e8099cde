"""The customer grid (streamlit-aggrid): one page of the book, rows selectable.

Only the selected rows' ids travel back from the browser (DataReturnMode.CUSTOM
with a small return function): the default return mode sends the whole table on
every event and breaks selection at 100,000 rows. The only JavaScript given to
the grid is the fixed code below; rows travel as data, which the grid never
evaluates, so customer text is always shown as text.
"""

from collections.abc import Sequence
from datetime import datetime

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


def _cell(column: BookColumn, value):
    if value is None:
        return None
    if column.kind == "country":
        return reference.country_name(value)
    if column.kind == "payment_terms":
        return payment_terms_label(value)
    if column.kind == "bool":
        return "Yes" if value else "No"
    if column.kind == "percent":
        return float(value)
    if column.kind == "status":
        return value.capitalize()
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d")
    return value


def grid_frame(rows: Sequence[Row], columns: Sequence[BookColumn]) -> pd.DataFrame:
    """A fresh frame for the grid (AgGrid adds a column to what it is given)."""
    records = [{c.key: _cell(c, row._mapping[c.key]) for c in columns} for row in rows]
    return pd.DataFrame.from_records(records, columns=[c.key for c in columns])


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
                  key: str, height: int = 600) -> list[int]:
    """Draw one page of the book; returns the ids of the selected rows. A short list gets a
    shorter grid instead of an empty box."""
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
    selected = (data or {}).get("selected") or []
    return [int(i) for i in selected]
