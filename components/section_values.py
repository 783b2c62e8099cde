"""A profile section read, not edited: each field's label over its value as text, two to a
row like the form the Edit button turns it into (one to a row on a narrow screen, where
Streamlit stacks columns). The Tax ID status reads with the date it was decided on
("Verified 25 Nov 2026")."""

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import streamlit as st

from components.field_text import EMPTY, Context, value_text
from components.section_fields import country_key
from components.text import md_escape
from models.choices import TaxExemption
from models.customer import Customer
from models.fields import FieldSpec
from services.custom_fields import is_custom, stored_values
from services.legal_entities import list_legal_entities
from services.settings import TAX_MANAGED_NOTE, tax_managed_by_integration
from services.tax_id_status import CHECKED_AT, STATUS, status_text

TAX_COUNTRY = "tax_country"  # empty: the billing country's rules apply (services.field_rules)


def stored(customer: Customer, specs: Sequence[FieldSpec]) -> dict[str, Any]:
    """The customer's values of `specs`, by key, as stored."""
    custom = stored_values(customer.custom_fields, specs)
    return {s.key: custom[s.key] if is_custom(s.key) else getattr(customer, s.attr)
            for s in specs}


def _text(customer: Customer, spec: FieldSpec, value: Any, context: Context) -> str:
    if spec.key == STATUS:
        return status_text(value, customer.tax_id_checked_at) or EMPTY
    if spec.key == TAX_COUNTRY and value is None and customer.country:
        return f"{value_text(spec, customer.country)} (the billing country)"
    if spec.kind == "state":  # the shipping State reads by the shipping country
        context = replace(context, country=getattr(customer, country_key(spec)))
    return value_text(spec, value, context)


def _applies(customer: Customer, spec: FieldSpec, value: Any) -> bool:
    """Whether a field reads in the section: one that does not apply (OnlyIf: a shipping
    address while the billing one is used, an exemption's reason without an exemption) is
    left out, unless it still holds a value."""
    rule = spec.only_if
    return rule is None or getattr(customer, rule.key) in rule.values or value not in (None, "")


def draw_section_values(customer: Customer, specs: Sequence[FieldSpec]) -> None:
    specs = [s for s in specs if s.key != CHECKED_AT]  # the Tax ID status reads with its date
    values = stored(customer, specs)
    specs = [s for s in specs if _applies(customer, s, values[s.key])]
    managed = any(s.kind == "percent" for s in specs) and tax_managed_by_integration()
    context = Context(customer.country, {e.id: e.name for e in list_legal_entities()}
                      if any(s.kind == "legal_entity" for s in specs) else {})
    for start in range(0, len(specs), 2):
        for column, spec in zip(st.columns(2), specs[start:start + 2], strict=False):
            with column, st.container(gap=None):
                st.caption(md_escape(spec.label_in_section))
                st.markdown(md_escape(_text(customer, spec, values[spec.key], context)))
                if spec.kind == "percent" and managed:
                    st.caption(TAX_MANAGED_NOTE)
                elif spec.kind == "percent" and customer.tax_exemption == TaxExemption.EXEMPT:
                    st.caption(md_escape(f"Exempt: {customer.tax_exemption_reason or ''}"))
