"""Customers: the finance grid. Search, filters, saved views, charts, bulk actions and
exports over the whole book; the grid holds one page of it at a time."""

from dataclasses import replace

import streamlit as st

from components import book_filters, url_codes
from components.book_charts import book_charts
from components.bulk_actions import bulk_actions, undo_bar
from components.customer_form import PROFILE_PAGE
from components.customer_grid import GridSort, customer_grid
from components.export_panel import export_panel
from components.ids import parse_id
from components.match_count import match_summary, of_count, page_count
from components.new_customer_modal import new_customer_modal, open_new_customer
from components.saved_views_bar import saved_views_bar
from components.session import may_edit
from components.text import md_escape
from services.customer_queries import list_customers

PAGE_SIZES = (100, 500, 1_000)
SORT_ASKED = "customers.sort_asked"  # a header click, applied before the Sort control is drawn
SELECTION = "customers.selection"  # what the rows shown were chosen by, to see it change
EXACT_FOR = "customers.exact_for"  # the selection whose every match someone asked to count

if "customer" in st.query_params:
    st.switch_page(PROFILE_PAGE, query_params={"customer": st.query_params["customer"]})


title, action = st.columns([4, 1], vertical_alignment="bottom")
title.title("Customers")
editor = may_edit()
if editor:
    action.button("New Customer", type="primary", width="stretch", on_click=open_new_customer)
    new_customer_modal()

codes = book_filters.code_params()
url_codes.seed(codes)
asked = st.session_state.pop(SORT_ASKED, None)
if asked is not None:
    st.session_state["sort"], st.session_state["desc"] = asked.key, asked.descending

search, status = st.columns([4, 1])
with search:
    book_filters.search_box()
with status:
    book_filters.status_select()
active = book_filters.active_filters()
with st.expander(f"Filters ({active:d} active)" if active else "Filters", expanded=active > 0):
    book_filters.filter_panel()
with st.expander("Sort and saved views"):
    book_filters.sort_controls()
    saved_views_bar()

chosen = book_filters.current_query()
selection = (chosen.search, chosen.filters, chosen.status, chosen.sort, chosen.descending)
if st.session_state.get(SELECTION, selection) != selection:
    st.session_state["page"] = 1  # new filters or a new order start at the first page
st.session_state[SELECTION] = selection


def _from_link(key: str, default: int, allowed=None) -> int:
    """A pager value: the widget's, or on a link's first run (the widgets below are not
    drawn yet) the link's own, if it is one the widget offers."""
    if key in st.session_state:
        return st.session_state[key]
    value = parse_id(st.query_params.get(key))
    return value if value is not None and (allowed is None or value in allowed) else default


page_size = _from_link("rows", PAGE_SIZES[-1], PAGE_SIZES)
page_number = _from_link("page", 1)
query = replace(chosen, offset=(page_number - 1) * page_size, limit=page_size)
exact = st.session_state.get(EXACT_FOR) == selection
page = list_customers(query, exact_count=exact)
if not page.rows and page.count.value and page_number > 1:
    query = replace(chosen, offset=0, limit=page_size)
    page = list_customers(query, exact_count=exact)
    page_number = 1

# The charts go above the grid's own toolbar, so the column chooser stays by the grid.
charts_place = st.container()
summary, chooser, charts_toggle = st.columns([5, 1, 1], vertical_alignment="center")
with summary:
    match_summary(page.count, "customer", "customers", key="customers.count_all",
                  on_count_all=lambda: st.session_state.update({EXACT_FOR: selection}))
with chooser:
    book_filters.column_chooser()
url_codes.publish(codes)  # every choice widget is drawn by now
show_charts = charts_toggle.toggle("Charts", key="charts", bind="query-params")
if show_charts:
    with charts_place:
        book_charts(query)
undo_bar()

if page.count.value == 0:
    if book_filters.state()["q"] or active:
        st.info("No customer matches these filters. Clear a filter or try part of a name.")
    else:
        st.info("No customers here yet. Click **New Customer** to add the first one." if editor
                else "No customers here yet.")
else:
    shown = book_filters.shown_columns()
    answer = customer_grid(page.rows, page.columns, shown,
                           GridSort(query.sort, query.descending), key="customers.grid")
    if answer.sort is not None:
        st.session_state[SORT_ASKED] = answer.sort
        st.rerun()
    selected = answer.selected
    pages = page_count(page.count, page_size, page_number)
    first_row = (page_number - 1) * page_size + 1
    pager, size, note = st.columns([3, 2, 2], vertical_alignment="bottom")
    with pager:
        if pages > 1:
            st.pagination(pages, key="page", bind="query-params")
    # The options as they are, so a shared link reads rows=100 (a bound widget writes what
    # it shows into the URL).
    size.selectbox("Rows per page", PAGE_SIZES, index=len(PAGE_SIZES) - 1, key="rows",
                   bind="query-params")
    note.caption(md_escape(f"Rows {first_row:,}–{first_row + len(page.rows) - 1:,} of "
                           f"{of_count(page.count)}"))
    if selected and editor:
        bulk_actions(selected)
    elif not selected:
        st.caption("Click a name (or press Enter on a row) to open its profile; tick rows "
                   "for bulk actions." if editor
                   else "Click a name (or press Enter on a row) to open its profile.")

export_panel(chosen, book_filters.shown_columns(), page.count)
