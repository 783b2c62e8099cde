"""The version of a customer the open profile was loaded at.

Every save on the profile sends it, so a save over someone else's newer change
is refused; each successful own save adopts the version it produced.
"""

import streamlit as st

from models.customer import Customer


def _key(customer_id: int) -> str:
    return f"profile.{customer_id}.version"


def loaded_version(customer: Customer) -> int:
    return st.session_state.setdefault(_key(customer.id), customer.version)


def adopt(customer: Customer) -> None:
    st.session_state[_key(customer.id)] = customer.version


def forget(customer_id: int) -> None:
    """Drop everything the profile holds for this customer, so it reloads fresh."""
    prefix = f"profile.{customer_id}."
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]
