"""The New Customer modal of the Customers page, which never drops a draft unasked.

Closing it (its X, Escape, a click beside it, or Cancel) with anything typed asks "Discard
this draft?" first: Keep editing opens the form again as it was, Discard empties it. The
dialog tells Python it was dismissed (st.dialog's on_dismiss) only once it has closed in the
browser, so the question is a dialog of its own, and the draft is held in session state
meanwhile (components.customer_form.keep_draft). Closing it with nothing typed just closes.

The modal is open while OPEN is set, so a rerun of the whole page keeps it open; only one
dialog may be drawn in a run, so `new_customer_modal` draws the form or the question.
"""

import streamlit as st

from components.customer_form import (
    forget,
    has_draft,
    keep_draft,
    new_customer_form,
    open_created_profile,
)

PREFIX = "new_customer_modal"
OPEN = f"{PREFIX}.open"
ASKING = f"{PREFIX}.discard_asked"


def open_new_customer() -> None:
    """The New Customer button's callback."""
    st.session_state[OPEN] = True


def _closed() -> None:
    """The form was closed: ask about a draft, or forget the empty form."""
    if has_draft(PREFIX):
        keep_draft(PREFIX)
        st.session_state[ASKING] = True
    else:
        forget(PREFIX)
    st.session_state.pop(OPEN, None)


def _keep_editing() -> None:
    st.session_state.pop(ASKING, None)
    st.session_state[OPEN] = True


def _cancel() -> None:
    _closed()
    st.rerun()


@st.dialog("New Customer", width="large", on_dismiss=_closed)
def _form_dialog() -> None:
    open_created_profile(new_customer_form(PREFIX, in_dialog=True, cancel=_cancel))


@st.dialog("Discard this draft?", on_dismiss=_keep_editing)
def _discard_dialog() -> None:
    st.markdown("The new customer has not been created. Discard what you typed, or go back "
                "to the form?")
    keep, discard = st.columns(2)
    if keep.button("Keep editing", key="new_customer_discard.keep", type="primary",
                   width="stretch"):
        _keep_editing()
        st.rerun()
    if discard.button("Discard", key="new_customer_discard.discard", width="stretch"):
        forget(PREFIX)
        st.rerun()


def new_customer_modal() -> None:
    """Draw the open form or the question about its draft, if either is due."""
    if st.session_state.get(ASKING):
        _discard_dialog()
    elif st.session_state.get(OPEN):
        _form_dialog()
