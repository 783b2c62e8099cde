"""The New Customer form, the same in the modal and on its page.

Its sections and fields come from the catalogue. Saving runs in the button's
callback, so a refused save leaves every typed value in place and each message
under its own field.
"""

from functools import partial

import streamlit as st

from components.section_fields import draw_section_fields, read_values
from components.session import current_actor, flash
from components.text import md_escape
from models import sections as S
from models.catalogue import EXTERNAL_IDS, form_fields
from models.fields import FieldSpec
from services.custom_fields import custom_specs
from services.customers import create_customer
from services.errors import ValidationError

PROFILE_PAGE = "app_pages/customer_profile.py"


def _key(prefix: str, name: str) -> str:
    return f"{prefix}.{name}"


def _sections() -> list[tuple[S.Section, tuple[FieldSpec, ...]]]:
    """The form's sections and their fields; the custom fields (if any) come last."""
    sections = [(section, form_fields(section)) for section in S.FORM_SECTIONS]
    custom = custom_specs()
    return sections + [(S.ADDITIONAL_FIELDS, custom)] if custom else sections


def _alias_keys(prefix: str) -> list[str]:
    count = st.session_state.setdefault(_key(prefix, "alias_rows"), 1)
    return [_key(prefix, f"{EXTERNAL_IDS}.{i}") for i in range(count)]


def _add_alias_row(prefix: str) -> None:
    st.session_state[_key(prefix, "alias_rows")] += 1


def _values(prefix: str) -> dict:
    specs = [s for _, specs in _sections() for s in specs if s.key != EXTERNAL_IDS]
    values = read_values(prefix, specs)
    values[EXTERNAL_IDS] = [st.session_state.get(k) for k in _alias_keys(prefix)]
    return values


def _submit(prefix: str) -> None:
    try:
        customer = create_customer(_values(prefix), actor=current_actor())
    except ValidationError as exc:
        st.session_state[_key(prefix, "errors")] = exc.errors
        return
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}.")]:
        del st.session_state[key]
    st.session_state[_key(prefix, "created")] = (customer.id, customer.name)


def _external_ids(prefix: str, spec: FieldSpec) -> None:
    """One box per External ID, only the first labelled, and a button for one more."""
    for i, alias_key in enumerate(_alias_keys(prefix)):
        st.text_input(md_escape(spec.label_in_form), key=alias_key,
                      help=md_escape(spec.help) if spec.help else None,
                      label_visibility="visible" if i == 0 else "collapsed",
                      placeholder="e.g. a Stripe or Salesforce ID", on_change="ignore")
    st.button("+ Add External ID", key=_key(prefix, "add_alias"), on_click=_add_alias_row,
              args=(prefix,))


def _start_blank(prefix: str, specs: tuple[FieldSpec, ...]) -> None:
    """A new customer's Tax Rate reads 0.00 until one is typed."""
    for spec in specs:
        if spec.kind == "percent":
            st.session_state.setdefault(_key(prefix, spec.key), "0.00")


def new_customer_form(prefix: str, in_dialog: bool = False) -> int | None:
    """Draw the form; returns the new customer's id once it was created. Its section
    headings are one level under the page's title (h2), or under a dialog's (h3)."""
    errors = st.session_state.get(_key(prefix, "errors"), {})
    # The banner's slot is always there, so the fields below keep their places when it
    # appears: a field that moved would be drawn anew, dropping what is being typed in it.
    banner = st.empty()
    if errors:
        banner.error("Please correct the fields marked below; nothing was saved.")
    for section, specs in _sections():
        if in_dialog:
            st.subheader(md_escape(section.label))
        else:
            st.header(md_escape(section.label))
        _start_blank(prefix, specs)
        draw_section_fields(prefix, specs, label=lambda spec: spec.label_in_form,
                            errors=errors,
                            drawn_by={EXTERNAL_IDS: partial(_external_ids, prefix)})
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
