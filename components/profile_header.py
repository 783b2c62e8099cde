"""The top of a customer's profile: the name, its status, the facts people look for first,
and Archive (asked first) or Restore for admins; an archived customer says it is read-only.

The facts sit in rows that wrap, so on a narrow screen they stack two or one to a line."""

import streamlit as st

from components import profile_state
from components.confirm import ask, confirm_dialog
from components.field_text import EMPTY, value_text
from components.payment_method_text import default_summary
from components.session import clear_flashes, current_actor, flash, is_admin
from components.text import md_escape
from models.catalogue import field
from models.choices import CustomerType, TaxExemption
from models.customer import Customer
from services import reference
from services.connected_accounts import account_text
from services.customers import archive_customer, get_customer, restore_customer
from services.errors import DeskError
from services.families import active_children_count
from services.family_rules import CHILDREN_CHOICES
from services.tax_id_status import status_text

SHOWN_IDS = 3  # External IDs named in the header; the section lists them all
FACTS_PER_ROW = 5  # on a wide screen; a narrow one wraps each row in two or more
NO_BILLING_CONTACT = "No billing contact"  # as the grid's filter names these customers
NO_CONTACT_NOTE = ("No billing contact: invoices have nobody to go to. Add a contact under "
                   "Contacts; the first one added becomes the primary (billing) contact.")


def _status_error_key(customer_id: int) -> str:
    return f"profile.{customer_id}.status_error"


def _archiving_key(customer_id: int) -> str:
    return f"profile.{customer_id}.archiving"


def _children_key(customer_id: int) -> str:
    return f"profile.{customer_id}.archive_children"


def _set_status(customer_id: int, archive: bool, children: str | None = None) -> None:
    action = archive_customer if archive else restore_customer
    extra = {"children": children} if archive and children else {}
    try:
        updated = action(customer_id, actor=current_actor(),
                         version=profile_state.loaded_version(get_customer(customer_id)),
                         **extra)
    except DeskError as exc:
        clear_flashes()
        st.session_state[_status_error_key(customer_id)] = str(exc)
        return
    profile_state.adopt(updated)
    flash("Customer archived." if archive else "Customer restored.")


def _external_ids(customer: Customer) -> str:
    values = [account_text(a.system, a.value) for a in customer.aliases]
    shown = ", ".join(values[:SHOWN_IDS])
    more = len(values) - SHOWN_IDS
    return f"{shown} and {more} more" if more > 0 else shown or EMPTY


def _tax_id(customer: Customer) -> str:
    """The Tax ID with its status and date: "DE123456704 · Verified 25 Nov 2026"."""
    status = status_text(customer.tax_id_status, customer.tax_id_checked_at)
    shown = value_text(field("tax_id"), customer.tax_id)
    return f"{shown} · {status}" if customer.tax_id and status else shown


def _legal_entity(customer: Customer) -> str:
    """The entity and where it is registered: "Acme GmbH · Germany"."""
    entity = customer.legal_entity
    if entity is None:
        return EMPTY
    return f"{entity.name} · {reference.country_name(entity.country)}" if entity.country \
        else entity.name


def _facts(customer: Customer) -> dict[str, str]:
    """Label -> text; the fields' values read as their sections show them."""
    contact = customer.primary_contact
    return {
        "Primary contact": contact.email if contact else NO_BILLING_CONTACT,
        "Country": value_text(field("country"), customer.country),
        "Currency": value_text(field("currency"), customer.currency),
        "Legal Entity": _legal_entity(customer),
        "Tax ID": _tax_id(customer),
        "Default payment method": default_summary(customer),
        "Auto Pay": value_text(field("auto_pay"), customer.auto_pay),
        "External IDs": _external_ids(customer),
        "Created": customer.created_at.strftime("%Y-%m-%d"),
        "Customer ID": f"#{customer.id}",
    }


PERSONAL_DATA_NOTE = ("An individual: the name, emails, phones and addresses here are personal "
                      "data. Share and export them only as your privacy policy allows.")


def _badges(customer: Customer) -> None:
    """Status, and what changes how the customer is billed: an individual (personal data),
    no billing contact to send invoices to, a tax exemption."""
    st.markdown(":gray-badge[Archived]" if customer.status == "archived"
                else ":green-badge[Active]")
    if customer.customer_type == CustomerType.INDIVIDUAL:
        st.markdown(":orange-badge[Individual · personal data]")
    if customer.primary_contact is None:
        st.markdown(f":red-badge[{NO_BILLING_CONTACT}]")
    if customer.tax_exemption == TaxExemption.EXEMPT:
        st.markdown(":blue-badge[Exempt]")
    elif customer.tax_exemption == TaxExemption.REVERSE_CHARGE:
        st.markdown(":blue-badge[Reverse charge]")


def profile_header(customer: Customer) -> None:
    archived = customer.status == "archived"
    title, buttons = st.columns([5, 1], vertical_alignment="center")
    title.title(md_escape(customer.name), anchor=False)
    with buttons, st.container(horizontal=True, horizontal_alignment="right"):
        if is_admin() and archived:
            st.button("Restore", key=f"profile.{customer.id}.status", on_click=_set_status,
                      args=(customer.id, False))
        elif is_admin():
            st.button("Archive", key=f"profile.{customer.id}.status", on_click=ask,
                      args=(_archiving_key(customer.id),))
    with st.container(horizontal=True, gap="small"):
        _badges(customer)
    if customer.customer_type == CustomerType.INDIVIDUAL:
        st.caption(PERSONAL_DATA_NOTE)
    if customer.primary_contact is None:
        st.caption(NO_CONTACT_NOTE)
    facts = list(_facts(customer).items())
    with st.container(border=True):
        for start in range(0, len(facts), FACTS_PER_ROW):
            with st.container(horizontal=True, gap="medium"):
                for label, value in facts[start:start + FACTS_PER_ROW]:
                    with st.container(gap=None, width="stretch"):
                        st.caption(md_escape(label))
                        st.markdown(md_escape(value))
    with st.container():  # one block: the sections below keep their places when it changes
        error = st.session_state.pop(_status_error_key(customer.id), None)
        if error:
            st.warning(md_escape(error))
        if archived:
            st.info("This customer is archived: it is hidden from the default grid and "
                    "read-only until it is restored. "
                    + ("Restore it to edit it." if is_admin() else "An admin can restore it."))
    if not archived:
        _archive_dialog(customer)


def _archive_dialog(customer: Customer) -> None:
    """Archive, asked first; a parent with active children also asks what happens to them
    (archived with it, or detached), and Cancel archives nothing."""
    key = _archiving_key(customer.id)
    if key not in st.session_state:
        return
    what = (f"Archive {customer.name}? It leaves the default Customers grid and its profile "
            "is read-only until an admin restores it. Nothing is deleted.")
    children = active_children_count(customer.id)
    if not children:
        confirm_dialog(key, "Archive customer", what, "Archive",
                       lambda _: _set_status(customer.id, True))
        return
    choice = _children_key(customer.id)
    what += (f" It is the parent of {children:,} active customer{'s' if children != 1 else ''}"
             ": what happens to them?")

    def ask_children() -> None:
        st.radio("Its children", list(CHILDREN_CHOICES), key=choice,
                 format_func=lambda choice: md_escape(CHILDREN_CHOICES[choice]), index=None)

    def archive(_) -> None:
        _set_status(customer.id, True, st.session_state.get(choice))

    confirm_dialog(key, "Archive customer", what, "Archive", archive, ask_also=ask_children)
