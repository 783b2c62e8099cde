"""Settings (admins): legal entities, the tax switch, custom fields, API keys and roles."""

import pandas as pd
import streamlit as st

from components.api_keys_panel import api_keys_panel
from components.attempt import attempt
from components.confirm import ask, confirm_dialog
from components.custom_fields_panel import custom_fields_panel
from components.roles_panel import roles_panel
from components.session import current_actor
from components.text import md_escape
from services.legal_entities import (
    create_legal_entity,
    list_legal_entities,
    rename_legal_entity,
)
from services.settings import (
    TAX_MANAGED_NOTE,
    set_tax_managed_by_integration,
    tax_managed_by_integration,
)


def _add() -> None:
    name = st.session_state.get("settings.new_entity", "")
    attempt("settings.add_error", lambda: create_legal_entity(name, actor=current_actor()),
            "Legal entity added.", ("settings.new_entity",))


def _rename() -> None:
    entity_id = st.session_state.get("settings.rename_entity")
    name = st.session_state.get("settings.rename_to", "")
    attempt("settings.rename_error",
            lambda: rename_legal_entity(entity_id, name, actor=current_actor()),
            "Legal entity renamed.", ("settings.rename_to",))


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

st.header("Legal entities")
st.caption("The entities of the platform under which customers are billed.")
entities = list_legal_entities()
st.dataframe(pd.DataFrame({"Legal Entity": [e.name for e in entities]}), hide_index=True,
             width="stretch")

add, rename = st.columns(2)
with add, st.container(border=True):
    st.markdown("**Add a legal entity**")
    st.text_input("Legal Entity Name", key="settings.new_entity", max_chars=200,
                  on_change="ignore")
    _error("settings.add_error")
    st.button("Add legal entity", key="settings.add", on_click=_add)
with rename, st.container(border=True):
    st.markdown("**Rename a legal entity**")
    names = {e.id: e.name for e in entities}
    st.selectbox("Legal entity", list(names), format_func=names.get,
                 key="settings.rename_entity", on_change="ignore")
    st.text_input("New name", key="settings.rename_to", max_chars=200, on_change="ignore")
    _error("settings.rename_error")
    st.button("Rename", key="settings.rename", on_click=_rename)

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
