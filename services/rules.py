"""Rules over a customer's values that span fields, and the checks that need the database."""

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from models.catalogue import EXTERNAL_IDS, alias_field, contact_fields, customer_fields
from models.contact import Contact
from models.customer import Customer
from models.legal_entity import LegalEntity
from services import field_rules
from services.cleaners import FieldError, clean, clean_value, reject_unknown
from services.connected_accounts import SYSTEM, clean_system, split_item
from services.entity_defaults import entity_defaults
from services.errors import ValidationError


def legal_entity_id(session: Session, wanted: int | None, country: str | None = None) -> int:
    """The legal entity asked for, which must exist; when none is asked for, the one a
    customer of `country` takes (services.entity_defaults)."""
    if wanted is None:
        found = entity_defaults(session).for_country(country)
    else:
        found = session.get(LegalEntity, wanted) and wanted
    if found is None:
        raise ValidationError.single("legal_entity_id", "Legal Entity does not exist.")
    return found


def reverse_charge_errors(session: Session, merged: Mapping[str, Any]) -> dict[str, str]:
    """services.field_rules.reverse_charge_errors against the customer's legal entity."""
    entity = session.get(LegalEntity, merged.get("legal_entity_id") or 0)
    return field_rules.reverse_charge_errors(merged, entity.country if entity else None)


def clean_aliases(raw: Any) -> list[str]:
    """External IDs as a list of distinct, cleaned values; the first refusal is raised."""
    return list(clean_external_ids(raw))


def clean_external_ids(raw: Any) -> dict[str, str]:
    """External IDs, distinct and cleaned, each with its system (services.
    connected_accounts); the first refusal is raised."""
    rows, systems, errors = alias_rows(raw)
    if errors:
        raise ValidationError.single(EXTERNAL_IDS, next(iter(errors.values())))
    return {value: systems[value] for value in rows}


def alias_row_key(index: int) -> str:
    """The error key of the External ID at `index` of the list given (as contacts[i])."""
    return f"{EXTERNAL_IDS}[{index}]"


def alias_rows(raw: Any) -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    """External IDs cleaned, each with its index in `raw`, each one's system, and every
    refusal keyed by the index of its row (a blank row is skipped; a repeat is refused at
    its second row, also under another system: a value is one ID whatever its system).
    An item is a value, {"value": ..., "system": ...} or a pair (value, system)."""
    spec = alias_field()
    if raw is None:
        return {}, {}, {}
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple):
        return {}, {}, {EXTERNAL_IDS: f"{spec.label}s must be a list of text."}
    rows: dict[str, int] = {}  # a dict: ordered, and a repeat is found in constant time
    systems: dict[str, str] = {}
    errors: dict[str, str] = {}
    for index, item in enumerate(raw):
        given, system, wrong = split_item(item)
        if wrong:
            errors[alias_row_key(index)] = wrong
            continue
        try:
            value = clean_value(spec, given)
            system = clean_system(system, f"{alias_row_key(index)}.{SYSTEM}")
        except FieldError as exc:
            errors[alias_row_key(index)] = str(exc)
            continue
        except ValidationError as exc:
            errors.update(exc.errors)
            continue
        if value is None:
            continue
        if value in rows:
            errors[alias_row_key(index)] = f'{spec.label} "{value}" is listed twice.'
            continue
        rows[value] = index
        systems[value] = system
    return rows, systems, errors


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
