"""The customer grid (streamlit-aggrid): one page of the book, rows selectable.

Only the selected rows' ids travel back from the browser (DataReturnMode.CUSTOM
with a small return function): the default return mode sends the whole table on
every event and breaks selection at 100,000 rows. The only JavaScript given to
the grid is the fixed code below; rows travel as data, which the grid never
evaluates, so customer text is always shown as text.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Row
from st_aggrid import AgGrid, DataReturnMode, JsCode

from components.book_filters import DEFAULTS
from models.kinds import Kind
from services.customer_columns import BookColumn
from services.shown_values import SHOWN

# What travels back to Python: the selected rows' ids and the sort the headers ask for.
_RETURN_SELECTION_AND_SORT = JsCode(
    """function({streamlitRerunEventTriggerName, eventData}) {
        const sorted = eventData.api.getColumnState().filter(c => c.sort);
        return {selected: eventData.api.getSelectedRows().map(r => r.id),
                sort: sorted.length ? [sorted[0].colId, sorted[0].sort] : null};
    }"""
)
# The rows arrive sorted by the server, over the whole book: a header click asks the
# server (customer_grid returns the request) and the grid keeps the order it was given.
_KEEP_SERVER_ORDER = JsCode("function() { return 0; }")
_ROW_ID = JsCode("function(params) { return String(params.data.id); }")
ROW_PX = 29
CHROME_PX = 80  # the header row, borders and a horizontal scrollbar


def _same(values: pd.Series) -> pd.Series:
    return values


def _shown(to_text: Callable) -> Callable[[pd.Series], pd.Series]:
    return lambda values: values.map(to_text, na_action="ignore")


# How the grid shows each kind, converted one column at a time (a page has 1,000 rows):
# labels as services.shown_values has them (the exports write the same), numbers and dates
# as the grid's own cells want them.
DISPLAY: dict[Kind, Callable[[pd.Series], pd.Series]] = {
    **{kind: _shown(to_text) for kind, to_text in SHOWN.items()},
    Kind.PERCENT: lambda v: v.astype(float),
    Kind.DATETIME: lambda v: pd.to_datetime(v, utc=True).dt.strftime("%Y-%m-%d"),
    **dict.fromkeys((Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.EMAIL_OR_DOMAIN, Kind.URL,
                     Kind.TAX_ID, Kind.ALIAS, Kind.STATE, Kind.CURRENCY, Kind.INTEGER,
                     Kind.DECIMAL, Kind.DATE, Kind.CHOICE, Kind.LEGAL_ENTITY, Kind.FIELD_KEY,
                     Kind.ID), _same),
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


@dataclass(frozen=True)
class GridSort:
    """The book's order as the headers show it: a column's key and which way."""

    key: str
    descending: bool = False


def _column(column: BookColumn, shown: set[str], sort: GridSort) -> dict:
    numeric = column.kind in NUMERIC
    definition = {
        "field": column.key,
        "headerName": column.label,
        "headerTooltip": column.label,
        "hide": column.key not in shown,
        "sortable": column.sortable,
        "type": ["numericColumn"] if numeric else [],
        "minWidth": 220 if column.kind == Kind.EMAIL or column.key == "name" else 120,
    }
    if column.key == sort.key:
        definition["sort"] = "desc" if sort.descending else "asc"
    return definition


def grid_options(columns: Sequence[BookColumn], shown: Sequence[str], sort: GridSort) -> dict:
    """Filters live in the panel above the grid, which filters the whole book; the grid has
    none of its own, which could only filter the page it holds."""
    visible = set(shown)
    return {
        "columnDefs": [_column(c, visible, sort) for c in columns],
        "defaultColDef": {"resizable": True, "filter": False, "flex": 1,
                          "comparator": _KEEP_SERVER_ORDER},
        "rowSelection": {"mode": "multiRow", "checkboxes": True, "headerCheckbox": True,
                         "enableClickSelection": True},
        "getRowId": _ROW_ID,
        "animateRows": False,
        # The server pages through the book (st.pagination under the grid); the grid
        # scrolls through the page it holds.
        "pagination": False,
        "suppressCellFocus": True,
    }


@dataclass(frozen=True)
class GridAnswer:
    """The selected rows' ids, each with the version the page read it at (a bulk action
    sends it back), and the order a header click asked for, if it differs from `sort`."""

    selected: dict[int, int]
    sort: GridSort | None


def customer_grid(rows: Sequence[Row], columns: Sequence[BookColumn], shown: Sequence[str],
                  sort: GridSort, *, key: str, height: int = 600) -> GridAnswer:
    """Draw one page of the book, sorted by `sort` on the server. A short list gets a
    shorter grid instead of an empty box."""
    response = AgGrid(
        grid_frame(rows, columns),
        gridOptions=grid_options(columns, shown, sort),
        height=min(height, CHROME_PX + ROW_PX * max(len(rows), 3)),
        key=key,
        data_return_mode=DataReturnMode.CUSTOM,
        custom_jscode_for_grid_return=_RETURN_SELECTION_AND_SORT,
        update_on=["selectionChanged", "sortChanged"],
        theme="streamlit",
        show_toolbar=False,
        show_download_button=False,
        show_search=False,
    )
    data = (response.raw_data if hasattr(response, "raw_data") else None) or {}
    selected = {int(i) for i in data.get("selected") or []}
    # The grid keeps answering its last event on every rerun: only a new one is a click (an
    # old one would undo a change made with the Sort control since).
    seen = f"{key}.sort_seen"
    shown_order = [sort.key, "desc" if sort.descending else "asc"]
    fresh = "sort" in data and data["sort"] != st.session_state.get(seen, shown_order)
    if "sort" in data:
        st.session_state[seen] = data["sort"]
    return GridAnswer({row.id: row.version for row in rows if row.id in selected},
                      _asked(data["sort"], sort, columns) if fresh else None)


def _asked(raw: object, sort: GridSort, columns: Sequence[BookColumn]) -> GridSort | None:
    """The order the headers ask for, when it is a sortable column's and a new one. A header
    clicked back to no sort goes back to the default order."""
    if raw is None:
        asked = GridSort(DEFAULTS["sort"], DEFAULTS["desc"])
    elif (isinstance(raw, list) and len(raw) == 2 and raw[1] in ("asc", "desc")
          and any(c.key == raw[0] and c.sortable for c in columns)):
        asked = GridSort(raw[0], raw[1] == "desc")
    else:
        return None
    return None if asked == sort else asked
