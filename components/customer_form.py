"""The New Customer form, the same in the modal and on its page.

Its sections and fields come from the catalogue; the fields a customer cannot be created
without are marked before anything is submitted. Saving runs in the button's callback, so a
refused save leaves every typed value in place and each message under its own field (every
message at once: the service reports all of them in one pass). The Legal Entity follows the
Country, as the service would default it, until the user picks one.

What has been typed is a draft: `has_draft` tells whether there is one, and `keep_draft`
holds it while the form is not drawn (the modal's "Discard this draft?" question), so the
form comes back with it.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from components.field_inputs import field_error, render_field
from components.section_fields import draw_section_fields, field_key, read_values
from components.session import current_actor, flash
from components.text import md_escape
from models import sections as S
from models.catalogue import EXTERNAL_IDS, form_fields
from models.choices import SourceSystem
from models.fields import FieldSpec
from models.kinds import CODED, Kind
from services.connected_accounts import OTHER, SYSTEM, system_label
from services.custom_fields import custom_specs
from services.customers import create_customer
from services.entity_defaults import default_entity_for
from services.errors import ValidationError
from services.rules import alias_row_key

PROFILE_PAGE = "app_pages/customer_profile.py"
COUNTRY = "country"
ENTITY = "legal_entity_id"
_BLANK = (None, "", [], False)
SYSTEMS = [s.value for s in SourceSystem]


def _key(prefix: str, name: str) -> str:
    return f"{prefix}.{name}"


def _sections() -> list[tuple[S.Section, tuple[FieldSpec, ...]]]:
    """The form's sections and their fields; the custom fields (if any) come last."""
    sections = [(section, form_fields(section)) for section in S.FORM_SECTIONS]
    custom = custom_specs()
    return sections + [(S.ADDITIONAL_FIELDS, custom)] if custom else sections


def _own_specs() -> list[FieldSpec]:
    """Every field of the form but the External IDs, which are a list of rows."""
    return [s for _, specs in _sections() for s in specs if s.key != EXTERNAL_IDS]


# External IDs: one row per ID, each with an id of its own that its widget key carries, so
# removing a row leaves the others' values (and errors) with them.
def _alias_rows(prefix: str) -> list[int]:
    return st.session_state.setdefault(_key(prefix, "alias_rows"), [0])


def _alias_key(prefix: str, row: int) -> str:
    return _key(prefix, f"{EXTERNAL_IDS}.{row}")


def _system_key(prefix: str, row: int) -> str:
    """The row's source system (a connected account), Other until one is picked."""
    return _key(prefix, f"{EXTERNAL_IDS}.{row}.{SYSTEM}")


def _add_alias_row(prefix: str) -> None:
    rows = _alias_rows(prefix)
    rows.append(max(rows, default=-1) + 1)


def _remove_alias_row(prefix: str, row: int) -> None:
    _alias_rows(prefix).remove(row)
    st.session_state.pop(_alias_key(prefix, row), None)
    st.session_state.pop(_system_key(prefix, row), None)
    st.session_state.get(_key(prefix, "errors"), {}).pop(_alias_key(prefix, row), None)


def _values(prefix: str) -> dict:
    values = read_values(prefix, _own_specs())
    values[EXTERNAL_IDS] = [{"value": st.session_state.get(_alias_key(prefix, row)),
                             SYSTEM: st.session_state.get(_system_key(prefix, row), OTHER)}
                            for row in _alias_rows(prefix)]
    return values


def _placed(prefix: str, errors: dict[str, str]) -> dict[str, str]:
    """The service's errors keyed as the form shows them: an External ID's under its row."""
    rows = {alias_row_key(i): _alias_key(prefix, row)
            for i, row in enumerate(_alias_rows(prefix))}
    return {rows.get(key, key): message for key, message in errors.items()}


def _entity_chosen_key(prefix: str) -> str:
    return _key(prefix, "legal_entity_chosen")


def _choose_entity(prefix: str) -> None:
    st.session_state[_entity_chosen_key(prefix)] = True


def _legal_entity(prefix: str, spec: FieldSpec) -> None:
    """The Legal Entity follows the Country (the entity the service takes for a customer of
    that country) until someone picks one; from then on it stays as picked."""
    key = _key(prefix, spec.key)
    if not st.session_state.get(_entity_chosen_key(prefix)):
        st.session_state[key] = default_entity_for(st.session_state.get(_key(prefix, COUNTRY)))
    render_field(spec, key, label=spec.label_in_form, on_change=_choose_entity, args=(prefix,))


def _submit(prefix: str) -> None:
    values = _values(prefix)
    if not st.session_state.get(_entity_chosen_key(prefix)):
        # Not picked: the service takes the entity of the country that is sent with it,
        # even if a click overtook the rerun that showed it.
        values[ENTITY] = None
    try:
        customer = create_customer(values, actor=current_actor(), contact_required=True)
    except ValidationError as exc:
        st.session_state[_key(prefix, "errors")] = _placed(prefix, exc.errors)
        return
    forget(prefix)
    st.session_state[_key(prefix, "created")] = (customer.id, customer.name)


def _external_ids(prefix: str, errors: dict[str, str], spec: FieldSpec) -> None:
    """One box per External ID, each labelled with its number, with its system beside it
    and removable, and a button for one more."""
    for number, row in enumerate(_alias_rows(prefix), start=1):
        label = f"{spec.label} {number}"
        system, box, remove = st.columns([2, 3, 1], vertical_alignment="bottom")
        st.session_state.setdefault(_system_key(prefix, row), OTHER)
        system.selectbox(md_escape(f"System {number}"), SYSTEMS, key=_system_key(prefix, row),
                         format_func=system_label,
                         help="The system this ID comes from." if number == 1 else None)
        box.text_input(md_escape(label), key=_alias_key(prefix, row),
                       help=md_escape(spec.help) if number == 1 and spec.help else None,
                       placeholder="e.g. a Stripe or Salesforce ID", max_chars=spec.max_length,
                       on_change="ignore")
        remove.button("Remove", key=_key(prefix, f"remove_alias.{row}"),
                      help=md_escape(f"Remove {label}"), width="stretch",
                      on_click=_remove_alias_row, args=(prefix, row))
        field_error(errors, _alias_key(prefix, row))
    st.button("+ Add External ID", key=_key(prefix, "add_alias"), on_click=_add_alias_row,
              args=(prefix,))


def _start_values(specs: tuple[FieldSpec, ...] | list[FieldSpec]) -> dict[str, Any]:
    """What a field holds before anything is typed, where that is not blank: Tax Rate reads
    0.00, the Legal Entity is the default entity (no country is chosen yet), a fixed
    choice its first."""
    start: dict[str, Any] = {}
    for spec in specs:
        if spec.kind == Kind.PERCENT:
            start[spec.key] = "0.00"
        elif spec.kind == Kind.LEGAL_ENTITY:
            start[spec.key] = default_entity_for(None)
        elif spec.kind in CODED:  # a fixed choice starts at its first (Company, None)
            start[spec.key] = next(iter(CODED[spec.kind])).value
    return start


def _start_blank(prefix: str, specs: tuple[FieldSpec, ...]) -> None:
    for name, value in _start_values(specs).items():
        st.session_state.setdefault(_key(prefix, name), value)


def _draft_keys(prefix: str) -> list[str]:
    """The session-state keys of the form's widgets (State has two: a list and a box)."""
    fields = {field_key(prefix, spec) for spec in _own_specs()}
    fields.update(_alias_key(prefix, row) for row in _alias_rows(prefix))
    fields.update(_system_key(prefix, row) for row in _alias_rows(prefix))
    return [k for k in st.session_state if str(k).split(":")[0] in fields]


def has_draft(prefix: str) -> bool:
    """Whether anything has been typed or chosen in the form."""
    start = {_key(prefix, name): value for name, value in _start_values(_own_specs()).items()}
    start.update({_system_key(prefix, row): OTHER for row in _alias_rows(prefix)})
    return any(st.session_state[key] not in _BLANK and st.session_state[key] != start.get(key)
               for key in _draft_keys(prefix))


def keep_draft(prefix: str) -> None:
    """Hold what was typed while the form is not drawn (Streamlit forgets the values of
    widgets a run does not draw); the next `new_customer_form` puts it back."""
    st.session_state[_key(prefix, "draft")] = {
        key: st.session_state[key] for key in _draft_keys(prefix) if key in st.session_state}


def forget(prefix: str) -> None:
    """Drop the form's values, rows, errors and draft: the next form starts blank."""
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}.")]:
        del st.session_state[key]


def new_customer_form(prefix: str, in_dialog: bool = False, *,
                      cancel: Callable[[], None] | None = None) -> int | None:
    """Draw the form; returns the new customer's id once it was created. Its section
    headings are one level under the page's title (h2), or under a dialog's (h3). With
    `cancel` (a function), a Cancel button beside Create calls it."""
    st.session_state.update(st.session_state.pop(_key(prefix, "draft"), {}))
    errors = st.session_state.get(_key(prefix, "errors"), {})
    st.caption("Fields marked \\* are required.")
    # The banner's slot is always there, so the fields below keep their places when it
    # appears: a field that moved would be drawn anew, dropping what is being typed in it.
    banner = st.empty()
    if errors:
        fields = f"{len(errors)} field" + ("s" if len(errors) > 1 else "")
        banner.error(md_escape(f"Please correct the {fields} marked below; nothing was saved."))
    for section, specs in _sections():
        if in_dialog:
            st.subheader(md_escape(section.label))
        else:
            st.header(md_escape(section.label))
        _start_blank(prefix, specs)
        draw_section_fields(prefix, specs, label=lambda spec: spec.label_in_form,
                            errors=errors, mark_required=True,
                            drawn_by={EXTERNAL_IDS: partial(_external_ids, prefix, errors),
                                      ENTITY: partial(_legal_entity, prefix)})
    create, other, _ = st.columns([1, 1, 3])
    create.button("Create Customer", type="primary", key=_key(prefix, "submit"),
                  on_click=_submit, args=(prefix,), width="stretch")
    if cancel is not None and other.button("Cancel", key=_key(prefix, "cancel"),
                                           width="stretch"):
        cancel()
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
