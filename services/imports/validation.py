"""Each routed row through the form's own rules (prepare_new_customer, prepare_changes).

Validation needs no database: everything it compares with was read by routing. So a
large file's chunks are validated in a worker process (services.imports.pipeline),
while this process writes the chunk before; what crosses the process boundary is a
chunk's jobs and, back, each row's plan or its errors.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from models.catalogue import (
    EXTERNAL_IDS,
    PRIMARY_CONTACT_PREFIX,
    customer_fields,
    primary_contact_fields,
)
from models.catalogue import field as catalogue_field
from models.fields import FieldSpec
from services import audit, field_rules, import_payment_methods, reference, rules
from services.autopay import AUTO_PAY, NO_METHOD
from services.builtin_columns import PARENT_EXTERNAL_ID
from services.bulk_work import cycle_collector_paused
from services.cleaners import FieldError, clean, clean_value, is_blank, values_remembered
from services.connected_accounts import texts
from services.custom_fields import merged_json, stored_values
from services.customers import prepare_changes, prepare_new_customer
from services.entity_defaults import EntityDefaults
from services.errors import ValidationError
from services.family_rules import PARENT
from services.fast_insert import Encoded
from services.import_payment_methods import METHOD
from services.imports.cells import SYSTEMS
from services.imports.parents import check_invoice_to_parent
from services.imports.routing import CONTACT_ID, CONTACT_KEYS, USABLE_DEFAULT, Job

CURRENCY, COUNTRY = "currency", "country"


@dataclass
class Plan:
    """One valid row, ready to write."""

    line: int
    action: str
    values: dict[str, Any]
    contact: dict[str, Any]
    aliases: list[str]
    customer_id: int | None = None
    # The audit event's {field: [old, new]}; as JSON text (Encoded) once validated, unless
    # it names a parent, which writing names (services.imports.parents).
    changes: dict[str, list[Any]] | Encoded = field(default_factory=dict)
    version: int = 1
    contact_id: int | None = None
    method: dict[str, Any] | None = None  # the row's payment method, the customer's default
    method_id: int | None = None  # the stored method it updates, if it is stored
    parent_alias: str | None = None  # a parent an earlier row of the file names
    notes: list[str] = field(default_factory=list)  # what the import filled in, for people
    systems: dict[str, str] = field(default_factory=dict)  # each new External ID's system


def _currency_from_country(values: dict[str, Any]) -> str | None:
    """A new customer's row without a currency takes its country's, as the form pre-fills
    it (services.reference.default_currency); returns the note the dry run shows for it.
    A row with neither keeps no currency, and the form's rules refuse it naming the
    currency; a country that is not one is refused by them under its own name."""
    if not is_blank(values.get(CURRENCY)):
        return None
    try:
        country = clean_value(catalogue_field(COUNTRY), values.get(COUNTRY))
    except FieldError:
        return None
    currency = reference.default_currency(country)
    if currency is None:
        return None
    values[CURRENCY] = currency
    return (f"{catalogue_field(CURRENCY).label} {currency} came from "
            f"{catalogue_field(COUNTRY).label} {country}.")


def _new_customer(job: Job, tax_locked: bool, custom: tuple[FieldSpec, ...]):
    """The form's rules for a new customer, and the note of a currency taken from the
    country. Auto Pay, which a new customer may not have without a method, is taken when
    the row's own method can be charged."""
    values = {k: v for k, v in job.values.items() if k != METHOD}
    filled = _currency_from_country(values)
    method = job.values.get(METHOD)
    if method is None or not import_payment_methods.usable(method):
        return prepare_new_customer(values, tax_locked=tax_locked, custom=custom), filled
    auto_pay = values.pop(AUTO_PAY, None)
    new = prepare_new_customer(values, tax_locked=tax_locked, custom=custom)
    try:
        new.values[AUTO_PAY] = bool(clean_value(catalogue_field(AUTO_PAY), auto_pay))
    except FieldError as exc:
        raise ValidationError.single(AUTO_PAY, str(exc)) from None
    return new, filled


def _validate(job: Job, tax_locked: bool, entities: EntityDefaults,
              custom: tuple[FieldSpec, ...]) -> Plan:
    """The form's own rules for one row; needs no database, so it can run in a worker."""
    method = job.values.get(METHOD)
    parent_alias = job.values.get(PARENT_EXTERNAL_ID)
    systems = job.values.get(SYSTEMS, {})
    job.values = {k: v for k, v in job.values.items() if k not in (PARENT_EXTERNAL_ID, SYSTEMS)}
    if job.customer_id is None:
        new, filled = _new_customer(job, tax_locked, custom)
        check_invoice_to_parent(new.values, parent_alias)
        if new.values.get("legal_entity_id") is None:
            new.values["legal_entity_id"] = entities.for_country(new.values.get("country"))
        rules.require(field_rules.reverse_charge_errors(
            new.values, entities.country_of(new.values["legal_entity_id"])))
        changes = audit.diff({}, {**new.values, **new.contact,
                                  EXTERNAL_IDS: texts(new.aliases, systems) or None})
        if parent_alias:
            changes[PARENT] = [None, parent_alias]  # named once it is resolved
        if method is not None:
            changes.update(import_payment_methods.method_changes(method, None))
        new.values["custom_fields"] = merged_json({}, new.values, custom)
        return Plan(job.line, "new", new.values, new.contact, new.aliases, changes=changes,
                    method=method, parent_alias=parent_alias, notes=[filled] if filled else [],
                    systems=systems)
    before = job.before
    own = {k: v for k, v in job.values.items()
           if k not in (EXTERNAL_IDS, METHOD) and not k.startswith(PRIMARY_CONTACT_PREFIX)
           and not (k == CURRENCY and is_blank(v))}  # a blank currency keeps the stored one
    stored = {**{s.key: before[s.key] for s in customer_fields()},
              **stored_values(before["custom_fields"], custom)}
    merged, changes = prepare_changes(stored, own, (*customer_fields(), *custom),
                                      tax_locked=tax_locked)
    if field_rules.REVERSE_CHARGE_KEYS & set(own):
        rules.require(field_rules.reverse_charge_errors(
            merged, entities.country_of(merged.get("legal_entity_id"))))
    check_invoice_to_parent(merged, parent_alias)
    if parent_alias:
        changes[PARENT] = [stored[PARENT], parent_alias]  # named once it is resolved
    chargeable = (import_payment_methods.usable(method) if method is not None
                  else before[USABLE_DEFAULT])
    if merged[AUTO_PAY] and not stored[AUTO_PAY] and not chargeable:
        raise ValidationError.single(AUTO_PAY, NO_METHOD)
    merged["custom_fields"] = merged_json(before["custom_fields"], merged, custom)
    contact = {k: v for k, v in job.values.items() if k.startswith(PRIMARY_CONTACT_PREFIX)}
    if before[CONTACT_ID] is None and all(is_blank(v) for v in contact.values()):
        contact = {}  # no billing contact, and the row gives none
    if contact:
        contact_new = {PRIMARY_CONTACT_PREFIX + k: before[PRIMARY_CONTACT_PREFIX + k]
                       for k in CONTACT_KEYS}
        contact_new.update(clean(primary_contact_fields(), contact))
        email = contact_new[PRIMARY_CONTACT_PREFIX + "email"] or ""
        if not email:  # a name for a customer without a contact, and no email
            spec = catalogue_field(PRIMARY_CONTACT_PREFIX + "email")
            raise ValidationError.single(spec.key, f"{spec.label} is required.")
        if email.lower() in before.get("_other_emails", set()):
            raise ValidationError.single(PRIMARY_CONTACT_PREFIX + "email",
                                         f"Email {email} is already a contact of this customer.")
        changes.update(audit.diff({k: before[k] for k in contact_new}, contact_new))
        contact = contact_new
    if job.added:
        changes[EXTERNAL_IDS] = [None, texts(job.added, systems)]
    method_changes = ({} if method is None
                      else import_payment_methods.method_changes(method, job.method_stored))
    changes.update(method_changes)
    action = "updated" if changes else "unchanged"
    return Plan(job.line, action, merged, contact, job.added, job.customer_id, changes,
                before["version"], before[CONTACT_ID], method if method_changes else None,
                job.method_stored["id"] if job.method_stored else None, parent_alias,
                systems=systems)


def validate_all(jobs: list[Job], tax_locked: bool, entities: EntityDefaults,
                  custom: tuple[FieldSpec, ...]) -> list[Plan | dict[str, str]]:
    """Each job's plan, or its errors (as a mapping: it may cross a process boundary)."""
    outcomes: list[Plan | dict[str, str]] = []
    with cycle_collector_paused(), values_remembered():
        for job in jobs:
            try:
                plan = _validate(job, tax_locked, entities, custom)
            except ValidationError as exc:
                outcomes.append(exc.errors)
                continue
            if PARENT not in plan.changes:  # a parent is named once it is resolved
                plan.changes = Encoded(json.dumps(plan.changes))
            outcomes.append(plan)
    return outcomes
