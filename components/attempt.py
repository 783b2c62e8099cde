"""Run a Settings action from a button's callback: its error goes under the form, the
inputs it names are emptied when it worked, and a toast says what happened."""

from collections.abc import Callable
from typing import Any

import streamlit as st

from components.session import flash
from services.errors import DeskError


def attempt(error_key: str, action: Callable[[], Any], done: str | Callable[[Any], str],
            clear: tuple[str, ...] = ()) -> Any:
    """The action's result, or None when it was refused (its message kept in error_key)."""
    st.session_state.pop(error_key, None)
    try:
        result = action()
    except DeskError as exc:
        st.session_state[error_key] = str(exc)
        return None
    for key in clear:
        st.session_state[key] = ""
    flash(done(result) if callable(done) else done)
    return result
