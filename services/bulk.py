"""Bulk actions on selected customers: archive, restore, set legal entity, payment terms
or auto pay. One transaction for the whole selection, one audit event per customer.

Each action that changed something can be undone: its result carries, for each customer
it changed, the version it left the customer at and the values before. Undoing puts those
values back on the customers nobody has saved since; the others keep their newer state
and are counted, never overwritten.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from models.catalogue import field
from models.customer import Customer
from models.legal_entity import LegalEntity
from models.types import utcnow
from services import access, audit, autopay, family_rules, field_rules, rules
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


def _refuse_reverse_charge_at_home(session, customers, entity_id: int) -> None:
    """Moving reverse-charge customers under an entity of their own Tax ID's country would
    break their exemption (services.field_rules.reverse_charge_errors): refused, naming
    how many."""
    entity = session.get(LegalEntity, entity_id)
    broken = [c for c in customers if field_rules.reverse_charge_errors(
        rules.customer_values(c), entity.country if entity else None)]
    if broken:
        raise ValidationError.single(
            "legal_entity_id",
            f"{len(broken):,} of the selected customers {'is' if len(broken) == 1 else 'are'} "
            f"reverse charge with a Tax ID of {entity.name}'s country; change their Tax "
            "Exemption first. Nothing was changed.")


@dataclass(frozen=True)
class Changed:
    """One customer a bulk action changed: the version it left it at, its values before."""

    customer_id: int
    version: int
    before: Mapping[str, Any]


@dataclass(frozen=True)
class Undo:
    """What undo_bulk needs to put a bulk action's changes back."""

    action: str
    changed: tuple[Changed, ...]


@dataclass(frozen=True)
class BulkResult:
    changed: int
    unchanged: int
    missing: int
    undo: Undo | None = None  # None when nothing changed

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
                actor: Actor, children: str | None = None) -> BulkResult:
    """Apply `action` to the selected customers, given as {id: the version the list showed}.
    If any of them was saved by someone else since, nothing is changed (ConflictError).
    Archiving parents whose active children are not selected needs `children`, what happens
    to those children (services.family_rules: archive them too, or detach them)."""
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
    unchanged = 0
    changed: list[tuple[Customer, dict[str, Any]]] = []
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
        if key == "legal_entity_id":
            _refuse_reverse_charge_at_home(session, customers, cleaned)
        if key == autopay.AUTO_PAY and cleaned:
            autopay.require_usable_default(session, [c.id for c in customers if not c.auto_pay])
        along = (_settle_children(session, customers, children, actor=actor, changed=changed)
                 if action == "archive" else [])
        for customer in customers + along:
            before = {attr: getattr(customer, attr) for attr in _attrs(key)}
            changes = _apply(customer, action, key, cleaned)
            if not changes:
                unchanged += 1
                continue
            touch(customer)
            changed.append((customer, before))
            audit.record(session, actor=actor, action=f"customer.bulk_{action}",
                         entity="customer", entity_id=customer.id, customer_id=customer.id,
                         changes=changes)
        session.flush()  # the versions the changes leave, which an undo must find
        undo = Undo(action, tuple(Changed(c.id, c.version, before) for c, before in changed))
    return BulkResult(changed=len(changed), unchanged=unchanged,
                      missing=len(ids) - len(customers), undo=undo if changed else None)


def _settle_children(session, selected: list[Customer], children: str | None, *, actor: str,
                     changed: list) -> list[Customer]:
    """The active children of the selected parents that are not selected themselves: refused
    without a choice; detached (each in `changed`, so Undo puts it back), or returned to be
    archived with the selection."""
    chosen = {c.id for c in selected}
    parents = [c for c in selected if c.archived_at is None]
    waiting = [c for c in family_rules.active_children(session, [p.id for p in parents])
               if c.id not in chosen]
    if not waiting:
        return []
    with_children = [p for p in parents if any(c.parent_id == p.id for c in waiting)]
    family_rules.refuse_undecided_archive(session, with_children, children)
    if children == family_rules.ARCHIVE_CHILDREN:
        return waiting
    for child in waiting:
        before = family_rules.detach(session, child, actor=actor)
        changed.append((child, before))
    return []


def _attrs(key: str | None) -> tuple[str, ...]:
    """The attributes an action sets: a status change sets archived_at."""
    return ("archived_at",) if key is None else (key,)


def _apply(customer: Customer, action: str, key: str | None, value: Any) -> dict:
    if key is None:
        archive = action == "archive"
        if (customer.archived_at is not None) == archive:
            return {}
        return _set(customer, "archived_at", utcnow() if archive else None)
    if getattr(customer, key) == value:
        return {}
    return _set(customer, key, value)


def _set(customer: Customer, attr: str, value: Any) -> dict:
    """Set one attribute; the change as the audit log records it (archived_at as status)."""
    if attr == "archived_at":
        before = customer.status.value
        customer.archived_at = value
        return {"status": [before, customer.status.value]}
    before = getattr(customer, attr)
    setattr(customer, attr, value)
    return {attr: [audit.to_json(before), audit.to_json(value)]}


@dataclass(frozen=True)
class UndoResult:
    undone: int
    changed_since: int  # saved by someone (or something) else after the action: kept
    missing: int

    @property
    def summary(self) -> str:
        parts = [f"{self.undone:,} customer{'s' if self.undone != 1 else ''} put back"]
        if self.changed_since:
            parts.append(f"{self.changed_since:,} could not be undone: changed since by "
                         "someone else, so their newer values were kept")
        if self.missing:
            parts.append(f"{self.missing:,} no longer exist")
        return "; ".join(parts) + "."


def undo_bulk(undo: Undo, *, actor: Actor) -> UndoResult:
    """Put back the values a bulk action changed, on each customer still at the version the
    action left it at; a customer saved since keeps its newer values. One transaction, one
    audit event per customer put back."""
    if undo.action not in ACTIONS:
        raise ValidationError.single("action", f"Unknown bulk action {undo.action}.")
    actor = access.require(actor, access.ADMIN if ACTIONS[undo.action] is None
                           else access.EDITOR)
    wanted = {c.customer_id: c for c in undo.changed}
    if not wanted:
        raise ValidationError.single("customer_ids", "There is nothing to undo.")
    undone = changed_since = 0
    with write_session() as session:
        customers = session.exec(select(Customer).where(Customer.id.in_(sorted(wanted)))
                                 .order_by(Customer.id).with_for_update()).all()
        autopay.require_usable_default(session, [
            c.id for c in customers if c.version == wanted[c.id].version and not c.auto_pay
            and wanted[c.id].before.get(autopay.AUTO_PAY)])
        for customer in customers:
            entry = wanted[customer.id]
            if customer.version != entry.version:
                changed_since += 1
                continue
            changes: dict[str, list[Any]] = {}
            for attr, value in entry.before.items():
                if getattr(customer, attr) != value:
                    changes |= _set(customer, attr, value)
            if not changes:
                continue
            touch(customer)
            undone += 1
            audit.record(session, actor=actor, action="customer.bulk_undo",
                         entity="customer", entity_id=customer.id, customer_id=customer.id,
                         changes=changes)
    return UndoResult(undone=undone, changed_since=changed_since,
                      missing=len(wanted) - len(customers))
