"""The customer grid (streamlit-aggrid): one page of the book, rows selectable, each
customer's name a link to its profile.

Only the selected rows' ids travel back from the browser (DataReturnMode.CUSTOM
with a small return function): the default return mode sends the whole table on
every event and breaks selection at 100,000 rows. The only JavaScript given to
the grid is the fixed code below; rows travel as data, which the grid never
evaluates, and the name link is built with DOM calls (its text set as textContent),
so customer text is always shown as text.

Opening a profile stays in the browser and in the same Streamlit session: the grid's
iframe may not navigate the page (its sandbox), and a page load would start a new
session. Going through Python would not do either: st.switch_page with query params
leaves two history entries, the first one the Customers page's address with the
profile's params, so Back would not return to the grid. So a plain click on a name, or
Enter on a focused row, adds the profile's address to the page's history and tells
Streamlit, as the browser's Back and Forward do (a popstate event): Streamlit opens the
page the address names, and Back returns to the grid's address with its filters, sort
and page. The link's address is the profile's real URL, so Ctrl-click or middle-click
opens it in a new tab.
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
# The profile's address, relative to the Customers page's own (as the Activity page's
# links are), and the move there (see the module's docstring). Where the page cannot be
# reached from the grid's frame, the profile opens in a new tab instead.
_PROFILE = """
    const profileUrl = (id) => {
        let base;
        try { base = window.parent.location.href; } catch (e) { base = document.referrer; }
        return new URL("customer?customer=" + encodeURIComponent(id), base).href;
    };
    const openProfile = (id) => {
        const url = profileUrl(id);
        try {
            window.parent.history.pushState({}, "", url);
            window.parent.dispatchEvent(new PopStateEvent("popstate", {state: {}}));
        } catch (e) {
            window.open(url, "_blank", "noopener");
        }
    };
    const plain = (e) => !e.ctrlKey && !e.metaKey && !e.shiftKey && !e.altKey;
"""
# The name cell: a link to the profile, its text set as text. A plain click opens the
# profile in this tab; other clicks do what links do. The link is no Tab stop of its own:
# the grid's cells are (arrow keys move between them, Enter opens the row's profile).
_NAME_LINK = JsCode(
    """class NameLink {
        init(params) {""" + _PROFILE + """
            const link = document.createElement("a");
            link.className = "customer-link";
            link.textContent = params.value == null ? "" : String(params.value);
            link.title = link.textContent;  // the whole name, where the cell cuts it short
            link.tabIndex = -1;
            const id = params.data ? params.data.id : null;
            if (id != null) {
                link.href = profileUrl(id);
                link.addEventListener("click", (e) => {
                    if (e.button === 0 && plain(e)) {
                        e.preventDefault();
                        openProfile(id);
                    }
                });
            }
            this.gui = link;
        }
        getGui() { return this.gui; }
        refresh() { return false; }
    }"""
)
_ENTER_OPENS = JsCode(
    """function(params) {""" + _PROFILE + """
        const e = params.event;
        if (e && e.key === "Enter" && plain(e) && params.data && params.data.id != null) {
            e.preventDefault();
            openProfile(params.data.id);
        }
    }"""
)
# The rows arrive sorted by the server, over the whole book: a header click asks the
# server (customer_grid returns the request) and the grid keeps the order it was given.
_KEEP_SERVER_ORDER = JsCode("function() { return 0; }")
_ROW_ID = JsCode("function(params) { return String(params.data.id); }")
ROW_PX = 29
CHROME_PX = 96  # the header row (labels wrap to two lines), borders, a scrollbar


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
                     Kind.DECIMAL, Kind.DATE, Kind.CHOICE, Kind.LEGAL_ENTITY, Kind.CUSTOMER,
                     Kind.FIELD_KEY, Kind.ID, Kind.PAYMENT_METHOD, Kind.TIMEZONE), _same),
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


# Widths that let the default columns fit a 1440 px window beside the sidebar and, at
# 390 px, the Name with one more column: each column at least its minWidth, the space left
# shared by flex. Headers wrap rather than truncate. The Name is pinned, and pinned
# columns take no flex: its width follows the grid's (_NAME_WIDTH_FOLLOWS).
WIDTHS: dict[Kind, tuple[int, int]] = {  # kind -> (minWidth, flex)
    Kind.TEXT: (120, 2),
    Kind.EMAIL: (140, 2),
    Kind.COUNTRY: (105, 1),
    Kind.CURRENCY: (80, 1),
    Kind.PAYMENT_TERMS: (80, 1),
    Kind.BOOL: (70, 1),
    Kind.PERCENT: (70, 1),
    Kind.DATETIME: (95, 1),
    Kind.ID: (70, 1),
    Kind.PAYMENT_METHOD: (170, 2),
}
OTHER_WIDTH = (100, 1)
_NAME_WIDTH_FOLLOWS = JsCode(
    """function(event) {
        const width = Math.max(140, Math.min(200, Math.round(event.clientWidth * 0.19)));
        event.api.setColumnWidths([{key: "name", newWidth: width}]);
    }"""
)


def _column(column: BookColumn, shown: set[str], sort: GridSort) -> dict:
    numeric = column.kind in NUMERIC
    name = column.key == "name"
    min_width, flex = WIDTHS.get(column.kind, OTHER_WIDTH)
    definition = {
        "field": column.key,
        "headerName": column.label,
        "headerTooltip": column.label,
        "hide": column.key not in shown,
        "sortable": column.sortable,
        "type": ["numericColumn"] if numeric else [],
        "minWidth": min_width,
        "flex": flex,
    }
    if name:
        del definition["flex"]
        definition |= {"pinned": "left", "lockPinned": True, "cellRenderer": _NAME_LINK,
                       "width": 180, "minWidth": 140}
    if column.key == sort.key:
        definition["sort"] = "desc" if sort.descending else "asc"
    return definition


def grid_options(columns: Sequence[BookColumn], shown: Sequence[str], sort: GridSort) -> dict:
    """Filters live in the panel above the grid, which filters the whole book; the grid has
    none of its own, which could only filter the page it holds. Rows are selected with
    their checkboxes (or Space on a focused row); a click on a name opens its profile."""
    visible = set(shown)
    return {
        "columnDefs": [_column(c, visible, sort) for c in columns],
        "defaultColDef": {"resizable": True, "filter": False, "wrapHeaderText": True,
                          "autoHeaderHeight": True, "comparator": _KEEP_SERVER_ORDER},
        "rowSelection": {"mode": "multiRow", "checkboxes": True, "headerCheckbox": True,
                         "enableClickSelection": False},
        "selectionColumnDef": {"pinned": "left", "width": 44, "minWidth": 44, "maxWidth": 44},
        "getRowId": _ROW_ID,
        "animateRows": False,
        "ensureDomOrder": True,  # screen readers and tests read rows in the order shown
        # The server pages through the book (st.pagination under the grid); the grid
        # scrolls through the page it holds.
        "pagination": False,
        "onGridSizeChanged": _NAME_WIDTH_FOLLOWS,
        "onCellKeyDown": _ENTER_OPENS,
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
