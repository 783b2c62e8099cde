"""The External Identifiers (Aliases) section: the list, each a connected account ("Stripe ·
cus_123"), and with Edit, add one with its system (Other unless picked) and remove (asked
first). Read only for viewers and while the customer is archived."""

import streamlit as st

from components import profile_state
from components.confirm import ask, confirm_dialog
from components.field_inputs import field_error
from components.session import clear_flashes, current_actor, flash, may_edit
from components.text import md_escape
from models.catalogue import EXTERNAL_IDS, alias_field
from models.choices import SourceSystem
from models.customer import Customer
from services.aliases import add_alias, remove_alias
from services.connected_accounts import OTHER, SYSTEM, account_text, system_label
from services.customers import get_customer
from services.errors import DeskError, ValidationError


def _prefix(customer_id: int) -> str:
    return f"profile.{customer_id}.aliases"


def _call(customer_id: int, action, target, done: str) -> bool:
    prefix = _prefix(customer_id)
    st.session_state.pop(f"{prefix}.errors", None)
    try:
        updated = action(target, actor=current_actor(),
                         version=profile_state.loaded_version(get_customer(customer_id)))
    except ValidationError as exc:
        clear_flashes()
        st.session_state[f"{prefix}.errors"] = exc.errors
        return False
    except DeskError as exc:
        clear_flashes()
        st.session_state[f"{prefix}.errors"] = {EXTERNAL_IDS: str(exc)}
        return False
    profile_state.adopt(updated)
    flash(done)
    return True


def _add(customer_id: int) -> None:
    key = f"{_prefix(customer_id)}.new"
    value = st.session_state.get(key, "")
    system = st.session_state.get(f"{_prefix(customer_id)}.system", OTHER)
    if _call(customer_id, lambda v, **kw: add_alias(customer_id, v, system, **kw), value,
             "External ID added."):
        st.session_state[key] = ""
        st.session_state[f"{_prefix(customer_id)}.system"] = OTHER


def _remove(customer_id: int, alias_id: int) -> None:
    _call(customer_id, remove_alias, alias_id, "External ID removed.")


def _set_editing(customer_id: int, on: bool) -> None:
    prefix = _prefix(customer_id)
    st.session_state[f"{prefix}.editing"] = on
    if not on:
        for key in ("new", "system", "errors"):
            st.session_state.pop(f"{prefix}.{key}", None)


def _confirm_remove(customer: Customer) -> None:
    key = f"{_prefix(customer.id)}.removing"
    alias = next((a for a in customer.aliases if a.id == st.session_state.get(key)), None)
    if alias is None:  # removed meanwhile
        st.session_state.pop(key, None)
        return
    confirm_dialog(key, "Remove External ID",
                   f"Remove the External ID {account_text(alias.system, alias.value)} from "
                   f"{customer.name}? Usage events "
                   "that carry it no longer find this customer.",
                   "Remove External ID", lambda alias_id: _remove(customer.id, alias_id))


def aliases_editor(customer: Customer, *, read_only: bool = False) -> None:
    """The list; with Edit (editors, while not `read_only`) a Remove per ID and an entry to
    add one."""
    prefix = _prefix(customer.id)
    spec = alias_field()
    st.caption(md_escape(spec.help))
    editor = may_edit() and not read_only
    editing = editor and st.session_state.get(f"{prefix}.editing", False)
    # The list is one block, so the entry below keeps its place as the list grows: a field
    # that moves is drawn anew, and what is being typed into it would be dropped.
    with st.container():
        if not customer.aliases:
            st.caption("No external identifiers yet.")
        for alias in customer.aliases:
            text, action = st.columns([4, 1])
            text.code(account_text(alias.system, alias.value), language=None, wrap_lines=True)
            if editing:
                action.button("Remove", key=f"{prefix}.remove{alias.id}", on_click=ask,
                              args=(f"{prefix}.removing", alias.id))
    if not editing:
        if editor:
            st.button("Edit", key=f"{prefix}.edit", on_click=_set_editing,
                      args=(customer.id, True))
        return
    system, entry, button = st.columns([2, 3, 1], vertical_alignment="bottom")
    st.session_state.setdefault(f"{prefix}.system", OTHER)
    system.selectbox("System", [s.value for s in SourceSystem], key=f"{prefix}.system",
                     format_func=system_label, help="The system this ID comes from.")
    entry.text_input(md_escape(spec.label_in_form), key=f"{prefix}.new", max_chars=spec.max_length,
                     placeholder="e.g. cus_NffrFeUfNV2Hib", on_change="ignore")
    button.button("Add", key=f"{prefix}.add", on_click=_add, args=(customer.id,))
    errors = st.session_state.get(f"{prefix}.errors", {})
    field_error(errors, SYSTEM)
    field_error(errors, EXTERNAL_IDS)
    st.button("Done", key=f"{prefix}.done", on_click=_set_editing, args=(customer.id, False))
    _confirm_remove(customer)


def unsaved(customer_id: int) -> bool:
    """Whether an External ID has been typed (as of this run) and not added yet."""
    prefix = _prefix(customer_id)
    return bool(st.session_state.get(f"{prefix}.editing")
                and st.session_state.get(f"{prefix}.new"))
