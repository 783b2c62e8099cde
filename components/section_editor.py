"""One profile section (Business Information, Billing Address, Tax Settings): its fields
from the catalogue, prefilled with the stored values, saved on their own."""

import streamlit as st

from components import profile_state
from components.field_inputs import (
    clear_state,
    field_error,
    read_field,
    render_field,
    write_field,
)
from components.session import current_actor, flash, may_edit
from components.text import md_escape
from models import sections as S
from models.catalogue import section_fields
from models.customer import Customer
from models.fields import FieldSpec
from services.custom_fields import is_custom, section_specs, stored_values
from services.customers import get_customer, update_section
from services.errors import ConflictError, ValidationError
from services.settings import TAX_MANAGED_NOTE, tax_managed_by_integration


def _prefix(customer_id: int, section: S.Section) -> str:
    return f"profile.{customer_id}.{section.id}"


def _locked(spec: FieldSpec) -> bool:
    return spec.kind == "percent" and tax_managed_by_integration()


def _country(prefix: str, customer: Customer) -> str | None:
    key = f"{prefix}.country"
    return st.session_state.get(key, customer.country)


def _fill(prefix: str, customer: Customer, section: S.Section,
          specs: tuple[FieldSpec, ...] | None = None) -> None:
    """Put the stored values into the widgets of `specs` (all of the section by default)."""
    specs = specs or section_specs(section)
    stored = stored_values(customer.custom_fields, specs)
    for spec in specs:
        value = stored[spec.key] if is_custom(spec.key) else getattr(customer, spec.attr)
        write_field(spec, f"{prefix}.{spec.key}", value, country=customer.country)
    st.session_state[f"{prefix}.filled"] = True


def _country_changed(prefix: str, section: S.Section) -> None:
    for spec in section_fields(section):
        if spec.kind == "state":
            clear_state(spec, f"{prefix}.{spec.key}")


def _save(customer_id: int, section: S.Section, prefix: str) -> None:
    customer = get_customer(customer_id)
    country = _country(prefix, customer)
    values = {
        spec.key: read_field(spec, f"{prefix}.{spec.key}", country=country)
        for spec in section_specs(section)
        if not _locked(spec)
    }
    st.session_state.pop(f"{prefix}.errors", None)
    st.session_state.pop(f"{prefix}.conflict", None)
    try:
        updated = update_section(customer_id, section, values,
                                 version=profile_state.loaded_version(customer),
                                 actor=current_actor())
    except ValidationError as exc:
        st.session_state[f"{prefix}.errors"] = exc.errors
    except ConflictError as exc:
        st.session_state[f"{prefix}.conflict"] = str(exc)
    else:
        profile_state.adopt(updated)
        _fill(prefix, updated, section)
        flash(f"{section.label} saved.")


def _reload(customer_id: int) -> None:
    profile_state.forget(customer_id)


def section_editor(customer: Customer, section: S.Section) -> None:
    prefix = _prefix(customer.id, section)
    specs = section_specs(section)
    plain = [s for s in specs if s.kind != "state"]
    missing = tuple(s for s in plain if f"{prefix}.{s.key}" not in st.session_state)
    if not st.session_state.get(f"{prefix}.filled") or len(missing) == len(plain):
        _fill(prefix, customer, section)  # opened, or back from another page
    elif missing:
        # A field added meanwhile (a custom field) gets its stored value; what the user
        # typed in the others is never written over. State is left out: a country change
        # empties it on purpose.
        _fill(prefix, customer, section, missing)
    errors = st.session_state.get(f"{prefix}.errors", {})
    country = _country(prefix, customer)
    editor = may_edit()
    for start in range(0, len(specs), 2):
        for column, spec in zip(st.columns(2), specs[start:start + 2], strict=False):
            with column:
                key = f"{prefix}.{spec.key}"
                if spec.kind == "country" and section == S.BILLING_ADDRESS:
                    render_field(spec, key, label=spec.label_in_section, disabled=not editor,
                                 on_change=_country_changed, args=(prefix, section))
                else:
                    render_field(spec, key, label=spec.label_in_section, country=country,
                                 disabled=_locked(spec) or not editor)
                if _locked(spec):
                    st.caption(TAX_MANAGED_NOTE)
                field_error(errors, spec.key)
    conflict = st.session_state.get(f"{prefix}.conflict")
    if conflict:
        st.warning(md_escape(conflict), icon="🔄")
        st.button("Reload", key=f"{prefix}.reload", on_click=_reload, args=(customer.id,))
    elif errors:
        st.error("Nothing was saved; please correct the fields marked above.")
    if editor:
        st.button(f"Save {md_escape(section.label)}", key=f"{prefix}.save", type="primary",
                  on_click=_save, args=(customer.id, section, prefix))
