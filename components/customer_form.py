"""The New Customer form, the same in the modal and on its page.

Its sections and fields come from the catalogue. Saving runs in the button's
callback, so a refused save leaves every typed value in place and each message
under its own field.
"""

import streamlit as st

from components.field_inputs import clear_state, field_error, read_field, render_field
from components.session import current_actor, flash
from components.text import md_escape
from models import sections as S
from models.catalogue import EXTERNAL_IDS, form_fields
from models.fields import FieldSpec
from services import reference
from services.custom_fields import custom_specs
from services.customers import create_customer
from services.errors import ValidationError
from services.settings import TAX_MANAGED_NOTE, tax_managed_by_integration

PROFILE_PAGE = "app_pages/customer_profile.py"


def _key(prefix: str, name: str) -> str:
    return f"{prefix}.{name}"


def _sections() -> list[tuple[S.Section, tuple[FieldSpec, ...]]]:
    """The form's sections and their fields; the custom fields (if any) come last."""
    sections = [(section, form_fields(section)) for section in S.FORM_SECTIONS]
    custom = custom_specs()
    return sections + [(S.ADDITIONAL_FIELDS, custom)] if custom else sections


def _specs() -> list[FieldSpec]:
    return [s for _, specs in _sections() for s in specs]


def _country_changed(prefix: str) -> None:
    """Choosing a country pre-fills its currency (still changeable) and resets State."""
    country = st.session_state.get(_key(prefix, "country"))
    currency = reference.default_currency(country)
    if currency:
        st.session_state[_key(prefix, "currency")] = currency
    for spec in _specs():
        if spec.kind == "state":
            clear_state(spec, _key(prefix, spec.key))


def _fill_currency(prefix: str) -> None:
    """The country's currency where none is chosen. The Country callback writes it, but a
    click sent before that rerun's answer reached the browser brings the empty choice
    back with it, so the form fills it again before it is read or drawn."""
    key = _key(prefix, "currency")
    if st.session_state.get(key) is None:
        currency = reference.default_currency(st.session_state.get(_key(prefix, "country")))
        if currency:
            st.session_state[key] = currency


def _alias_keys(prefix: str) -> list[str]:
    count = st.session_state.setdefault(_key(prefix, "alias_rows"), 1)
    return [_key(prefix, f"{EXTERNAL_IDS}.{i}") for i in range(count)]


def _add_alias_row(prefix: str) -> None:
    st.session_state[_key(prefix, "alias_rows")] += 1


def _values(prefix: str) -> dict:
    country = st.session_state.get(_key(prefix, "country"))
    values = {}
    for spec in _specs():
        if spec.key == EXTERNAL_IDS:
            values[EXTERNAL_IDS] = [st.session_state.get(k) for k in _alias_keys(prefix)]
        elif spec.kind == "percent" and tax_managed_by_integration():
            continue
        else:
            values[spec.key] = read_field(spec, _key(prefix, spec.key), country=country)
    return values


def _submit(prefix: str) -> None:
    _fill_currency(prefix)
    try:
        customer = create_customer(_values(prefix), actor=current_actor())
    except ValidationError as exc:
        st.session_state[_key(prefix, "errors")] = exc.errors
        return
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}.")]:
        del st.session_state[key]
    st.session_state[_key(prefix, "created")] = (customer.id, customer.name)


def _render_spec(prefix: str, spec: FieldSpec, errors: dict) -> None:
    key = _key(prefix, spec.key)
    country = st.session_state.get(_key(prefix, "country"))
    if spec.key == EXTERNAL_IDS:
        for i, alias_key in enumerate(_alias_keys(prefix)):
            st.text_input(md_escape(spec.label_in_form), key=alias_key,
                          help=md_escape(spec.help) if spec.help else None,
                          label_visibility="visible" if i == 0 else "collapsed",
                          placeholder="e.g. a Stripe or Salesforce ID", on_change="ignore")
        st.button("+ Add External ID", key=_key(prefix, "add_alias"), on_click=_add_alias_row,
                  args=(prefix,))
    elif spec.kind == "percent" and tax_managed_by_integration():
        st.text_input(md_escape(spec.label_in_form), value="0.00", disabled=True, key=key)
        st.caption(TAX_MANAGED_NOTE)
    elif spec.kind == "country":
        render_field(spec, key, label=spec.label_in_form, on_change=_country_changed,
                     args=(prefix,))
    else:
        if spec.kind == "percent":
            st.session_state.setdefault(key, "0.00")
        render_field(spec, key, label=spec.label_in_form, country=country)
    field_error(errors, spec.key)


def new_customer_form(prefix: str) -> int | None:
    """Draw the form; returns the new customer's id once it was created."""
    _fill_currency(prefix)
    errors = st.session_state.get(_key(prefix, "errors"), {})
    # The banner's slot is always there, so the fields below keep their places when it
    # appears: a field that moved would be drawn anew, dropping what is being typed in it.
    banner = st.empty()
    if errors:
        banner.error("Please correct the fields marked below; nothing was saved.")
    for section, specs in _sections():
        st.subheader(md_escape(section.label))
        for start in range(0, len(specs), 2):
            columns = st.columns(2)
            for column, spec in zip(columns, specs[start:start + 2], strict=False):
                with column:
                    _render_spec(prefix, spec, errors)
    st.button("Create Customer", type="primary", key=_key(prefix, "submit"),
              on_click=_submit, args=(prefix,))
    created = st.session_state.pop(_key(prefix, "created"), None)
    if created is None:
        return None
    # Queued here, not in the callback: this run goes on to open the profile, and a toast
    # shown in a run that switches pages can be dropped before it is drawn.
    customer_id, name = created
    flash(f"Customer {name} created.")
    return customer_id


def open_created_profile(customer_id: int | None) -> None:
    if customer_id is not None:
        st.switch_page(PROFILE_PAGE, query_params={"customer": str(customer_id)})
