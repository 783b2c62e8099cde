"""The Customers page's search, filters, sort and columns, each kept in the URL.

A filtered grid is a link a colleague can open: typed values are bound to the URL
(bind="query-params"), choices go there as codes (`code_params`, components/url_codes.py).
The same state is what a saved view stores.
"""

from datetime import date
from typing import Any

import streamlit as st

from components.filter_widgets import widget
from components.url_codes import CodeParam
from services.builtin_columns import BookColumn
from services.customer_columns import book_columns, default_grid_columns
from services.customer_queries import STATUSES, CustomerQuery, sortable

# widget key (= URL parameter) -> default value, besides the filters'
DEFAULTS: dict[str, Any] = {"q": "", "status": "active", "sort": "name", "desc": False,
                            "cols": []}
STATUS_LABELS = {"active": "Active", "archived": "Archived", "all": "All"}


def filtered_columns() -> list[BookColumn]:
    """The columns with a filter: built-in ones as declared, then the custom fields."""
    return [c for c in book_columns().values() if c.filter is not None]


def _filter_defaults() -> dict[str, Any]:
    return {param: default for column in filtered_columns()
            for param, default in widget(column).defaults(column).items()}


def url_defaults() -> dict[str, Any]:
    """Every widget's default: search, status, sort and columns, then each filter's."""
    return {**DEFAULTS, **_filter_defaults()}


def code_params() -> list[CodeParam]:
    """The choice widgets whose URL values are codes: status, sort, columns and the filters
    that pick from a list."""
    found = (widget(c).code_param(c) for c in filtered_columns())
    return [CodeParam("status", DEFAULTS["status"], lambda: STATUSES),
            CodeParam("sort", DEFAULTS["sort"], sortable),
            CodeParam("cols", DEFAULTS["cols"], book_columns),
            *(param for param in found if param is not None)]


def state() -> dict[str, Any]:
    """The current filter state, as a saved view stores it (dates as ISO text)."""
    current = {key: st.session_state.get(key, default)
               for key, default in url_defaults().items()}
    for key, value in current.items():
        if isinstance(value, date):
            current[key] = value.isoformat()
    return current


def apply_state(saved: dict[str, Any]) -> None:
    """Put a saved view's state into the widgets (call from a callback)."""
    for key, default in url_defaults().items():
        value = saved.get(key, default)
        if default is None and isinstance(value, str):  # a date widget
            value = date.fromisoformat(value)
        st.session_state[key] = value


def clear_filters() -> None:
    for key, default in _filter_defaults().items():
        st.session_state[key] = default


def active_filters() -> int:
    """How many filters differ from their default. Read before the filter widgets are drawn,
    so a filter that so far lives only in the URL (an opened link) counts too."""
    return sum(
        1 for key, default in _filter_defaults().items()
        if key in st.query_params
        or st.session_state.get(key, default) not in (default, None, [], "")
    )


def search_box() -> None:
    st.text_input("Search", key="q", bind="query-params",
                  placeholder="Name, business name, any contact email, External ID or Tax ID")


def status_select() -> None:
    st.selectbox("Status", list(STATUSES), format_func=STATUS_LABELS.get, key="status")


def filter_panel() -> None:
    """The built-in filters where their declarations place them, then the custom fields'
    three to a row."""
    columns = filtered_columns()
    builtin = sorted((c for c in columns if c.custom_attr is None), key=lambda c: c.filter.panel)
    places = st.columns(3)
    for column in builtin:
        with places[column.filter.panel[0]]:
            widget(column).draw(column)
    custom = [c for c in columns if c.custom_attr is not None]
    if custom:
        st.markdown("**Custom fields**")
        places = st.columns(3)
        for index, column in enumerate(custom):
            with places[index % 3]:
                widget(column).draw(column)
    st.button("Clear filters", on_click=clear_filters, disabled=active_filters() == 0)


def column_chooser() -> None:
    """The grid's columns, in a popover by the grid's top edge."""
    columns = book_columns()
    with st.popover("Columns", icon="🗂️", width="stretch"):
        st.multiselect("Columns", list(columns), format_func=lambda k: columns[k].label,
                       key="cols", placeholder="The standard columns")


def sort_controls() -> None:
    columns = book_columns()
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox("Sort by", sortable(), format_func=lambda k: columns[k].label, key="sort")
    right.toggle("Descending", key="desc", bind="query-params")


def shown_columns() -> list[str]:
    """The chooser's columns; on a link's first run, the link's own (seeded from its codes
    before anything is drawn), so a column that is not a standard one (Default Payment
    Method) is in the first page too."""
    return list(st.session_state.get("cols") or default_grid_columns())


def current_query(*, offset: int = 0, limit: int = 1_000) -> CustomerQuery:
    s = state()
    state_now = st.session_state
    found = (widget(c).read(c, state_now) for c in filtered_columns())
    return CustomerQuery(
        search=s["q"] or None,
        filters=tuple(f for f in found if f is not None),
        status=s["status"],
        sort=s["sort"],
        descending=bool(s["desc"]),
        offset=offset,
        limit=limit,
        columns=tuple(shown_columns()),
    )
