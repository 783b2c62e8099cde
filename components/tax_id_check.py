"""Check Tax ID, under the profile's Tax Settings: asks VIES through services.tax_id_check
with the version the profile was loaded at, and says what came of it under the button. When
the check is not available (VIES turned off, no Tax ID, not an EU VAT number) the button is
greyed out and a caption says why."""

import streamlit as st

from components import profile_state
from components.session import clear_flashes, current_actor, may_edit
from components.text import md_escape
from models.choices import TaxIdStatus
from models.customer import Customer
from services.customers import get_customer
from services.errors import DeskError
from services.tax_id_check import check
from services.tax_id_status import unavailable_reason

_SHOWN = {TaxIdStatus.VERIFIED: st.success, TaxIdStatus.INVALID: st.error,
          TaxIdStatus.UNVERIFIABLE: st.warning}


def _outcome_key(customer_id: int) -> str:
    return f"profile.{customer_id}.tax_id_check"


def _check(customer_id: int) -> None:
    key = _outcome_key(customer_id)
    try:
        done = check(customer_id, actor=current_actor(),
                     version=profile_state.loaded_version(get_customer(customer_id)))
    except DeskError as exc:
        clear_flashes()
        st.session_state[key] = (TaxIdStatus.UNVERIFIABLE, str(exc))
        return
    profile_state.adopt(done.customer)
    st.session_state[key] = (done.result, done.message)


def check_button(customer: Customer) -> None:
    """The button, beside the section's Edit (drawn only for those who may edit)."""
    st.button("Check Tax ID", key=f"profile.{customer.id}.check_tax_id", on_click=_check,
              args=(customer.id,), disabled=unavailable_reason(customer) is not None,
              help="Asks the EU's VIES whether this VAT number is registered.")


def check_outcome(customer: Customer, *, read_only: bool = False) -> None:
    """Under the buttons: why the check is not available, or what the last one found."""
    if read_only or not may_edit():
        return
    reason = unavailable_reason(customer)
    if reason:
        st.caption(md_escape(reason))
    outcome = st.session_state.pop(_outcome_key(customer.id), None)
    if outcome:
        result, message = outcome
        _SHOWN[result](md_escape(message))
