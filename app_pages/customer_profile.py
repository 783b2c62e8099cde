"""Customer Profile: a header and one expander per section, each saved on its own."""

import streamlit as st

from components import profile_state
from components.aliases_editor import aliases_editor
from components.contacts_editor import contacts_editor
from components.history_view import history_view
from components.ids import ID_RULE, parse_id
from components.section_editor import section_editor
from components.session import current_actor, flash, is_admin
from components.text import md_escape, shorten
from models import sections as S
from services.customer_queries import CustomerQuery, list_customers
from services.customers import archive_customer, get_customer, restore_customer
from services.errors import DeskError, NotFoundError


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


def _set_status(customer_id: int, archive: bool) -> None:
    action = archive_customer if archive else restore_customer
    try:
        updated = action(customer_id, actor=current_actor(),
                         version=profile_state.loaded_version(get_customer(customer_id)))
    except DeskError as exc:
        st.session_state[f"profile.{customer_id}.status_error"] = str(exc)
        return
    profile_state.adopt(updated)
    flash("Customer archived." if archive else "Customer restored.")


def _header(customer) -> None:
    title, buttons = st.columns([4, 1], vertical_alignment="bottom")
    title.title(md_escape(customer.name), anchor=False)
    archived = customer.status == "archived"
    badge = ":gray-badge[Archived]" if archived else ":green-badge[Active]"
    entity = md_escape(customer.legal_entity.name if customer.legal_entity else "—")
    title.markdown(f"{badge} &nbsp; Currency **{md_escape(customer.currency)}** &nbsp;·&nbsp; "
                   f"Legal Entity **{entity}** &nbsp;·&nbsp; Customer #{md_escape(customer.id)}")
    if is_admin():
        buttons.button("Restore" if archived else "Archive", width="stretch",
                       key=f"profile.{customer.id}.status",
                       on_click=_set_status, args=(customer.id, not archived))
    with st.container():  # one block: the sections below keep their places when it changes
        error = st.session_state.pop(f"profile.{customer.id}.status_error", None)
        if error:
            st.warning(md_escape(error))
        if archived:
            st.info("This customer is archived: it is hidden from the default grid. "
                    + ("Restore it to bring it back." if is_admin()
                       else "An admin can restore it."))


def _profile(customer_id: int) -> None:
    try:
        customer = get_customer(customer_id)
    except NotFoundError:
        st.error(f"Customer #{md_escape(customer_id)} does not exist.")
        st.page_link("app_pages/customers.py", label="Back to Customers", icon="👥")
        return
    profile_state.loaded_version(customer)
    _header(customer)
    for section in S.EDITABLE_SECTIONS:
        with st.expander(md_escape(section.label), expanded=section == S.BUSINESS_INFORMATION):
            section_editor(customer, section)
    with st.expander(md_escape(S.ALIASES.label)):
        aliases_editor(customer)
    with st.expander(md_escape(S.CONTACTS.label), expanded=True):
        contacts_editor(customer)
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
