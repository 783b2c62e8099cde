"""The field catalogue: every user-facing customer field, read from the models.

Forms, profile sections, grid columns, exports, import mapping and the API read
this list; nothing else spells out a field's label or section.
"""

from dataclasses import replace
from functools import cache

from models.alias import Alias
from models.contact import Contact
from models.customer import Customer
from models.fields import FieldSpec, specs_of
from models.payment_method import METHOD_TYPES, PROVIDERS, PaymentMethod
from models.sections import Section

# Keys under which the New Customer form and the API pass the primary contact
# and the external identifiers next to the customer's own columns.
PRIMARY_CONTACT_PREFIX = "primary_contact_"
EXTERNAL_IDS = "external_ids"


@cache
def customer_fields() -> tuple[FieldSpec, ...]:
    return tuple(specs_of(Customer))


@cache
def typed_customer_fields() -> tuple[FieldSpec, ...]:
    """The customer's fields people set; the others the system keeps (FieldSpec.typed)."""
    return tuple(s for s in customer_fields() if s.typed)


@cache
def contact_fields() -> tuple[FieldSpec, ...]:
    return tuple(specs_of(Contact))


@cache
def payment_method_fields() -> tuple[FieldSpec, ...]:
    """A payment method's fields; provider and type offer their codes (labels: PROVIDERS,
    METHOD_TYPES)."""
    options = {"provider": tuple(PROVIDERS), "method_type": tuple(METHOD_TYPES)}
    return tuple(replace(s, options=options.get(s.attr, ())) for s in specs_of(PaymentMethod))


@cache
def alias_field() -> FieldSpec:
    """External IDs, under the key the form and the API pass them with."""
    (spec,) = specs_of(Alias)
    return replace(spec, key=EXTERNAL_IDS)


@cache
def primary_contact_fields() -> tuple[FieldSpec, ...]:
    """The primary contact's name and email as the New Customer form asks for them."""
    return tuple(
        replace(s, label=s.label_in_form)
        for s in specs_of(Contact, prefix=PRIMARY_CONTACT_PREFIX)
        if s.form_section is not None
    )


def by_key() -> dict[str, FieldSpec]:
    specs = (*customer_fields(), *primary_contact_fields(), alias_field())
    return {s.key: s for s in specs}


def field(key: str) -> FieldSpec:
    """The spec of a customer-level field key, including primary_contact_* keys."""
    return by_key()[key]


def section_fields(section: Section) -> tuple[FieldSpec, ...]:
    """The customer columns edited in one profile section, in declaration order."""
    return tuple(s for s in customer_fields() if s.section == section)


def form_fields(form_section: Section) -> tuple[FieldSpec, ...]:
    """The fields of one New Customer form section, in the order the form shows them."""
    specs = (*primary_contact_fields(), *typed_customer_fields(), alias_field())
    return tuple(
        sorted((s for s in specs if s.form_section == form_section), key=lambda s: s.form_order)
    )


def label(key: str) -> str:
    return field(key).label
