"""Rules over a customer's values that span fields, and the checks that need the database."""

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from models.catalogue import EXTERNAL_IDS, alias_field, contact_fields, customer_fields
from models.choices import DEFAULT_LEGAL_ENTITY_NAME
from models.contact import Contact
from models.customer import Customer
from models.legal_entity import LegalEntity
from services import settings
from services.errors import ValidationError
from services.validation import (
    FieldError,
    address_errors,
    clean,
    clean_value,
    normalise_state,
    normalise_tax_id,
    reject_unknown,
)

ADDRESS_KEYS = {"address_line1", "address_line2", "city", "state", "postal_code", "country"}


def labels() -> dict[str, str]:
    return {s.key: s.label for s in customer_fields()}


def cross_field_errors(merged: dict[str, Any], changed: set[str]) -> dict[str, str]:
    """Check the rules touched by `changed` on the customer's merged values; normalise
    State and Tax ID in `merged` in place."""
    names = labels()
    errors: dict[str, str] = {}
    if changed & ADDRESS_KEYS:
        errors.update(address_errors(merged, names))
        try:
            merged["state"] = normalise_state(merged.get("country"), merged.get("state"),
                                              names["state"])
        except FieldError as exc:
            errors["state"] = str(exc)
    if changed & {"tax_id", "tax_country"}:
        try:
            merged["tax_id"] = normalise_tax_id(
                merged.get("tax_country") or merged.get("country"), merged.get("tax_id"),
                names["tax_id"],
            )
        except FieldError as exc:
            errors["tax_id"] = str(exc)
    return errors


def tax_rate_lock_errors(before: Mapping[str, Any], cleaned: Mapping[str, Any],
                         locked: bool | None = None) -> dict[str, str]:
    """While a tax integration manages tax rates, nobody here may set one. `locked` saves
    the lookup when the caller (an import) already knows."""
    if "tax_rate" not in cleaned:
        return {}
    if not (settings.tax_managed_by_integration() if locked is None else locked):
        return {}
    unchanged = before.get("tax_rate", Customer.model_fields["tax_rate"].default)
    if cleaned["tax_rate"] == unchanged:
        return {}
    return {"tax_rate": settings.TAX_MANAGED_NOTE}


def apply_defaults(values: dict[str, Any]) -> dict[str, Any]:
    """A blank value of a column that cannot be empty takes the column's default
    (Net 30, Customer Desk invoicing, Auto Pay off, Tax Rate 0.00)."""
    columns = Customer.__table__.c
    for spec in customer_fields():
        if values.get(spec.key) is None and spec.key in values and not columns[spec.attr].nullable:
            default = Customer.model_fields[spec.attr].default
            if default is not None and spec.kind != "legal_entity":
                values[spec.key] = default
    return values


def legal_entity_id(session: Session, wanted: int | None) -> int:
    """The legal entity asked for, which must exist; the default one when none is asked for."""
    if wanted is None:
        query = select(LegalEntity.id).order_by(
            (LegalEntity.name != DEFAULT_LEGAL_ENTITY_NAME), LegalEntity.id
        )
        found = session.exec(query).first()
    else:
        found = session.get(LegalEntity, wanted) and wanted
    if found is None:
        raise ValidationError.single("legal_entity_id", "Legal Entity does not exist.")
    return found


def clean_aliases(raw: Any) -> list[str]:
    """External IDs as a list of distinct, cleaned values."""
    spec = alias_field()
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple):
        raise ValidationError.single(EXTERNAL_IDS, f"{spec.label}s must be a list of text.")
    values: dict[str, None] = {}  # a dict: ordered, and a repeat is found in constant time
    for item in raw:
        try:
            value = clean_value(spec, item)
        except FieldError as exc:
            raise ValidationError.single(EXTERNAL_IDS, str(exc)) from exc
        if value is None:
            continue
        if value in values:
            raise ValidationError.single(EXTERNAL_IDS, f'{spec.label} "{value}" is listed twice.')
        values[value] = None
    return list(values)


def clean_contact(values: Mapping[str, Any], *, complete: bool) -> dict[str, Any]:
    """A contact's values cleaned; `complete` for a new contact (missing values take their
    defaults: Billing and Updates on, Legal off)."""
    specs = contact_fields()
    if not isinstance(values, Mapping):
        raise ValidationError.single("contacts", "A contact must be an object of fields.")
    reject_unknown(values, [s.key for s in specs], "a contact")
    data = {s.key: values.get(s.key) for s in specs} if complete else dict(values)
    cleaned = clean(specs, data)
    defaults = {s.key: Contact.model_fields[s.attr].default for s in specs if s.kind == "bool"}
    return {k: defaults[k] if v is None and k in defaults else v for k, v in cleaned.items()}


def customer_values(customer: Customer) -> dict[str, Any]:
    return {s.key: getattr(customer, s.attr) for s in customer_fields()}


def require(errors: Mapping[str, str]) -> None:
    if errors:
        raise ValidationError(errors)
