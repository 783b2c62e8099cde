"""Settings -> Custom fields (admins): add, edit, reorder, retire and restore fields."""

import pandas as pd
import streamlit as st

from components.field_inputs import field_error
from components.session import current_actor, flash
from models.custom_field import SECTION_CHOICES, section_of
from models.kinds import CUSTOM, WITH_OPTIONS
from services import custom_fields as cf
from services.errors import DeskError, ValidationError

_ADD = "custom.add"
_EDIT = "custom.edit"


def _section_label(stored: str) -> str:
    """How people read a field's section, whatever form custom_field.section stores it in."""
    section = section_of(stored)
    return section.label if section else stored


def _form_values(prefix: str) -> dict:
    state = st.session_state
    return {name: state.get(f"{prefix}.{name}") for name in
            ("key", "label", "kind", "options", "required", "help", "section", "grid_default")
            if f"{prefix}.{name}" in state}


def _add() -> None:
    st.session_state.pop(f"{_ADD}.errors", None)
    try:
        field = cf.add_custom_field(_form_values(_ADD), actor=current_actor())
    except ValidationError as exc:
        st.session_state[f"{_ADD}.errors"] = exc.errors
        return
    for name in ("key", "label", "options", "help"):
        st.session_state[f"{_ADD}.{name}"] = ""
    st.session_state.update({f"{_ADD}.kind": "text", f"{_ADD}.required": False,
                             f"{_ADD}.grid_default": False})
    flash(f"Custom field {field.label} added.")


def _save(field_id: int) -> None:
    st.session_state.pop(f"{_EDIT}.errors", None)
    try:
        field = cf.update_custom_field(field_id, _form_values(_EDIT), actor=current_actor())
    except ValidationError as exc:
        st.session_state[f"{_EDIT}.errors"] = exc.errors
        return
    flash(f"Custom field {field.label} saved.")


def _act(action, *args, done: str) -> None:
    try:
        action(*args, actor=current_actor())
    except DeskError as exc:
        st.session_state[f"{_EDIT}.errors"] = {"_": str(exc)}
        return
    for name in ("label", "help", "section", "required", "grid_default", "options"):
        st.session_state.pop(f"{_EDIT}.{name}", None)
    flash(done)


def _fill_edit(field) -> None:
    """Load the picked field into the edit widgets (when another one is picked)."""
    if st.session_state.get(f"{_EDIT}.loaded") == (field.id, field.label, field.options):
        return
    st.session_state.update({
        f"{_EDIT}.label": field.label, f"{_EDIT}.help": field.help or "",
        f"{_EDIT}.section": field.section, f"{_EDIT}.required": field.required,
        f"{_EDIT}.grid_default": field.grid_default,
        f"{_EDIT}.options": "\n".join(field.options or []),
        f"{_EDIT}.loaded": (field.id, field.label, field.options)})


def _add_form() -> None:
    errors = st.session_state.get(f"{_ADD}.errors", {})
    with st.container(border=True):
        st.markdown("**Add a custom field**")
        key, label, kind = st.columns([2, 2, 1])
        with key:
            st.text_input("Key", key=f"{_ADD}.key", max_chars=40, placeholder="contract_end",
                          help="Lower-case letters, digits and _; cannot change later.",
                          on_change="ignore")
            field_error(errors, "key")
        with label:
            st.text_input("Label", key=f"{_ADD}.label", max_chars=100,
                          placeholder="Contract end", on_change="ignore")
            field_error(errors, "label")
        with kind:
            st.selectbox("Type", list(CUSTOM), format_func=CUSTOM.get,
                         key=f"{_ADD}.kind")
            field_error(errors, "kind")
        section, options = st.columns(2)
        section.selectbox("Profile section", SECTION_CHOICES, format_func=_section_label,
                          key=f"{_ADD}.section", on_change="ignore")
        section.text_input("Help text", key=f"{_ADD}.help", max_chars=300, on_change="ignore")
        section.checkbox("Required", key=f"{_ADD}.required", on_change="ignore")
        section.checkbox("Grid column by default", key=f"{_ADD}.grid_default",
                         on_change="ignore")
        options.text_area("Options (select types, one per line)", key=f"{_ADD}.options",
                          height=140, on_change="ignore",
                          disabled=st.session_state.get(f"{_ADD}.kind") not in WITH_OPTIONS)
        with options:
            field_error(errors, "options")
        with section:
            field_error(errors, "section")
        st.button("Add field", key=f"{_ADD}.submit", type="primary", on_click=_add)


def _edit_form(fields) -> None:
    names = {f.id: f"{f.label} ({f.key})" for f in fields}
    picked = st.selectbox("Field to change", list(names), format_func=names.get,
                          key=f"{_EDIT}.pick")
    field = next(f for f in fields if f.id == picked)
    _fill_edit(field)
    errors = st.session_state.get(f"{_EDIT}.errors", {})
    with st.container(border=True):
        left, right = st.columns(2)
        left.text_input("Label", key=f"{_EDIT}.label", max_chars=100, on_change="ignore")
        left.text_input("Help text", key=f"{_EDIT}.help", max_chars=300, on_change="ignore")
        left.selectbox("Profile section", SECTION_CHOICES, format_func=_section_label,
                       key=f"{_EDIT}.section", on_change="ignore")
        left.checkbox("Required", key=f"{_EDIT}.required", on_change="ignore")
        left.checkbox("Grid column by default", key=f"{_EDIT}.grid_default",
                      on_change="ignore")
        right.text_area("Options (add new ones on new lines)", key=f"{_EDIT}.options",
                        height=140, disabled=field.kind not in WITH_OPTIONS,
                        on_change="ignore")
        for name in ("label", "options", "_"):
            field_error(errors, name)
        with st.container(horizontal=True):
            st.button("Save field", key=f"{_EDIT}.save", type="primary", on_click=_save,
                      args=(field.id,))
            st.button("Move up", key=f"{_EDIT}.up", on_click=_act,
                      args=(cf.move_custom_field, field.id, -1), kwargs={"done": "Moved up."})
            st.button("Move down", key=f"{_EDIT}.down", on_click=_act,
                      args=(cf.move_custom_field, field.id, 1),
                      kwargs={"done": "Moved down."})
            st.button("Retire", key=f"{_EDIT}.retire", on_click=_act,
                      args=(cf.set_retired, field.id, True),
                      kwargs={"done": f"{field.label} retired; its values are kept."})


def custom_fields_panel() -> None:
    st.header("Custom fields")
    st.caption("Customer fields of your own, without a release: they appear on the New "
               "Customer form, in their profile section, as grid columns with a filter, in "
               "saved views, exports, the import and the API (under custom_fields). A "
               "retired field keeps its values and brings them back when restored.")
    fields = cf.definitions()
    with st.container():  # one block, so the add form keeps its place after the first field
        if fields:
            st.dataframe(pd.DataFrame([{
                "Label": f.label, "Key": f.key, "Type": CUSTOM[f.kind],
                "Section": _section_label(f.section), "Required": f.required,
                "Grid column": f.grid_default,
                "Options": ", ".join(f.options or [])} for f in fields]),
                hide_index=True, width="stretch")
            _edit_form(fields)
        else:
            st.caption("No custom fields yet.")
    _add_form()
    retired = cf.definitions(retired=True)
    if retired:
        names = {f.id: f"{f.label} ({f.key})" for f in retired}
        pick, button = st.columns([3, 1], vertical_alignment="bottom")
        chosen = pick.selectbox("Retired field", list(names), format_func=names.get,
                                key="custom.retired_pick")
        button.button("Restore", key="custom.restore", on_click=_act,
                      args=(cf.set_retired, chosen, False),
                      kwargs={"done": f"{names[chosen]} restored."})
