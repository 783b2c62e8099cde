"""Who is acting, and messages that outlive a page switch."""

import streamlit as st

LOCAL_ACTOR = "admin@localhost"
_FLASH = "_flash_messages"


def current_actor() -> str:
    """The user the audit log names. Sign-in arrives later; until then the local admin."""
    return LOCAL_ACTOR


def flash(message: str, icon: str = "✅") -> None:
    """Queue a toast for the next page render (survives st.switch_page and dialogs closing)."""
    st.session_state.setdefault(_FLASH, []).append((message, icon))


def show_flashes() -> None:
    for message, icon in st.session_state.pop(_FLASH, []):
        st.toast(message, icon=icon)
