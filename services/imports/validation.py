"""Each routed row through the form's own rules (prepare_new_customer, prepare_changes).

Validation needs no database: everything it compares with was read by routing. So a
large file's chunks are validated in a worker process (services.imports.pipeline),
while this process writes the chunk before; what crosses the process boundary is a
chunk's jobs and, back, each row's plan or its errors.
"""

from dataclasses import dataclass, field
from typing import Any

from models.catalogue import (
    EXTERNAL_IDS,
    PRIMARY_CONTACT_PREFIX,
    customer_fields,
    primary_contact_fields,
)
from models.fields import FieldSpec
from services import audit
from services.autopay import AUTO_PAY, NO_METHOD
from services.bulk_work import cycle_collector_paused
from services.cleaners import clean
from services.custom_fields import merged_json, stored_values
from services.customers import prepare_changes, prepare_new_customer
from services.errors import ValidationError
from services.imports.routing import CONTACT_ID, CONTACT_KEYS, USABLE_DEFAULT, Job


@dataclass
class Plan:
    """One valid row, ready to write."""

    line: int
    action: str
    values: dict[str, Any]
    contact: dict[str, Any]
    aliases: list[str]
    customer_id: int | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    version: int = 1
    contact_id: int | None = None


def _validate(job: Job, tax_locked: bool, default_entity: int,
              custom: tuple[FieldSpec, ...]) -> Plan:
    """The form's own rules for one row; needs no database, so it can run in a worker."""
    if job.customer_id is None:
        new = prepare_new_customer(job.values, tax_locked=tax_locked, custom=custom)
        if new.values.get("legal_entity_id") is None:
            new.values["legal_entity_id"] = default_entity
        changes = audit.diff({}, {**new.values, **new.contact,
                                  EXTERNAL_IDS: new.aliases or None})
        new.values["custom_fields"] = merged_json({}, new.values, custom)
        return Plan(job.line, "new", new.values, new.contact, new.aliases, changes=changes)
    before = job.before
    own = {k: v for k, v in job.values.items()
           if k != EXTERNAL_IDS and not k.startswith(PRIMARY_CONTACT_PREFIX)}
    stored = {**{s.key: before[s.key] for s in customer_fields()},
              **stored_values(before["custom_fields"], custom)}
    merged, changes = prepare_changes(stored, own, (*customer_fields(), *custom),
                                      tax_locked=tax_locked)
    if merged[AUTO_PAY] and not stored[AUTO_PAY] and not before[USABLE_DEFAULT]:
        raise ValidationError.single(AUTO_PAY, NO_METHOD)
    merged["custom_fields"] = merged_json(before["custom_fields"], merged, custom)
    contact = {k: v for k, v in job.values.items() if k.startswith(PRIMARY_CONTACT_PREFIX)}
    if contact:
        contact_new = {PRIMARY_CONTACT_PREFIX + k: before[PRIMARY_CONTACT_PREFIX + k]
                       for k in CONTACT_KEYS}
        contact_new.update(clean(primary_contact_fields(), contact))
        email = contact_new[PRIMARY_CONTACT_PREFIX + "email"] or ""
        if email.lower() in before.get("_other_emails", set()):
            raise ValidationError.single(PRIMARY_CONTACT_PREFIX + "email",
                                         f"Email {email} is already a contact of this customer.")
        changes.update(audit.diff({k: before[k] for k in contact_new}, contact_new))
        contact = contact_new
    if job.added:
        changes[EXTERNAL_IDS] = [None, job.added]
    action = "updated" if changes else "unchanged"
    return Plan(job.line, action, merged, contact, job.added, job.customer_id, changes,
                 before["version"], before[CONTACT_ID])


def validate_all(jobs: list[Job], tax_locked: bool, default_entity: int,
                  custom: tuple[FieldSpec, ...]) -> list[Plan | dict[str, str]]:
    """Each job's plan, or its errors (as a mapping: it may cross a process boundary)."""
    outcomes: list[Plan | dict[str, str]] = []
    with cycle_collector_paused():
        for job in jobs:
            try:
                outcomes.append(_validate(job, tax_locked, default_entity, custom))
            except ValidationError as exc:
                outcomes.append(exc.errors)
    return outcomes
