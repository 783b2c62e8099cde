"""The Contacts section: the list, "+ New Contact", edit, make primary, remove (asked first).
Read only for viewers and while the customer is archived."""

import streamlit as st

from components.confirm import ask, confirm_dialog
from components.field_inputs import field_error, render_field, write_field
from components.profile_writes import run_write
from components.session import may_edit
from components.text import md_escape
from models.catalogue import contact_fields
from models.contact import Contact
from models.customer import Customer
from services.contacts import add_contact, remove_contact, set_primary_contact, update_contact
from services.phones import national

PREFERENCES = [s for s in contact_fields() if s.kind == "bool"]
FIELDS_PER_ROW = 3


def _prefix(customer_id: int) -> str:
    return f"profile.{customer_id}.contacts"


def _run(customer_id: int, form: str, action, *args, done: str, **kwargs) -> None:
    run_write(customer_id, _prefix(customer_id), form, action, *args, done=done, **kwargs)


def _form_values(key_prefix: str) -> dict:
    return {s.key: st.session_state.get(f"{key_prefix}.{s.key}") for s in contact_fields()}


def _contact_form(customer_id: int, form: str, submit_label: str, on_submit, args) -> None:
    key_prefix = f"{_prefix(customer_id)}.{form}"
    errors = st.session_state.get(f"{key_prefix}.errors", {})
    with st.form(key_prefix, border=True):
        names = [s for s in contact_fields() if s.kind != "bool"]
        for start in range(0, len(names), FIELDS_PER_ROW):
            row = names[start:start + FIELDS_PER_ROW]
            for column, spec in zip(st.columns(FIELDS_PER_ROW), row, strict=False):
                with column:
                    render_field(spec, f"{key_prefix}.{spec.key}")
                    field_error(errors, spec.key)
        st.caption("Email preferences")
        for column, spec in zip(st.columns(len(PREFERENCES)), PREFERENCES, strict=True):
            with column:
                render_field(spec, f"{key_prefix}.{spec.key}")
        for key in ("is_primary", "_"):
            field_error(errors, key)
        with st.container(horizontal=True):
            st.form_submit_button(md_escape(submit_label), type="primary", on_click=on_submit,
                                  args=args)
            st.form_submit_button("Cancel", on_click=_toggle, args=(customer_id, form))


def _add(customer_id: int) -> None:
    values = _form_values(f"{_prefix(customer_id)}.new")
    _run(customer_id, "new", add_contact, customer_id, values, done="Contact added.")


def _edit(customer_id: int, contact_id: int) -> None:
    values = _form_values(f"{_prefix(customer_id)}.edit{contact_id}")
    _run(customer_id, f"edit{contact_id}", update_contact, contact_id, values,
         done="Contact saved.")


def _toggle(customer_id: int, form: str, contact: Contact | None = None) -> None:
    key_prefix = f"{_prefix(customer_id)}.{form}"
    opening = not st.session_state.get(f"{key_prefix}.open")
    st.session_state[f"{key_prefix}.open"] = opening
    st.session_state.pop(f"{key_prefix}.errors", None)
    if opening:
        for spec in contact_fields():
            info = Contact.model_fields[spec.attr]
            default = None if info.is_required() else info.default
            value = getattr(contact, spec.attr) if contact else default
            write_field(spec, f"{key_prefix}.{spec.key}", value)


def _remove(customer_id: int, contact_id: int) -> None:
    _run(customer_id, "list", remove_contact, contact_id, done="Contact removed.")


def _name(contact: Contact) -> str:
    return contact.full_name or contact.email


def _preferences(contact: Contact) -> str:
    chosen = [s.label for s in PREFERENCES if getattr(contact, s.attr)]
    return ", ".join(chosen) if chosen else "No emails"


def _details(contact: Contact) -> list[str]:
    """What the contact's line says under the name: job title, email, phone (national), the
    emails they get."""
    return [part for part in (contact.job_title, contact.email,
                              contact.phone and national(contact.phone),
                              f"Email preferences: {_preferences(contact)}") if part]


def _contact_row(customer: Customer, contact: Contact, editor: bool) -> None:
    prefix = _prefix(customer.id)
    info, actions = st.columns([3, 2])
    with info:
        title = md_escape(_name(contact))
        badge = "  :blue-badge[Primary]" if contact.is_primary else ""
        st.markdown(f"**{title}**{badge}")
        st.caption(md_escape(" · ".join(_details(contact))))
    if not editor:
        return
    with actions, st.container(horizontal=True, horizontal_alignment="right"):
        st.button("Edit", key=f"{prefix}.editbtn{contact.id}", on_click=_toggle,
                  args=(customer.id, f"edit{contact.id}", contact))
        if not contact.is_primary:
            st.button("Make primary", key=f"{prefix}.primary{contact.id}", on_click=_run,
                      args=(customer.id, "list", set_primary_contact, contact.id),
                      kwargs={"done": "Primary contact changed."})
            st.button("Remove", key=f"{prefix}.remove{contact.id}", on_click=ask,
                      args=(f"{prefix}.removing", contact.id))
    if st.session_state.get(f"{prefix}.edit{contact.id}.open"):
        _contact_form(customer.id, f"edit{contact.id}", "Save contact", _edit,
                      (customer.id, contact.id))


def _confirm_remove(customer: Customer) -> None:
    key = f"{_prefix(customer.id)}.removing"
    contact = next((c for c in customer.contacts if c.id == st.session_state.get(key)), None)
    if contact is None or contact.is_primary:  # gone or made primary meanwhile
        st.session_state.pop(key, None)
        return
    confirm_dialog(key, "Remove contact",
                   f"Remove {_name(contact)} ({contact.email}) from {customer.name}'s "
                   "contacts? They get none of this customer's emails any more.",
                   "Remove contact", lambda contact_id: _remove(customer.id, contact_id))


def contacts_editor(customer: Customer, *, read_only: bool = False) -> None:
    """The contacts; `read_only` (an archived customer) leaves out every change."""
    prefix = _prefix(customer.id)
    editor = may_edit() and not read_only
    if not customer.contacts:
        st.caption("No contacts yet: the first one added becomes the primary (billing) "
                   "contact.")
    with st.container():  # one block: what follows keeps its place as contacts come and go
        for contact in customer.contacts:
            _contact_row(customer, contact, editor)
    field_error(st.session_state.get(f"{prefix}.list.errors", {}), "is_primary")
    field_error(st.session_state.get(f"{prefix}.list.errors", {}), "_")
    if not editor:
        return
    st.button("+ New Contact", key=f"{prefix}.newbtn", on_click=_toggle,
              args=(customer.id, "new"))
    if st.session_state.get(f"{prefix}.new.open"):
        _contact_form(customer.id, "new", "Add contact", _add, (customer.id,))
    _confirm_remove(customer)
