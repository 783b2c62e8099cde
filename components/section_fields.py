"""A section's fields, drawn one way on the New Customer form and in each profile section.

Two fields to a row, each with its help and, right under it, its error. Tax Rate is
read-only while the tax integration manages it, and then never sent. Country is the one
field others depend on, so the one that reruns the page when it changes: it pre-fills the
currency drawn with it (still changeable) and empties State, whose choices are the
country's subdivisions. Every other field commits with the caller's button
(components.field_inputs). Callers keep what differs: the labels, the values a section
starts with, and the buttons.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import streamlit as st

from components.field_inputs import clear_state, field_error, read_field, render_field
from models.fields import FieldSpec
from services import reference
from services.settings import TAX_MANAGED_NOTE, tax_managed_by_integration

_COUNTRY = "country"  # the billing country, which the currency and State follow
_FOLLOW_COUNTRY = ("currency", "state")


def field_key(prefix: str, spec: FieldSpec) -> str:
    return f"{prefix}.{spec.key}"


def _locked(spec: FieldSpec) -> bool:
    return spec.kind == "percent" and tax_managed_by_integration()


def _country(prefix: str) -> str | None:
    return st.session_state.get(f"{prefix}.{_COUNTRY}")


def _fill_currency(prefix: str, specs: Iterable[FieldSpec]) -> None:
    """The country's currency in an empty currency field. The Country callback writes it,
    but a click sent before that rerun's answer reached the browser brings the empty choice
    back with it, so it is filled again before the fields are read or drawn."""
    for spec in specs:
        key = field_key(prefix, spec)
        if spec.kind == "currency" and st.session_state.get(key) is None:
            currency = reference.default_currency(_country(prefix))
            if currency:
                st.session_state[key] = currency


def _country_changed(prefix: str, followers: tuple[FieldSpec, ...]) -> None:
    currency = reference.default_currency(_country(prefix))
    for spec in followers:
        if spec.kind == "currency" and currency:
            st.session_state[field_key(prefix, spec)] = currency
        elif spec.kind == "state":
            clear_state(spec, field_key(prefix, spec))


def read_values(prefix: str, specs: Iterable[FieldSpec]) -> dict[str, Any]:
    """What the fields hold, by field key, in the form the services take; a locked field is
    left out."""
    specs = [s for s in specs if not _locked(s)]
    _fill_currency(prefix, specs)
    country = _country(prefix)
    return {s.key: read_field(s, field_key(prefix, s), country=country) for s in specs}


def draw_section_fields(
    prefix: str,
    specs: Sequence[FieldSpec],
    *,
    label: Callable[[FieldSpec], str],
    errors: Mapping[str, str],
    disabled: bool = False,
    drawn_by: Mapping[str, Callable[[FieldSpec], None]] | None = None,
    mark_required: bool = False,
) -> None:
    """Draw `specs`, each bound to st.session_state[f"{prefix}.{key}"] and labelled
    label(spec), with errors[key] under it. `drawn_by` maps a field's key to a function
    that draws that field instead (the form's list of External IDs). `mark_required` marks
    the labels of required fields (the New Customer form)."""
    drawn_by = drawn_by or {}
    _fill_currency(prefix, specs)
    followers = tuple(s for s in specs if s.kind in _FOLLOW_COUNTRY)
    for start in range(0, len(specs), 2):
        for column, spec in zip(st.columns(2), specs[start:start + 2], strict=False):
            with column:
                if spec.key in drawn_by:
                    drawn_by[spec.key](spec)
                else:
                    _draw(prefix, spec, label(spec), disabled, followers,
                          required=mark_required and spec.required)
                field_error(errors, spec.key)


def _draw(prefix: str, spec: FieldSpec, label: str, disabled: bool,
          followers: tuple[FieldSpec, ...], *, required: bool) -> None:
    key = field_key(prefix, spec)
    if spec.key == _COUNTRY and followers:
        render_field(spec, key, label=label, disabled=disabled, on_change=_country_changed,
                     args=(prefix, followers), required=required)
        return
    read_only = _locked(spec)
    render_field(spec, key, label=label, country=_country(prefix),
                 disabled=disabled or read_only, required=required)
    if read_only:
        st.caption(TAX_MANAGED_NOTE)
