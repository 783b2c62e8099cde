"""One profile section (Business Information, Billing Address, Tax Settings): its fields
from the catalogue, prefilled with the stored values, saved on their own with the version
the section was loaded with; a save over someone else's change to the same fields shows the
conflict (components.section_conflict)."""

import streamlit as st

from components import section_conflict
from components.field_inputs import write_field
from components.section_fields import draw_section_fields, field_key, read_values
from components.session import flash, may_edit
from components.text import md_escape
from models import sections as S
from models.customer import Customer
from models.fields import FieldSpec
from services.custom_fields import is_custom, section_specs, stored_values
from services.errors import ValidationError


def _prefix(customer_id: int, section: S.Section) -> str:
    return f"profile.{customer_id}.{section.id}"


def _fill(prefix: str, customer: Customer, specs: tuple[FieldSpec, ...]) -> None:
    """Put the stored values into the widgets of `specs`."""
    stored = stored_values(customer.custom_fields, specs)
    for spec in specs:
        value = stored[spec.key] if is_custom(spec.key) else getattr(customer, spec.attr)
        write_field(spec, field_key(prefix, spec), value, country=customer.country)
    section_conflict.remember(prefix, customer, specs)
    st.session_state[f"{prefix}.filled"] = True


def _save(customer_id: int, section: S.Section, prefix: str, keep_mine: bool = False) -> None:
    specs = section_specs(section)
    values = read_values(prefix, specs)
    st.session_state.pop(f"{prefix}.errors", None)
    try:
        updated = section_conflict.save(customer_id, section, prefix, values,
                                        keep_mine=keep_mine)
    except ValidationError as exc:
        st.session_state[f"{prefix}.errors"] = exc.errors
    else:
        if updated is not None:
            _fill(prefix, updated, specs)
            flash(f"{section.label} saved.")


def section_editor(customer: Customer, section: S.Section) -> None:
    prefix = _prefix(customer.id, section)
    specs = section_specs(section)
    plain = [s for s in specs if s.kind != "state"]
    missing = tuple(s for s in plain if field_key(prefix, s) not in st.session_state)
    if not st.session_state.get(f"{prefix}.filled") or len(missing) == len(plain):
        _fill(prefix, customer, specs)  # opened, or back from another page
    elif missing:
        # A field added meanwhile (a custom field) gets its stored value; what the user
        # typed in the others is never written over. State is left out: a country change
        # empties it on purpose.
        _fill(prefix, customer, missing)
    errors = st.session_state.get(f"{prefix}.errors", {})
    editor = may_edit()
    draw_section_fields(prefix, specs, label=lambda spec: spec.label_in_section,
                        errors=errors, disabled=not editor)
    conflict = section_conflict.show_conflict(prefix, specs, keep_mine=_save,
                                              args=(customer.id, section, prefix, True))
    if errors and not conflict:
        st.error("Nothing was saved; please correct the fields marked above.")
    if editor and not conflict:  # while a conflict stands, its own buttons save
        st.button(f"Save {md_escape(section.label)}", key=f"{prefix}.save", type="primary",
                  on_click=_save, args=(customer.id, section, prefix))
