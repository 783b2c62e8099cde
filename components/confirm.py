"""A confirm step before a change that takes effect at once for others (revoking an API
key, switching the tax integration): a dialog naming what will happen, with the action's
button and Cancel.

The question is asked by putting a value under a session key (`ask`); the page then draws
`confirm_dialog` on every run until the action is taken, cancelled or the dialog is
dismissed, so a rerun never loses the question half-answered.
"""

from collections.abc import Callable
from typing import Any

import streamlit as st

from components.text import md_escape


def ask(key: str, value: Any = True) -> None:
    """Open the confirm step for `key` on the next run (a button's callback)."""
    st.session_state[key] = value


def confirm_dialog(key: str, title: str, what: str, button: str,
                   action: Callable[[Any], None], *,
                   ask_also: Callable[[], None] | None = None) -> None:
    """While `key` holds a question, a dialog saying `what` will happen; `button` calls
    `action` with the value asked about. `ask_also` draws what else the action needs to
    know (its widgets' values are in st.session_state when `action` runs). Any way out
    closes it without acting."""
    if key not in st.session_state:
        return

    def _forget() -> None:
        st.session_state.pop(key, None)

    @st.dialog(md_escape(title), on_dismiss=_forget)
    def _dialog() -> None:
        st.markdown(md_escape(what))
        if ask_also is not None:
            ask_also()
        go, cancel = st.columns(2)
        if go.button(md_escape(button), key=f"{key}.go", type="primary", width="stretch"):
            action(st.session_state.pop(key, None))
            st.rerun()
        if cancel.button("Cancel", key=f"{key}.cancel", width="stretch"):
            _forget()
            st.rerun()

    _dialog()
