"""The Customers page's search, filters, sort and columns, each bound to the URL.

Every widget here uses bind="query-params", so a filtered grid is a link a
colleague can open. The same state is what a saved view stores.
"""

from datetime import date
from typing import Any

import streamlit as st

from components import custom_field_filters
from models.choices import InvoicingFlow, payment_terms_label
from services import reference
from services.custom_fields import is_custom
from services.customer_columns import book_columns, default_grid_columns
from services.customer_queries import SORTABLE, STATUSES, CustomerQuery
from services.legal_entities import list_legal_entities

# widget key (= URL parameter) -> default value
DEFAULTS: dict[str, Any] = {
    "q": "", "country": [], "currency": [], "entity": [], "flow": [], "terms": [],
    "autopay": "any", "taxid": "any", "status": "active", "from": None, "to": None,
    "sort": "name", "desc": False, "cols": [],
}
FILTER_KEYS = ("country", "currency", "entity", "flow", "terms", "autopay", "taxid", "from",
               "to")
TRISTATE = {"any": None, "yes": True, "no": False}
STATUS_LABELS = {"active": "Active", "archived": "Archived", "all": "All"}
TERMS = (0, 7, 10, 14, 15, 30, 45, 60, 90)


def _defaults() -> dict[str, Any]:
    """Every widget's default: the built-in ones, then the custom fields' filters."""
    return {**DEFAULTS, **custom_field_filters.defaults()}


def _filter_defaults() -> dict[str, Any]:
    return {**{k: DEFAULTS[k] for k in FILTER_KEYS}, **custom_field_filters.defaults()}


def state() -> dict[str, Any]:
    """The current filter state, as a saved view stores it (dates as ISO text)."""
    current = {key: st.session_state.get(key, default) for key, default in _defaults().items()}
    for key, value in current.items():
        if isinstance(value, date):
            current[key] = value.isoformat()
    return current


def apply_state(saved: dict[str, Any]) -> None:
    """Put a saved view's state into the widgets (call from a callback)."""
    for key, default in _defaults().items():
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
    st.selectbox("Status", list(STATUSES), format_func=STATUS_LABELS.get, key="status",
                 bind="query-params")


def filter_panel() -> None:
    countries = reference.countries()
    currencies = reference.currencies()
    entities = {e.id: e.name for e in list_legal_entities()}
    first, second, third = st.columns(3)
    first.multiselect("Country", list(countries), format_func=countries.get, key="country",
                      bind="query-params", placeholder="Any country")
    first.multiselect("Billing Currency", list(currencies), key="currency",
                      bind="query-params", placeholder="Any currency")
    first.multiselect("Legal Entity", list(entities), format_func=entities.get, key="entity",
                      bind="query-params", placeholder="Any legal entity")
    second.multiselect("Invoicing Flow", [f.value for f in InvoicingFlow],
                       format_func=lambda v: InvoicingFlow(v).label, key="flow",
                       bind="query-params", placeholder="Any invoicing flow")
    second.multiselect("Payment Terms", list(TERMS), format_func=payment_terms_label,
                       key="terms", bind="query-params", placeholder="Any payment terms")
    second.selectbox("Auto Pay", list(TRISTATE), format_func=lambda v: v.capitalize(),
                     key="autopay", bind="query-params")
    third.selectbox("Tax ID", list(TRISTATE),
                    format_func={"any": "Any", "yes": "Has a Tax ID", "no": "No Tax ID"}.get,
                    key="taxid", bind="query-params")
    third.date_input("Created from", value=None, key="from", bind="query-params")
    third.date_input("Created to", value=None, key="to", bind="query-params")
    custom_field_filters.draw()
    st.button("Clear filters", on_click=clear_filters, disabled=active_filters() == 0)


def column_and_sort_controls() -> None:
    columns = book_columns()
    left, middle, right = st.columns([4, 2, 1], vertical_alignment="bottom")
    left.multiselect("Columns", list(columns), format_func=lambda k: columns[k].label,
                     key="cols", bind="query-params", placeholder="The standard columns")
    sortable = [*SORTABLE, *(k for k in columns if is_custom(k))]
    middle.selectbox("Sort by", sortable, format_func=lambda k: columns[k].label,
                     key="sort", bind="query-params")
    right.toggle("Descending", key="desc", bind="query-params")


def shown_columns() -> list[str]:
    return list(st.session_state.get("cols") or default_grid_columns())


def current_query(*, offset: int = 0, limit: int = 1_000) -> CustomerQuery:
    s = state()
    return CustomerQuery(
        search=s["q"] or None,
        countries=tuple(s["country"]),
        currencies=tuple(s["currency"]),
        legal_entity_ids=tuple(s["entity"]),
        invoicing_flows=tuple(s["flow"]),
        payment_terms=tuple(s["terms"]),
        auto_pay=TRISTATE.get(s["autopay"]),
        has_tax_id=TRISTATE.get(s["taxid"]),
        created_from=st.session_state.get("from"),
        created_to=st.session_state.get("to"),
        status=s["status"],
        sort=s["sort"],
        descending=bool(s["desc"]),
        offset=offset,
        limit=limit,
        columns=tuple(shown_columns()),
        custom=custom_field_filters.query_filters(),
    )
