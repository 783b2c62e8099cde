"""A row's parent, named in the file by its External ID ("Parent External ID"): a customer
already stored, or one an earlier row of the same file creates or updates.

Routing (file order, this process) refuses what the family rules refuse, knowing the
database and the earlier rows: an unknown parent, the row's own customer, an archived
parent, a parent that has a parent (stored, or given one by an earlier row), and a row
whose customer has children (stored, or named as a parent by an earlier row). Writing
resolves each External ID to its customer's id (ids of a chunk's new customers are known
before they are inserted), re-checks the stored parents under the import's transaction,
and logs the parent by name on the child and a note on the parent.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from models.alias import Alias
from models.customer import Customer
from services.builtin_columns import PARENT_EXTERNAL_ID
from services.errors import ConflictError, ValidationError
from services.family_rules import CHILD_ADDED, CHILD_REMOVED, CHILDREN, INVOICE_TO_PARENT, PARENT
from services.identifiers import match_key
from services.imports.file_memory import SpilledMap

HAS_CHILDREN = "_has_children"  # a stored customer's flag, read with its values


@dataclass(frozen=True)
class StoredParent:
    id: int
    name: str
    has_parent: bool
    archived: bool


def stored_parents(session: Session, rows: list[dict[str, Any]]) -> dict[str, StoredParent]:
    """The stored customers a chunk's rows name as parents, by the External ID named."""
    named = {v[PARENT_EXTERNAL_ID] for v in rows if v.get(PARENT_EXTERNAL_ID)}
    if not named:
        return {}
    # Two lookups by index, not one join: inside the import's transaction PostgreSQL has
    # no statistics for the customers written so far, and planned the join as a scan of
    # the whole growing table in every chunk (0.12 s at chunk 10, 0.21 s at chunk 50).
    owners = dict(by_value(session, select(Alias.value, Alias.customer_id), named))
    if not owners:
        return {}
    query = (select(Customer.id, Customer.name, Customer.parent_id, Customer.archived_at)
             .where(Customer.id.in_(set(owners.values()))))
    found = {i: StoredParent(i, name, parent is not None, archived is not None)
             for i, name, parent, archived in session.execute(query)}
    return {value: found[i] for value, i in owners.items() if i in found}


def by_value(session: Session, query, values: set[str]) -> list:
    """The rows of `query` (its first column Alias.value) for the aliases `values`, found
    through the look-alike key's index and then by exact value. Asked for a short list of
    values, PostgreSQL's planner takes the alias trigram index, whose lists for digits are
    as long as the table: HubSpot's numeric Record IDs then cost 0.2 to 0.5 s a chunk."""
    keys = {match_key(value) for value in values}
    return [row for row in session.execute(query.where(Alias.match_key.in_(keys)))
            if row[0] in values]


@dataclass
class FileFamilies:
    """What the earlier rows of one import did to families, by External ID's look-alike key
    (maps of services.imports.file_memory: loaded with the keys of each chunk)."""

    children: SpilledMap  # key of a row given a parent -> row
    parents: SpilledMap  # key named as a parent -> row

    def load(self, keys: set[str]) -> None:
        self.children.load(keys)
        self.parents.load(keys)

    def check(self, line: int, values: dict[str, Any], keys: dict[str, str],
              seen: SpilledMap, parents: dict[str, StoredParent],
              stored_has_children: bool) -> None:
        """Refuse the row's parent by the family rules; remember what the row does."""
        wanted = values.get(PARENT_EXTERNAL_ID)
        if not wanted:
            return
        key = match_key(wanted)

        def refuse(message: str) -> None:
            raise ValidationError.single(PARENT_EXTERNAL_ID, message)

        if key in keys.values():
            refuse(f'Parent External ID "{wanted}" is this row\'s own: a customer cannot be '
                   "its own parent.")
        stored = parents.get(wanted)
        if stored is None and key not in seen:
            refuse(f'Parent External ID "{wanted}" is no customer\'s External ID, neither '
                   "stored nor in an earlier row of this file.")
        if stored is not None and stored.archived:
            refuse(f"Parent {stored.name} (#{stored.id}) is archived, and an archived customer "
                   "cannot become a parent.")
        if (stored is not None and stored.has_parent) or key in self.children:
            refuse(f'Parent "{wanted}" is itself a child (families are one level deep).')
        earlier = next((self.parents[k] for k in keys.values() if k in self.parents), None)
        if stored_has_children or earlier is not None:
            where = f" (row {earlier} names it as a parent)" if earlier else ""
            refuse(f"This customer is a parent{where}, so it cannot get a parent: families "
                   "are one level deep.")
        self.parents.setdefault(key, line)
        for own in keys.values():
            self.children.setdefault(own, line)


def check_invoice_to_parent(merged: dict[str, Any], parent_alias: str | None) -> None:
    """Invoice to parent needs a parent: the row's, or the stored one it keeps."""
    if merged.get(INVOICE_TO_PARENT) and merged.get(PARENT) is None and not parent_alias:
        raise ValidationError.single(INVOICE_TO_PARENT, "Invoice to parent needs a parent "
                                                        "customer: fill Parent External ID.")


def resolve(session: Session, plans: list, chunk_ids: dict[str, int]) -> None:
    """Give each plan whose parent an earlier row of the file names its parent_id, before
    the chunk is written (its own new customers have ids already: `chunk_ids`, by External
    ID; earlier chunks' are stored)."""
    by_alias = [p for p in plans if p.parent_alias]
    missing = {p.parent_alias for p in by_alias} - set(chunk_ids)
    ids = dict(chunk_ids)
    if missing:
        ids.update(by_value(session, select(Alias.value, Alias.customer_id), missing))
    for plan in by_alias:
        plan.values[PARENT] = ids[plan.parent_alias]


def named_notes(session: Session, plans: list, base: dict[str, Any]) -> list[dict[str, Any]]:
    """Once the chunk is written: every new parent re-read under the import's transaction
    (the import is refused if one became a child or was archived since routing), the
    parents named in the children's changes, and the notes for the parents' logs (audit
    rows on top of `base`)."""
    moving = [p for p in plans if isinstance(p.changes, dict) and PARENT in p.changes]
    if not moving:
        return []
    joined = {p.values[PARENT] for p in moving} - {None}
    involved = joined | {p.changes[PARENT][0] for p in moving} - {None}
    names = {}
    query = select(Customer.id, Customer.name, Customer.parent_id, Customer.archived_at)
    for customer_id, name, parent, archived in session.execute(
            query.where(Customer.id.in_(involved))):
        names[customer_id] = f"{name} (#{customer_id})"
        if customer_id in joined and (parent is not None or archived is not None):
            raise ConflictError(f"{name} (#{customer_id}) became a child or was archived "
                                "while the file was imported; nothing was imported. Import "
                                "the file again.")
    notes = []
    for plan in moving:
        old, new = plan.changes[PARENT][0], plan.values[PARENT]
        plan.changes[PARENT] = [names.get(old) if old else None, names.get(new) if new else None]
        child = f"{plan.values['name']} (#{plan.customer_id})"
        for parent_id, action, change in ((old, CHILD_REMOVED, [child, None]),
                                          (new, CHILD_ADDED, [None, child])):
            if parent_id is not None:
                notes.append({**base, "entity_id": parent_id, "customer_id": parent_id,
                              "action": action, "changes": {CHILDREN: change}})
    return notes
