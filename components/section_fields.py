"""A section's fields, drawn one way on the New Customer form and in each profile section.

Two fields to a row, each with its help and, right under it, its error. Tax Rate is
read-only while the tax integration manages it or the customer is exempt, and then never
sent. Fields others depend on rerun the page when they change: Country pre-fills the
currency, language and time zone drawn with it (still changeable) and empties State, whose
choices are the country's subdivisions; a field another applies only with (OnlyIf: Customer
Type, Same as billing address, Tax Exemption) shows or hides it. A hidden field is not sent.
Every other field commits with the caller's button (components.field_inputs). Callers keep
what differs: the labels, the values a section starts with, and the buttons.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import streamlit as st

from components.field_inputs import clear_state, field_error, read_field, render_field
from models.choices import TaxExemption
from models.fields import FieldSpec
from services import reference
from services.settings import TAX_MANAGED_NOTE, tax_managed_by_integration

_COUNTRY = "country"  # the billing country, which the currency and State follow
# What a change of country fills in, by kind: the country's currency, language and zone.
_COUNTRY_DEFAULTS = {"currency": reference.default_currency,
                     "language": reference.default_language,
                     "timezone": reference.default_timezone}
_FOLLOW_COUNTRY = (*_COUNTRY_DEFAULTS, "state")
EXEMPT_NOTE = "Exempt: invoiced without tax, so the Tax Rate is 0."


def field_key(prefix: str, spec: FieldSpec) -> str:
    return f"{prefix}.{spec.key}"


def _locked(spec: FieldSpec) -> bool:
    return spec.kind == "percent" and tax_managed_by_integration()


def _exempt(prefix: str, spec: FieldSpec) -> bool:
    """An exempt customer's Tax Rate reads 0; the service sets it."""
    return (spec.kind == "percent" and st.session_state.get(f"{prefix}.tax_exemption")
            == TaxExemption.EXEMPT)


def _hidden(prefix: str, spec: FieldSpec, specs: Iterable[FieldSpec]) -> bool:
    """A field that does not apply with the value of the field drawn beside it (OnlyIf):
    hidden if the service would empty it, or it is empty anyway (a Business Name an
    individual still holds shows, to be cleared)."""
    rule = spec.only_if
    if rule is None or rule.key not in {s.key for s in specs}:
        return False
    if st.session_state.get(f"{prefix}.{rule.key}") in rule.values:
        return False
    return rule.clears or not st.session_state.get(field_key(prefix, spec))


def _drivers(specs: Iterable[FieldSpec]) -> set[str]:
    return {s.only_if.key for s in specs if s.only_if}


def _rerun() -> None:
    """A field others show or hide by: its change reruns the page, nothing more."""


def _country(prefix: str, key: str = _COUNTRY) -> str | None:
    return st.session_state.get(f"{prefix}.{key}")


def country_key(spec: FieldSpec) -> str:
    """The country a State or a country's defaults follow: the shipping State the shipping
    country, every other the billing country."""
    return spec.key.replace("state", "country") if spec.kind == "state" else _COUNTRY


def _fill_currency(prefix: str, specs: Iterable[FieldSpec]) -> None:
    """The country's currency, language and zone in their fields when empty. The Country
    callback writes them, but a click sent before that rerun's answer reached the browser
    brings the empty choice back with it, so they are filled again before the fields are
    read or drawn."""
    for spec in specs:
        key = field_key(prefix, spec)
        if spec.kind in _COUNTRY_DEFAULTS and st.session_state.get(key) is None:
            value = _COUNTRY_DEFAULTS[spec.kind](_country(prefix))
            if value:
                st.session_state[key] = value


def _country_changed(prefix: str, followers: tuple[FieldSpec, ...]) -> None:
    for spec in followers:
        if spec.kind in _COUNTRY_DEFAULTS:
            value = _COUNTRY_DEFAULTS[spec.kind](_country(prefix))
            if value:
                st.session_state[field_key(prefix, spec)] = value
        elif spec.kind == "state":
            clear_state(spec, field_key(prefix, spec))


def read_values(prefix: str, specs: Iterable[FieldSpec]) -> dict[str, Any]:
    """What the fields hold, by field key, in the form the services take; a locked field is
    left out."""
    specs = list(specs)
    specs = [s for s in specs
             if not (_locked(s) or _exempt(prefix, s) or _hidden(prefix, s, specs))]
    _fill_currency(prefix, specs)
    return {s.key: read_field(s, field_key(prefix, s), country=_country(prefix, country_key(s)))
            for s in specs}


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
    drivers = _drivers(specs)
    shown = [s for s in specs if not _hidden(prefix, s, specs)]
    for start in range(0, len(shown), 2):
        for column, spec in zip(st.columns(2), shown[start:start + 2], strict=False):
            with column:
                if spec.key in drawn_by:
                    drawn_by[spec.key](spec)
                else:
                    _draw(prefix, spec, label(spec), disabled, followers,
                          required=mark_required and spec.required,
                          driver=spec.key in drivers)
                field_error(errors, spec.key)


def _draw(prefix: str, spec: FieldSpec, label: str, disabled: bool,
          followers: tuple[FieldSpec, ...], *, required: bool, driver: bool) -> None:
    key = field_key(prefix, spec)
    mine = tuple(f for f in followers if country_key(f) == spec.key)
    if spec.kind == "country" and mine:
        render_field(spec, key, label=label, disabled=disabled, on_change=_country_changed,
                     args=(prefix, mine), required=required)
        return
    exempt = _exempt(prefix, spec)
    if exempt:
        st.session_state[key] = "0.00"
    read_only = _locked(spec) or exempt
    render_field(spec, key, label=label, country=_country(prefix, country_key(spec)),
                 disabled=disabled or read_only, required=required,
                 on_change=_rerun if driver else None)
    if _locked(spec):
        st.caption(TAX_MANAGED_NOTE)
    elif exempt:
        st.caption(EXEMPT_NOTE)
