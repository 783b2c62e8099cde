"""Settings -> Legal entities: the table of entities, a form to add one and a form to edit
one (all fields, from the catalogue), and Delete, asked first and offered only for an
entity no customer is billed under.

The forms are drawn like the customer's sections (components.section_fields): each error
under its field, what was typed kept when a save is refused, Country filling an empty
currency. The edit form carries the version it loaded, so a save over someone else's
change is refused rather than overwriting it.
"""

import pandas as pd
import streamlit as st

from components.confirm import ask, confirm_dialog
from components.field_inputs import write_field
from components.section_fields import draw_section_fields, field_key, read_values
from components.session import current_actor, flash
from components.text import md_escape
from models.legal_entity import LegalEntity
from services import reference
from services.errors import DeskError, ValidationError
from services.legal_entities import (
    create_legal_entity,
    delete_legal_entity,
    entities_in_use,
    entity_fields,
    in_use_message,
    list_legal_entities,
    update_legal_entity,
)

ADD = "settings.entity_new"
EDIT = "settings.entity_edit"
CHOSEN = "settings.edit_entity"  # the entity the edit form shows
LOADED = f"{EDIT}.loaded"  # (id, version) the edit form's values were loaded at
DELETING = "settings.entity_deleting"


def _errors(prefix: str) -> dict[str, str]:
    return st.session_state.get(f"{prefix}.errors", {})


def _refused(prefix: str, exc: DeskError) -> None:
    """Each field's message under its field; any other (a conflict) above the button."""
    st.session_state[f"{prefix}.errors"] = (
        exc.errors if isinstance(exc, ValidationError) else {"": str(exc)})


def _clear(prefix: str) -> None:
    """Empty the form: each widget is given its blank value (a widget whose key is only
    deleted keeps showing what the browser holds), and its errors and loaded version go."""
    for spec in entity_fields():
        write_field(spec, field_key(prefix, spec), None)
    for key in (f"{prefix}.errors", LOADED if prefix == EDIT else None):
        st.session_state.pop(key, None)


def _add() -> None:
    try:
        entity = create_legal_entity(read_values(ADD, entity_fields()), actor=current_actor())
    except DeskError as exc:
        _refused(ADD, exc)
        return
    _clear(ADD)
    flash(f"Legal entity {entity.name} added.")


def _save() -> None:
    entity_id, version = st.session_state[LOADED]
    try:
        entity = update_legal_entity(entity_id, read_values(EDIT, entity_fields()),
                                     version=version, actor=current_actor())
    except DeskError as exc:
        _refused(EDIT, exc)
        return
    _clear(EDIT)  # loaded again, at the new version
    flash(f"Legal entity {entity.name} saved.")


def _delete(entity_id: int) -> None:
    _, version = st.session_state[LOADED]
    try:
        delete_legal_entity(entity_id, version=version, actor=current_actor())
    except DeskError as exc:
        _refused(EDIT, exc)
        return
    # Runs in the dialog, after the form's widgets were drawn: the next run, which the
    # dialog starts, loads the first entity into them.
    for key in (LOADED, CHOSEN, f"{EDIT}.errors"):
        st.session_state.pop(key, None)
    flash("Legal entity deleted.")


def _load(entity: LegalEntity) -> None:
    """Put the entity's stored values into the edit form, unless they are there already
    (then what was typed stays)."""
    if st.session_state.get(LOADED, (None,))[0] == entity.id:
        return
    st.session_state.pop(f"{EDIT}.errors", None)
    for spec in entity_fields():
        write_field(spec, field_key(EDIT, spec), getattr(entity, spec.attr),
                    country=entity.country)
    st.session_state[LOADED] = (entity.id, entity.version)


def _table(entities: list[LegalEntity], used: set[int]) -> None:
    st.dataframe(pd.DataFrame({
        "Legal Entity": [e.name for e in entities],
        "Country": [reference.country_name(e.country) if e.country else "" for e in entities],
        "City": [e.city or "" for e in entities],
        "Tax ID": [e.tax_id or "" for e in entities],
        "Currency": [e.default_currency or "" for e in entities],
        "Timezone": [e.timezone or "" for e in entities],
        "Bills customers": ["Yes" if e.id in used else "No" for e in entities],
    }), hide_index=True, width="stretch")


def _general_error(prefix: str) -> None:
    message = _errors(prefix).get("")
    if message:
        st.error(md_escape(message), icon="⚠️")


def _add_form() -> None:
    with st.container(border=True, key="entity-add"):
        st.markdown("**Add a legal entity**")
        draw_section_fields(ADD, entity_fields(), label=lambda s: s.label,
                            errors=_errors(ADD), mark_required=True)
        _general_error(ADD)
        st.button("Add legal entity", key="settings.add", type="primary", on_click=_add)


def _edit_form(entities: list[LegalEntity], used: set[int]) -> None:
    by_id = {e.id: e for e in entities}
    with st.container(border=True, key="entity-edit"):
        st.markdown("**Edit a legal entity**")
        chosen = st.selectbox("Legal entity to edit", list(by_id), key=CHOSEN,
                              format_func=lambda i: by_id[i].name)
        entity = by_id[chosen]
        _load(entity)
        draw_section_fields(EDIT, entity_fields(), label=lambda s: s.label,
                            errors=_errors(EDIT), mark_required=True)
        _general_error(EDIT)
        save, delete, _ = st.columns([1, 1, 2])
        save.button("Save changes", key="settings.save_entity", type="primary",
                    on_click=_save, width="stretch")
        why = in_use_message(entity.name) if entity.id in used else None
        delete.button("Delete", key="settings.delete_entity", disabled=why is not None,
                      help=md_escape(why or f"Delete {entity.name}; asked first."),
                      on_click=ask, args=(DELETING, entity.id), width="stretch")
        if why:
            st.caption(md_escape(why))
    if DELETING in st.session_state:
        confirm_dialog(DELETING, "Delete legal entity",
                       f"Delete {entity.name}? No customer is billed under it. Its details "
                       "are gone; the History keeps who deleted it.", "Delete", _delete)


def legal_entities_panel() -> None:
    st.header("Legal entities")
    st.caption("The entities of the platform under which customers are billed. A new "
               "customer takes the entity of its country when exactly one has it, else the "
               "default entity.")
    entities = list_legal_entities()
    used = entities_in_use()
    _table(entities, used)
    _add_form()
    _edit_form(entities, used)
