"""The External Identifiers (Aliases) section: list, add, remove."""

import streamlit as st

from components import profile_state
from components.field_inputs import field_error
from components.session import current_actor, flash, may_edit
from components.text import md_escape
from models.catalogue import EXTERNAL_IDS, alias_field
from models.customer import Customer
from services.aliases import add_alias, remove_alias
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
        st.session_state[f"{prefix}.errors"] = exc.errors
        return False
    except DeskError as exc:
        st.session_state[f"{prefix}.errors"] = {EXTERNAL_IDS: str(exc)}
        return False
    profile_state.adopt(updated)
    flash(done)
    return True


def _add(customer_id: int) -> None:
    key = f"{_prefix(customer_id)}.new"
    value = st.session_state.get(key, "")
    if _call(customer_id, lambda v, **kw: add_alias(customer_id, v, **kw), value,
             "External ID added."):
        st.session_state[key] = ""


def aliases_editor(customer: Customer) -> None:
    prefix = _prefix(customer.id)
    spec = alias_field()
    st.caption(md_escape(spec.help))
    editor = may_edit()
    # The list is one block, so the entry below keeps its place as the list grows: a field
    # that moves is drawn anew, and what is being typed into it would be dropped.
    with st.container():
        if not customer.aliases:
            st.caption("No external identifiers yet.")
        for alias in customer.aliases:
            text, action = st.columns([4, 1])
            text.code(alias.value, language=None)
            if editor:
                action.button("Remove", key=f"{prefix}.remove{alias.id}", on_click=_call,
                              args=(customer.id, remove_alias, alias.id,
                                    "External ID removed."))
    if not editor:
        return
    entry, button = st.columns([4, 1], vertical_alignment="bottom")
    entry.text_input(md_escape(spec.label_in_form), key=f"{prefix}.new", max_chars=spec.max_length,
                     placeholder="e.g. cus_NffrFeUfNV2Hib", on_change="ignore")
    button.button("Add", key=f"{prefix}.add", on_click=_add, args=(customer.id,))
    field_error(st.session_state.get(f"{prefix}.errors", {}), EXTERNAL_IDS)
