"""Customer Profile: a header and one expander per section, each read as text and edited
and saved on its own; a section with unsaved changes says so in its title."""

from functools import partial

import streamlit as st

from components import profile_state
from components.aliases_editor import aliases_editor
from components.aliases_editor import unsaved as aliases_unsaved
from components.contacts_editor import contacts_editor
from components.family_editor import family_editor
from components.family_editor import unsaved as family_unsaved
from components.history_view import history_view
from components.ids import ID_RULE, parse_id
from components.payment_methods_editor import autopay_warning, payment_methods_editor
from components.profile_header import profile_header
from components.section_editor import editing, section_editor, unsaved
from components.tax_id_check import check_button, check_outcome
from components.text import md_escape, shorten
from models import sections as S
from services.customer_queries import CustomerQuery, list_customers
from services.customers import get_customer
from services.errors import NotFoundError


def _pick_customer() -> None:
    st.title("Customer Profile")
    st.caption("Open a profile from the Customers grid, or find one here.")
    term = st.text_input("Find a customer", placeholder="Name, email or External ID")
    rows = list_customers(CustomerQuery(search=term or None, status="all", limit=50)).rows
    if not rows:
        st.info("No customer matches.")
        return
    choice = st.selectbox("Customer", rows, format_func=lambda r: f"{r.name} (#{r.id})",
                          index=None, placeholder="Choose a customer")
    if choice is not None:
        st.query_params["customer"] = str(choice.id)
        st.rerun()


def _label(title: str, changed: bool) -> str:
    return f"{title} · Unsaved changes" if changed else title


def _profile(customer_id: int) -> None:
    try:
        customer = get_customer(customer_id)
    except NotFoundError:
        st.error(f"Customer #{md_escape(customer_id)} does not exist.")
        st.page_link("app_pages/customers.py", label="Back to Customers", icon="👥")
        return
    profile_state.loaded_version(customer)
    # A link from one profile to another (the Family section's) opens this same page, and
    # Streamlit then leaves the browser's address at the customer it came from. Naming the
    # customer again moves the address along (pushed only when it differs, so Back returns
    # to the previous profile).
    st.query_params["customer"] = str(customer.id)
    profile_header(customer)
    with st.container():  # one block: the sections below keep their places when it changes
        autopay_warning(customer)
    read_only = customer.status == "archived"
    for section in S.EDITABLE_SECTIONS:
        label = _label(section.label, unsaved(customer.id, section))
        with st.expander(md_escape(label), expanded=True,
                         key=f"profile.{customer.id}.box.{section.id}"):
            checks = section == S.TAX_SETTINGS
            section_editor(customer, section, read_only=read_only,
                           actions=partial(check_button, customer) if checks else None)
            if checks and not editing(customer.id, section):
                check_outcome(customer, read_only=read_only)
    label = _label(S.ALIASES.label, aliases_unsaved(customer.id))
    with st.expander(md_escape(label), expanded=True, key=f"profile.{customer.id}.box.aliases"):
        aliases_editor(customer, read_only=read_only)
    label = _label(S.FAMILY.label, family_unsaved(customer.id))
    with st.expander(md_escape(label), expanded=True, key=f"profile.{customer.id}.box.family"):
        family_editor(customer, read_only=read_only)
    with st.expander(md_escape(S.CONTACTS.label), expanded=True):
        contacts_editor(customer, read_only=read_only)
    with st.expander(md_escape(S.PAYMENT_METHODS.label), expanded=True):
        payment_methods_editor(customer, read_only=read_only)
    with st.expander(md_escape(S.HISTORY.label)):
        history_view(customer.id)


raw_id = st.query_params.get("customer")
customer_id = parse_id(raw_id)
if raw_id is None:
    _pick_customer()
elif customer_id is None:
    st.error(f"“{md_escape(shorten(raw_id))}” is not a customer number ({ID_RULE}).")
    st.page_link("app_pages/customers.py", label="Back to Customers", icon="👥")
else:
    _profile(customer_id)
