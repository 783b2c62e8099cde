"""The rules of customer families, checked inside the writing transaction.

A family is one level deep: a child names its parent; a parent has no parent; a customer
with children cannot get one; nobody is their own parent, so no cycle can form. An
archived customer cannot become a parent (its new child would be billed through a
customer that is no longer billed), and "invoice to parent" needs a parent.

Race safety: the writer holds the child's row (services.customers.load_for_write) and
here locks the parent's row before reading it (PostgreSQL; SQLite's write lock is whole).
Two writes that could together make a two-level family (A under B while B goes under C)
both lock B, so the second one reads what the first committed and is refused.

Every change of parent is audited on the child (its parent by name and ID) and noted on
the parents it leaves and joins, so each side's History says it.
"""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from models.customer import Customer
from models.types import utcnow
from services import audit
from services.errors import ValidationError

PARENT = "parent_id"
INVOICE_TO_PARENT = "invoice_to_parent"
CHILDREN = "children"  # the parent's note, and the archive's choice of what to do with them
ARCHIVE_CHILDREN, DETACH_CHILDREN = "archive", "detach"
CHILDREN_CHOICES = {
    ARCHIVE_CHILDREN: "Archive the children too",
    DETACH_CHILDREN: "Detach the children and archive only the parent",
}
CHILD_ADDED, CHILD_REMOVED = "customer.child_added", "customer.child_removed"


def label(customer: Customer) -> str:
    """How the audit log and the messages name a family member: "Acme GmbH (#12)"."""
    return f"{customer.name} (#{customer.id})"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def count_children(session: Session, customer_id: int, *, active_only: bool = False) -> int:
    query = select(func.count()).select_from(Customer).where(Customer.parent_id == customer_id)
    if active_only:
        query = query.where(Customer.archived_at.is_(None))
    return session.exec(query).one()


def check(session: Session, customer: Customer | None, before: Mapping[str, Any],
          after: Mapping[str, Any]) -> Customer | None:
    """Refuse a change of family that breaks a rule (ValidationError naming the field);
    return the new parent, locked. `customer` is None for a customer being created."""
    errors: dict[str, str] = {}
    parent_id, parent = after.get(PARENT), None
    if after.get(INVOICE_TO_PARENT) and parent_id is None:
        errors[INVOICE_TO_PARENT] = ("Invoice to parent needs a parent customer: choose the "
                                     "Parent first, or leave Invoice to parent off.")
    if parent_id is not None:
        parent = session.get(Customer, parent_id, with_for_update=True)
    if parent_id is not None and parent_id != before.get(PARENT):
        message = _refusal(session, customer, parent_id, parent)
        if message:
            errors[PARENT] = message
    if errors:
        raise ValidationError(errors)
    return parent


def _refusal(session: Session, customer: Customer | None, parent_id: int,
             parent: Customer | None) -> str | None:
    """Why `parent` may not become the parent of `customer`, or None."""
    if customer is not None and parent_id == customer.id:
        return "Parent: a customer cannot be its own parent."
    if parent is None:
        return f"Parent: customer #{parent_id} does not exist."
    if parent.archived_at is not None:
        return (f"Parent: {label(parent)} is archived, and an archived customer cannot become "
                "a parent: its children would be invoiced through a customer that is no "
                "longer billed. Restore it first, or choose another parent.")
    if customer is not None and parent.parent_id == customer.id:
        return (f"Parent: {label(parent)} is a child of {label(customer)}; a customer cannot "
                "be the child of its own child.")
    if parent.parent_id is not None:
        grand = session.get(Customer, parent.parent_id)
        return (f"Parent: {label(parent)} is itself a child of {label(grand)}, and families "
                f"are one level deep. Choose {label(grand)} as the parent instead.")
    if customer is not None:
        children = count_children(session, customer.id)
        if children:
            return (f"Parent: {label(customer)} has {_plural(children, 'child customer')}, "
                    "so it cannot get a parent (families are one level deep). Detach its "
                    "children first.")
    return None


def named_changes(session: Session, changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The audit changes with the parent named ("Acme GmbH (#12)") rather than numbered,
    as it was called when it changed."""
    if PARENT not in changes:
        return changes
    old, new = changes[PARENT]
    return {**changes, PARENT: [_name_of(session, old), _name_of(session, new)]}


def _name_of(session: Session, customer_id: int | None) -> str | None:
    if customer_id is None:
        return None
    found = session.get(Customer, customer_id)
    return label(found) if found is not None else f"#{customer_id}"


def note_parents(session: Session, child: Customer, old_parent: int | None,
                 new_parent: int | None, *, actor: str) -> None:
    """A note on each parent the child left or joined (the parents' versions stay: a note
    is not an edit, and must not turn someone's open edit of the parent into a conflict)."""
    if old_parent == new_parent:
        return
    for parent_id, action, change in ((old_parent, CHILD_REMOVED, [label(child), None]),
                                      (new_parent, CHILD_ADDED, [None, label(child)])):
        if parent_id is not None:
            audit.record(session, actor=actor, action=action, entity="customer",
                         entity_id=parent_id, customer_id=parent_id,
                         changes={CHILDREN: change})


def refuse_undecided_archive(session: Session, parents: list[Customer],
                             children: str | None) -> None:
    """Archiving a parent with active children needs a choice of what happens to them."""
    if children is not None and children not in CHILDREN_CHOICES:
        raise ValidationError.single(CHILDREN, f"Children: choose {ARCHIVE_CHILDREN} (archive "
                                               f"them too) or {DETACH_CHILDREN} (detach them).")
    if children is not None:
        return
    waiting = [(p, count_children(session, p.id, active_only=True)) for p in parents]
    waiting = [(p, n) for p, n in waiting if n]
    if not waiting:
        return
    if len(waiting) == 1:
        parent, count = waiting[0]
        who = f"{label(parent)} has {_plural(count, 'active child customer')}"
    else:
        count = sum(n for _, n in waiting)
        who = (f"{_plural(len(waiting), 'selected customer')} have "
               f"{_plural(count, 'active child customer')}")
    raise ValidationError.single(
        CHILDREN, f"{who}. Say what happens to them: archive them too ({ARCHIVE_CHILDREN}), "
                  f"or detach them and archive only the parent ({DETACH_CHILDREN}). Nothing "
                  "was archived.")


def active_children(session: Session, parent_ids: list[int], *, lock: bool = True
                    ) -> list[Customer]:
    """The active children of `parent_ids`, locked in id order (as bulk actions lock)."""
    if not parent_ids:
        return []
    query = (select(Customer).where(Customer.parent_id.in_(parent_ids),
                                    Customer.archived_at.is_(None)).order_by(Customer.id))
    return list(session.exec(query.with_for_update() if lock else query).all())


def detach(session: Session, child: Customer, *, actor: str, action: str = "customer.updated"
           ) -> dict[str, Any]:
    """Take the child out of its family (its invoices stop going to the parent); audited on
    both sides. Returns the child's values before, for an undo."""
    before = {PARENT: child.parent_id, INVOICE_TO_PARENT: child.invoice_to_parent}
    changes = named_changes(session, audit.diff(before, {PARENT: None,
                                                         INVOICE_TO_PARENT: False}))
    child.parent_id, child.invoice_to_parent = None, False
    child.updated_at = utcnow()
    audit.record(session, actor=actor, action=action, entity="customer", entity_id=child.id,
                 customer_id=child.id, changes=changes)
    note_parents(session, child, before[PARENT], None, actor=actor)
    return before

