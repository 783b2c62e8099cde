"""The Family section of the profile: the parent and the children, each a link to its
profile (in the same tab), and with Edit the parent, picked by searching among the
customers that may become one (never a list of the whole book), and Invoice to parent.
Read only for viewers and while the customer is archived."""

import streamlit as st

from components import profile_state
from components.field_inputs import field_error
from components.session import clear_flashes, current_actor, flash, may_edit
from components.text import md_escape
from models.catalogue import field
from models.customer import Customer
from services.customers import get_customer, update_family
from services.errors import DeskError, ValidationError
from services.families import Family, Member, eligible_parents, family
from services.family_rules import INVOICE_TO_PARENT, PARENT

PROFILE_PAGE = "app_pages/customer_profile.py"
NO_PARENT = 0  # the picker's "No parent" choice (ids start at 1)
RESULTS = 20  # customers a search offers at a time


def _prefix(customer_id: int) -> str:
    return f"profile.{customer_id}.family"


def member_text(member: Member) -> str:
    return f"{member.name} (#{member.id})"


def _link(member: Member) -> None:
    """A same-tab link to the member's profile, as the grid's name links open it."""
    suffix = " · archived" if member.status == "archived" else ""
    st.page_link(PROFILE_PAGE, label=md_escape(member_text(member) + suffix), icon="🪪",
                 query_params={"customer": str(member.id)})


def _read_view(customer: Customer, seen: Family) -> None:
    st.caption(md_escape(field(PARENT).label))
    if seen.parent is None:
        st.markdown("—")
    else:
        _link(seen.parent)
        invoiced = "Yes" if customer.invoice_to_parent else "No"
        st.caption(md_escape(f"{field(INVOICE_TO_PARENT).label}: {invoiced}"))
    st.caption(f"Children ({len(seen.children):,})")
    if not seen.children:
        st.markdown("—")
    for child in seen.children:
        _link(child)


def _set_editing(customer_id: int, on: bool) -> None:
    prefix = _prefix(customer_id)
    st.session_state[f"{prefix}.editing"] = on
    for key in ("search", "parent", "invoice", "errors", "names"):
        st.session_state.pop(f"{prefix}.{key}", None)


def _save(customer_id: int) -> None:
    prefix = _prefix(customer_id)
    chosen = st.session_state.get(f"{prefix}.parent") or None
    values = {PARENT: chosen,
              INVOICE_TO_PARENT: bool(chosen and st.session_state.get(f"{prefix}.invoice"))}
    try:
        updated = update_family(customer_id, values, actor=current_actor(),
                                version=profile_state.loaded_version(get_customer(customer_id)))
    except ValidationError as exc:
        clear_flashes()
        st.session_state[f"{prefix}.errors"] = exc.errors
        return
    except DeskError as exc:
        clear_flashes()
        st.session_state[f"{prefix}.errors"] = {PARENT: str(exc)}
        return
    profile_state.adopt(updated)
    _set_editing(customer_id, False)
    flash("Family saved.")


def _editor(customer: Customer, seen: Family) -> None:
    prefix = _prefix(customer.id)
    if seen.children:
        st.info(f"{md_escape(customer.name)} is the parent of {len(seen.children):,} "
                "customers, so it cannot have a parent itself: families are one level deep.")
        st.button("Done", key=f"{prefix}.done", on_click=_set_editing, args=(customer.id, False))
        return
    names: dict[int, str] = st.session_state.setdefault(f"{prefix}.names", {
        NO_PARENT: "No parent"})
    if seen.parent is not None:
        names.setdefault(seen.parent.id, member_text(seen.parent))
        st.session_state.setdefault(f"{prefix}.parent", seen.parent.id)
        st.session_state.setdefault(f"{prefix}.invoice", customer.invoice_to_parent)
    term = st.text_input("Find the parent", key=f"{prefix}.search",
                         placeholder="Name, email or External ID")
    found = eligible_parents(customer.id, term, limit=RESULTS) if term.strip() else []
    names.update({m.id: member_text(m) for m in found})
    chosen = st.session_state.get(f"{prefix}.parent", NO_PARENT)
    options = list(dict.fromkeys([NO_PARENT, chosen, *(m.id for m in found)]))
    if term.strip() and not found:
        st.caption("No customer that may be a parent matches: a parent is active and has no "
                   "parent itself.")
    st.selectbox(md_escape(field(PARENT).label), options, key=f"{prefix}.parent",
                 format_func=lambda i: names.get(i, f"#{i}"),
                 help=md_escape(field(PARENT).help))
    errors = st.session_state.get(f"{prefix}.errors", {})
    field_error(errors, PARENT)
    st.checkbox(md_escape(field(INVOICE_TO_PARENT).label), key=f"{prefix}.invoice",
                help=md_escape(field(INVOICE_TO_PARENT).help),
                disabled=st.session_state.get(f"{prefix}.parent") == NO_PARENT)
    field_error(errors, INVOICE_TO_PARENT)
    save, cancel = st.columns(2)
    save.button("Save Family", key=f"{prefix}.save", type="primary", on_click=_save,
                args=(customer.id,), width="stretch")
    cancel.button("Cancel", key=f"{prefix}.cancel", on_click=_set_editing,
                  args=(customer.id, False), width="stretch")


def family_editor(customer: Customer, *, read_only: bool = False) -> None:
    """The family as links; with Edit (editors, while not `read_only`) the parent picker."""
    prefix = _prefix(customer.id)
    seen = family(customer.id)
    editor = may_edit() and not read_only
    if editor and st.session_state.get(f"{prefix}.editing", False):
        _editor(customer, seen)
        return
    _read_view(customer, seen)
    if editor:
        st.button("Edit", key=f"{prefix}.edit", on_click=_set_editing, args=(customer.id, True))


def unsaved(customer_id: int) -> bool:
    """Whether a parent search or choice is open and not saved."""
    return bool(st.session_state.get(f"{_prefix(customer_id)}.editing"))
