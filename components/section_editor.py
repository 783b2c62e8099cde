"""One profile section (Business Information, Billing Address, Tax Settings): read as text
with an Edit button; Edit turns it into its fields from the catalogue, prefilled with the
stored values (an empty Tax Country with the billing country), saved on their own with the
version the section was loaded with, or cancelled; a save over someone else's change to the
same fields shows the conflict (components.section_conflict).

While a section is edited, what its widgets hold is compared with what was filled in, so the
page can mark a section with unsaved changes (the values reach Python with each rerun)."""

from collections.abc import Callable

import streamlit as st

from components import section_conflict
from components.field_inputs import write_field
from components.section_fields import country_key, draw_section_fields, field_key, read_values
from components.section_values import TAX_COUNTRY, draw_section_values, stored
from components.session import clear_flashes, flash, may_edit
from components.text import md_escape
from models import sections as S
from models.customer import Customer
from models.fields import FieldSpec
from services.custom_fields import section_specs, shown_specs
from services.customers import get_customer
from services.errors import ValidationError


def _prefix(customer_id: int, section: S.Section) -> str:
    return f"profile.{customer_id}.{section.id}"


def _widget_keys(prefix: str, spec: FieldSpec) -> tuple[str, ...]:
    key = field_key(prefix, spec)
    return (f"{key}:select", f"{key}:text") if spec.kind == "state" else (key,)


def _fill(prefix: str, customer: Customer, specs: tuple[FieldSpec, ...]) -> None:
    """Put the stored values into the widgets of `specs`, and remember them as filled."""
    values = stored(customer, specs)
    if TAX_COUNTRY in values and values[TAX_COUNTRY] is None:
        values[TAX_COUNTRY] = customer.country
    filled = st.session_state.setdefault(f"{prefix}.filled_values", {})
    for spec in specs:
        write_field(spec, field_key(prefix, spec), values[spec.key],
                    country=getattr(customer, country_key(spec)))
        filled.update({k: st.session_state[k] for k in _widget_keys(prefix, spec)})
    section_conflict.remember(prefix, customer, specs)
    st.session_state[f"{prefix}.filled"] = True


def editing(customer_id: int, section: S.Section) -> bool:
    return bool(st.session_state.get(f"{_prefix(customer_id, section)}.editing"))


def unsaved(customer_id: int, section: S.Section) -> bool:
    """Whether the section is being edited and a field holds something else than was filled
    in (as of this run: a value typed since reaches Python with the next click)."""
    prefix = _prefix(customer_id, section)
    filled = st.session_state.get(f"{prefix}.filled_values", {})
    return editing(customer_id, section) and any(
        key in st.session_state and st.session_state[key] != value
        for key, value in filled.items())


def _edit(customer_id: int, section: S.Section) -> None:
    prefix = _prefix(customer_id, section)
    _close(prefix)
    _fill(prefix, get_customer(customer_id), section_specs(section))
    st.session_state[f"{prefix}.editing"] = True


def _close(prefix: str) -> None:
    """Back to the read view: what was typed, errors and a conflict go."""
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}.")]:
        del st.session_state[key]


def _save(customer_id: int, section: S.Section, prefix: str, keep_mine: bool = False) -> None:
    specs = section_specs(section)
    values = read_values(prefix, specs)
    st.session_state.pop(f"{prefix}.errors", None)
    try:
        updated = section_conflict.save(customer_id, section, prefix, values,
                                        keep_mine=keep_mine)
    except ValidationError as exc:
        clear_flashes()
        st.session_state[f"{prefix}.errors"] = exc.errors
    else:
        if updated is not None:
            _close(prefix)
            flash(f"{section.label} saved.")
        else:
            clear_flashes()


def section_editor(customer: Customer, section: S.Section, *, read_only: bool = False,
                   actions: Callable[[], None] | None = None) -> None:
    """The section read, with Edit for editors; its form while being edited. `read_only`
    (an archived customer) leaves the read view alone. `actions` draws more buttons of the
    read view beside Edit (Tax Settings' Check Tax ID)."""
    prefix = _prefix(customer.id, section)
    specs = section_specs(section)
    if read_only or not may_edit() or not editing(customer.id, section):
        draw_section_values(customer, shown_specs(section))
        if not read_only and may_edit():
            with st.container(horizontal=True):
                st.button("Edit", key=f"{prefix}.edit", on_click=_edit,
                          args=(customer.id, section))
                if actions:
                    actions()
        return
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
    draw_section_fields(prefix, specs, label=lambda spec: spec.label_in_section,
                        errors=errors)
    conflict = section_conflict.show_conflict(prefix, specs, keep_mine=_save,
                                              args=(customer.id, section, prefix, True))
    if errors and not conflict:
        st.error("Nothing was saved; please correct the fields marked above.")
    if unsaved(customer.id, section):
        st.caption("Unsaved changes")
    with st.container(horizontal=True):
        if not conflict:  # while a conflict stands, its own buttons save
            st.button(f"Save {md_escape(section.label)}", key=f"{prefix}.save",
                      type="primary", on_click=_save, args=(customer.id, section, prefix))
        st.button("Cancel", key=f"{prefix}.cancel", on_click=_close, args=(prefix,))
