"""Bulk actions on the grid's selected rows."""

import streamlit as st

from components.field_inputs import render_field
from components.session import current_actor, flash, is_admin
from components.text import md_escape
from models.catalogue import field
from services.bulk import ACTIONS, bulk_update
from services.errors import DeskError

LABELS = {
    "archive": "Archive",
    "restore": "Restore",
    "set_legal_entity": "Set Legal Entity",
    "set_payment_terms": "Set Payment Terms",
    "set_auto_pay": "Set Auto Pay",
}


def _apply(ids: list[int]) -> None:
    action = st.session_state["bulk.action"]
    key = ACTIONS[action]
    value = st.session_state.get(f"bulk.{key}") if key else None
    st.session_state.pop("bulk.error", None)
    try:
        result = bulk_update(ids, action, value, actor=current_actor())
    except DeskError as exc:
        st.session_state["bulk.error"] = str(exc)
        return
    flash(f"{LABELS[action]}: {result.summary}")


def bulk_actions(ids: list[int]) -> None:
    with st.container(border=True):
        st.markdown(f"**{len(ids):,} selected** · bulk action")
        action_col, value_col, button_col = st.columns([2, 2, 1], vertical_alignment="bottom")
        allowed = [a for a in LABELS if ACTIONS[a] is not None or is_admin()]
        action = action_col.selectbox("Action", allowed, format_func=LABELS.get,
                                      key="bulk.action")
        key = ACTIONS[action]
        if key:
            with value_col:
                render_field(field(key), f"bulk.{key}")
        button_col.button("Apply", type="primary", key="bulk.apply", on_click=_apply,
                          args=(ids,), width="stretch")
        if "bulk.error" in st.session_state:
            st.error(md_escape(st.session_state["bulk.error"]), icon="⚠️")
