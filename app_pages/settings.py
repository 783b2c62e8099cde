"""Settings (admins): legal entities, the tax switch, custom fields, API keys and roles."""

import streamlit as st

from components.api_keys_panel import api_keys_panel
from components.attempt import attempt
from components.confirm import ask, confirm_dialog
from components.custom_fields_panel import custom_fields_panel
from components.legal_entities_panel import legal_entities_panel
from components.roles_panel import roles_panel
from components.session import current_actor
from components.text import md_escape
from services.settings import (
    TAX_MANAGED_NOTE,
    set_tax_managed_by_integration,
    tax_managed_by_integration,
)

TAX_SWITCH = "settings.tax_switch"
TAX_ON = ("Turn on Tax managed by integration? Tax Rate becomes read-only on every "
          "customer, in the forms, the API and imports; the tax integration sets it.")
TAX_OFF = ("Turn off Tax managed by integration? Tax Rate is entered by hand on each "
           "customer again; the rates the integration set stay until someone changes them.")


def _ask_tax() -> None:
    ask(TAX_SWITCH, bool(st.session_state["settings.tax_managed"]))


def _switch_tax(on: bool) -> None:
    attempt("settings.tax_error",
            lambda: set_tax_managed_by_integration(on, actor=current_actor()),
            "Tax settings saved.")


def _error(key: str) -> None:
    if key in st.session_state:
        st.error(md_escape(st.session_state[key]), icon="⚠️")


st.title("Settings")

legal_entities_panel()

st.header("Tax")
st.session_state["settings.tax_managed"] = tax_managed_by_integration()
st.toggle("Tax managed by integration", key="settings.tax_managed", on_change=_ask_tax,
          help="When on, a tax integration sets each customer's Tax Rate.")
st.caption(TAX_MANAGED_NOTE if tax_managed_by_integration()
           else "Tax Rate is entered by hand on each customer.")
_error("settings.tax_error")
if TAX_SWITCH in st.session_state:
    turning_on = st.session_state[TAX_SWITCH]
    confirm_dialog(TAX_SWITCH, "Tax integration", TAX_ON if turning_on else TAX_OFF,
                   "Turn on" if turning_on else "Turn off", _switch_tax)

custom_fields_panel()
api_keys_panel()
roles_panel()
