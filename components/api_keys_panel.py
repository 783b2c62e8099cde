"""Settings -> API keys: create (the secret is shown once), list and revoke.

A new key's secret is shown in a dialog that stays, through any rerun, until the admin
says it is copied: it is never shown again, so it must not vanish with the next click.
"""

import pandas as pd
import streamlit as st

from components.attempt import attempt
from components.confirm import ask, confirm_dialog
from components.session import current_actor
from components.text import md_escape
from models.api_key import API_KEY_ROLES
from services.api_keys import create_api_key, list_api_keys, revoke_api_key

SECRET = "keys.secret"
REVOKING = "keys.revoking"


def _create() -> None:
    state = st.session_state
    new = attempt("keys.error",
                  lambda: create_api_key(state.get("keys.name", ""), state.get("keys.role", "read"),
                                         actor=current_actor()),
                  "API key created.", ("keys.name",))
    if new is not None:
        state[SECRET] = (new.key.name, new.secret)


def _revoke(key_id: int) -> None:
    attempt("keys.error", lambda: revoke_api_key(key_id, actor=current_actor()),
            "API key revoked.")


@st.dialog("New API key", dismissible=False)
def _secret_dialog(name: str, secret: str) -> None:
    st.markdown(f"The key **{md_escape(name)}**. Copy it now: it is not shown again.")
    st.code(secret, language=None, wrap_lines=True)
    if st.button("I have copied the key", key="keys.secret_done", type="primary"):
        st.session_state.pop(SECRET, None)
        st.rerun()


def api_keys_panel() -> None:
    st.header("API keys")
    st.caption("Keys for the REST API at /api/v1. A read key may only read; a write key may "
               "also create and change customers (as an editor); an admin key may also "
               "archive and manage legal entities. Only a hash of each key is stored.")
    if SECRET in st.session_state:
        _secret_dialog(*st.session_state[SECRET])
    keys = list_api_keys()
    if keys:
        st.dataframe(pd.DataFrame({
            "Name": [k.name for k in keys], "Role": [k.role for k in keys],
            "Key starts with": [k.prefix + "…" for k in keys],
            "Created": [k.created_at.strftime("%Y-%m-%d") for k in keys],
            "Status": ["Revoked" if k.revoked_at else "Active" for k in keys],
        }), hide_index=True, width="stretch")
        live = {k.id: f"{k.name} ({k.prefix}…)" for k in keys if k.revoked_at is None}
        if live:
            pick, button = st.columns([3, 1], vertical_alignment="bottom")
            chosen = pick.selectbox("Key to revoke", list(live), format_func=live.get,
                                    key="keys.revoke_pick")
            button.button("Revoke", key="keys.revoke", on_click=ask, args=(REVOKING, chosen))
            revoking = st.session_state.get(REVOKING)
            if revoking in live:
                confirm_dialog(
                    REVOKING, "Revoke API key",
                    f"Revoke {live[revoking]}? Every program using it is refused (401) from "
                    "its next request on. A revoked key cannot be used again.",
                    "Revoke key", _revoke)
            else:  # revoked meanwhile: nothing left to ask
                st.session_state.pop(REVOKING, None)
    else:
        st.caption("No API keys yet.")
    name, role, button = st.columns([3, 1, 1], vertical_alignment="bottom")
    name.text_input("Key name", key="keys.name", max_chars=100,
                    placeholder="e.g. metering pipeline", on_change="ignore")
    role.selectbox("Role", API_KEY_ROLES, key="keys.role", on_change="ignore")
    button.button("Create key", key="keys.create", type="primary", on_click=_create)
    if "keys.error" in st.session_state:
        st.error(md_escape(st.session_state["keys.error"]), icon="⚠️")
