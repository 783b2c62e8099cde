"""Bulk actions on the grid's selected rows: no action until one is chosen, a confirm step
naming the count before archiving, and an Undo for the last action that changed anything.

The Undo offer lives in the session until it is used, dismissed or replaced by the next
action; the page draws it above the grid whether rows are still selected or not (archived
rows leave the grid). Undoing goes through services.bulk.undo_bulk, which leaves every
customer saved by someone else since untouched and says how many.
"""

from collections.abc import Mapping
from typing import Any

import streamlit as st

from components.confirm import ask, confirm_dialog
from components.field_inputs import render_field
from components.session import current_actor, flash, is_admin
from components.text import md_escape
from models.catalogue import field
from services.bulk import ACTIONS, bulk_update, undo_bulk
from services.errors import DeskError
from services.families import children_left_out
from services.family_rules import CHILDREN_CHOICES

LABELS = {
    "archive": "Archive",
    "restore": "Restore",
    "set_legal_entity": "Set Legal Entity",
    "set_payment_terms": "Set Payment Terms",
    "set_auto_pay": "Set Auto Pay",
}
CONFIRM = "bulk.confirm"  # the archive waiting for its confirmation: (selection, value)
OFFER = "bulk.offer"  # the bar above the grid: (message, the Undo or None for a note)
CHILDREN = "bulk.children"  # what happens to the active children of archived parents


def _customers(count: int) -> str:
    return f"{count:,} customer{'s' if count != 1 else ''}"


def _run(selection: Mapping[int, int], action: str, value: Any,
         children: str | None = None) -> None:
    st.session_state.pop("bulk.error", None)
    try:
        result = bulk_update(selection, action, value, actor=current_actor(),
                             children=children)
    except DeskError as exc:
        st.session_state["bulk.error"] = str(exc)
        return
    message = f"{LABELS[action]}: {result.summary}"
    if result.undo is not None:  # said by the bar with Undo, not a toast as well
        st.session_state[OFFER] = (message, result.undo)
    else:
        st.session_state.pop(OFFER, None)
        flash(message)


def _apply(selection: dict[int, int]) -> None:
    action = st.session_state.get("bulk.action")
    if action is None:
        return
    key = ACTIONS[action]
    value = st.session_state.get(f"bulk.{key}") if key else None
    if action == "archive":
        ask(CONFIRM, (selection, value))
        return
    _run(selection, action, value)


def _archive(asked: tuple[dict[int, int], Any] | None) -> None:
    if asked is not None:
        _run(asked[0], "archive", asked[1], st.session_state.pop(CHILDREN, None))


def _undo() -> None:
    offered = st.session_state.pop(OFFER, None)
    if offered is None or offered[1] is None:  # a second click: already undone
        return
    undo = offered[1]
    try:
        result = undo_bulk(undo, actor=current_actor())
    except DeskError as exc:
        st.session_state[OFFER] = (f"Undo failed: {exc}", None)
        return
    if result.changed_since or result.missing:
        st.session_state[OFFER] = (f"Undo: {result.summary}", None)
    flash(f"Undo: {result.summary}", icon="↩️")


def _dismiss() -> None:
    st.session_state.pop(OFFER, None)


def undo_bar() -> None:
    """The last bulk action's message with Undo (or what its undo could not do), until
    dismissed."""
    if OFFER not in st.session_state:
        return
    message, undo = st.session_state[OFFER]
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        if undo is None:
            st.warning(md_escape(message), icon="⚠️")
        else:
            st.markdown(f"✅ {md_escape(message)}", width="stretch")
            st.button("Undo", key="bulk.undo", on_click=_undo, icon="↩️")
        st.button("Dismiss", key="bulk.dismiss", on_click=_dismiss)


def bulk_actions(selection: dict[int, int]) -> None:
    """The selected rows ({id: version shown}) and what can be done to all of them."""
    count = len(selection)
    with st.container(border=True):
        st.markdown(f"**{count:,} selected** · bulk action")
        action_col, value_col, button_col = st.columns([2, 2, 1], vertical_alignment="bottom")
        allowed = [a for a in LABELS if ACTIONS[a] is not None or is_admin()]
        action = action_col.selectbox("Action", allowed, format_func=LABELS.get, index=None,
                                      placeholder="Choose an action", key="bulk.action")
        key = ACTIONS[action] if action else None
        if key:
            with value_col:
                render_field(field(key), f"bulk.{key}")
        button_col.button("Apply", type="primary", key="bulk.apply", on_click=_apply,
                          args=(selection,), width="stretch", disabled=action is None)
        if "bulk.error" in st.session_state:
            st.error(md_escape(st.session_state["bulk.error"]), icon="⚠️")
    asked = st.session_state.get(CONFIRM)
    many = _customers(len(asked[0]) if asked else count)
    what = (f"{many.capitalize()} will leave the default grid. You can undo this right after, "
            "or restore them later from Status: Archived.")
    waiting = children_left_out(list(asked[0])) if asked else 0
    if waiting:
        what += (f" Selected parents have {_customers(waiting)} as active children that are "
                 "not selected: what happens to them?")
    confirm_dialog(CONFIRM, f"Archive {many}?", what, f"Archive {many}", _archive,
                   ask_also=_ask_children if waiting else None)


def _ask_children() -> None:
    st.radio("Their children", list(CHILDREN_CHOICES), key=CHILDREN,
             format_func=lambda choice: md_escape(CHILDREN_CHOICES[choice]), index=None)
