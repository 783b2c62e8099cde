"""Bulk actions on selected customers: archive, restore, set legal entity, payment terms
or auto pay. One transaction for the whole selection, one audit event per customer."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from models.catalogue import field
from models.customer import Customer
from models.types import utcnow
from services import access, audit, rules
from services.access import Actor
from services.cleaners import FieldError, clean_value
from services.customers import touch
from services.db import write_session
from services.errors import ConflictError, ValidationError

MAX_SELECTION = 10_000
# action -> the field it sets (None: a status change)
ACTIONS: dict[str, str | None] = {
    "archive": None,
    "restore": None,
    "set_legal_entity": "legal_entity_id",
    "set_payment_terms": "payment_terms_days",
    "set_auto_pay": "auto_pay",
}


@dataclass(frozen=True)
class BulkResult:
    changed: int
    unchanged: int
    missing: int

    @property
    def summary(self) -> str:
        parts = [f"{self.changed:,} customer{'s' if self.changed != 1 else ''} changed"]
        if self.unchanged:
            parts.append(f"{self.unchanged:,} already so")
        if self.missing:
            parts.append(f"{self.missing:,} no longer exist")
        return ", ".join(parts) + "."


def _clean(action: str, value: Any) -> Any:
    key = ACTIONS[action]
    if key is None:
        return None
    spec = field(key)
    try:
        cleaned = clean_value(spec, value)
    except FieldError as exc:
        raise ValidationError.single(key, str(exc)) from exc
    if cleaned is None:
        raise ValidationError.single(key, f"{spec.label} is required.")
    return cleaned


def bulk_update(selection: Mapping[int, int], action: str, value: Any = None, *,
                actor: Actor) -> BulkResult:
    """Apply `action` to the selected customers, given as {id: the version the list showed}.
    If any of them was saved by someone else since, nothing is changed (ConflictError)."""
    if action not in ACTIONS:
        raise ValidationError.single("action", f"Unknown bulk action {action}.")
    actor = access.require(actor, access.ADMIN if ACTIONS[action] is None else access.EDITOR)
    ids = sorted(selection)
    if not ids:
        raise ValidationError.single("customer_ids", "Select at least one customer.")
    if len(ids) > MAX_SELECTION:
        raise ValidationError.single(
            "customer_ids", f"Select at most {MAX_SELECTION:,} customers at a time.")
    cleaned = _clean(action, value)
    key = ACTIONS[action]
    changed = unchanged = 0
    with write_session() as session:
        if key == "legal_entity_id":
            cleaned = rules.legal_entity_id(session, cleaned)
        customers = session.exec(select(Customer).where(Customer.id.in_(ids))
                                 .order_by(Customer.id).with_for_update()).all()
        stale = sum(1 for c in customers if c.version != selection[c.id])
        if stale:
            raise ConflictError(
                f"{stale:,} of the selected customers {'was' if stale == 1 else 'were'} "
                "changed by someone else since the list was loaded; nothing was changed. "
                "Reload the list to see their changes, then apply again.")
        for customer in customers:
            changes = _apply(customer, action, key, cleaned)
            if not changes:
                unchanged += 1
                continue
            touch(customer)
            changed += 1
            audit.record(session, actor=actor, action=f"customer.bulk_{action}",
                         entity="customer", entity_id=customer.id, customer_id=customer.id,
                         changes=changes)
    return BulkResult(changed=changed, unchanged=unchanged, missing=len(ids) - len(customers))


def _apply(customer: Customer, action: str, key: str | None, value: Any) -> dict:
    if key is None:
        archive = action == "archive"
        before = customer.status.value
        if (customer.archived_at is not None) == archive:
            return {}
        customer.archived_at = utcnow() if archive else None
        return {"status": [before, customer.status.value]}
    before = getattr(customer, key)
    if before == value:
        return {}
    setattr(customer, key, value)
    return {key: [audit.to_json(before), audit.to_json(value)]}
