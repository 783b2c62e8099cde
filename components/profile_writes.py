"""A write from one of the profile's list editors (contacts, payment methods): the service
is called with the version the profile was loaded at; a refusal is filed under the form that
asked, old toasts cleared, so the form shows it; a success is adopted and closes the form."""

import streamlit as st

from components import profile_state
from components.session import clear_flashes, current_actor, flash
from services.customers import get_customer
from services.errors import DeskError, ValidationError


def run_write(customer_id: int, prefix: str, form: str, action, *args, done: str,
              **kwargs) -> None:
    """Call `action(*args, actor=, version=, **kwargs)`; errors go to `{prefix}.{form}.errors`
    (field -> message, "_" for the form as a whole), `{prefix}.{form}.open` closes on success."""
    errors_key = f"{prefix}.{form}.errors"
    st.session_state.pop(errors_key, None)
    try:
        updated = action(*args, actor=current_actor(),
                         version=profile_state.loaded_version(get_customer(customer_id)),
                         **kwargs)
    except ValidationError as exc:
        clear_flashes()
        st.session_state[errors_key] = exc.errors
        return
    except DeskError as exc:
        clear_flashes()
        st.session_state[errors_key] = {"_": str(exc)}
        return
    profile_state.adopt(updated)
    st.session_state.pop(f"{prefix}.{form}.open", None)
    flash(done)
