"""Where each row goes: to a new customer, or to the customer its External IDs belong to.

Routing runs in this process, in file order, and reads for each chunk at once who owns
its External IDs, who holds look-alikes of them (services.alias_keys), and the stored
values of the customers the chunk updates, locked for a real import. It refuses a row
that names an External ID twice in the file (or a look-alike of one), whose IDs belong
to two customers or look like another customer's, or that changes a customer an earlier
row changes; and a row whose payment method another row names, or another customer holds.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from models.catalogue import EXTERNAL_IDS, PRIMARY_CONTACT_PREFIX, customer_fields
from models.contact import Contact
from models.customer import Customer
from models.payment_method import PaymentMethod
from services import alias_keys, autopay, family_sql
from services.builtin_columns import PARENT_EXTERNAL_ID
from services.errors import ValidationError
from services.family_rules import PARENT
from services.identifiers import match_key
from services.import_payment_methods import METHOD, PREFIX
from services.imports.file_memory import FileMemory
from services.imports.parents import (
    HAS_CHILDREN,
    FileFamilies,
    StoredParent,
    stored_parents,
)
from services.payment_methods import PROVIDERS

CONTACT_KEYS = ("first_name", "last_name", "email")
CONTACT_ID = "_contact_id"  # the primary contact the import read, which it updates by id
USABLE_DEFAULT = "_usable_default"  # whether the customer has a default Auto Pay can charge


@dataclass
class Job:
    """A row routed to "new" or to the customer it updates, still to be validated."""

    line: int
    values: dict[str, Any]
    aliases: list[str]
    customer_id: int | None = None
    before: dict[str, Any] | None = None
    added: list[str] = field(default_factory=list)
    method_stored: dict[str, Any] | None = None  # the row's method as stored, if it is


@dataclass
class Stored:
    """What the database holds for one chunk's External IDs."""

    owners: dict[str, int]  # External ID -> its customer
    holders: dict[str, tuple[int, str, str]]  # look-alike key -> (customer, name, its ID)
    current: dict[int, dict[str, Any]]  # the owners' stored values, by customer id
    # (provider, reference) -> the stored method's values, with its customer's name
    methods: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    parents: dict[str, StoredParent] = field(default_factory=dict)  # External ID -> parent

    @classmethod
    def read(cls, session: Session, rows: list[dict[str, Any]], *, lock: bool) -> "Stored":
        """What the database holds for the External IDs and payment methods of `rows`
        (each a row's values)."""
        named = {a for values in rows for a in values.get(EXTERNAL_IDS, ())}
        holders, owners = alias_keys.holders_and_owners(session, map(match_key, named), named)
        return cls(owners, holders,
                   _current(session, set(owners.values()), lock=lock),
                   _methods(session, [v[METHOD] for v in rows if METHOD in v]),
                   stored_parents(session, rows))


def _methods(session: Session, methods: list[dict[str, Any]]
             ) -> dict[tuple[str, str], dict[str, Any]]:
    """The stored methods among a chunk's, by provider and reference."""
    if not methods:
        return {}
    references = {m["reference"] for m in methods}
    query = (select(PaymentMethod, Customer.name)
             .join(Customer, Customer.id == PaymentMethod.customer_id)
             .where(PaymentMethod.reference.in_(references)))
    found = {}
    for method, name in session.execute(query):
        values = {**{c.name: getattr(method, c.name) for c in PaymentMethod.__table__.columns},
                  "customer_name": name}
        found[(method.provider, method.reference)] = values
    return found


def _current(session: Session, ids: set[int], *, lock: bool) -> dict[int, dict[str, Any]]:
    """Stored values of the customers a chunk updates, with their primary contact's.

    With `lock` (a real import) the customers' rows stay locked until the import commits,
    so nobody can save them between this read and the import's write: a save waits, then
    finds the version moved and is refused as a conflict instead of being written over.
    (SQLite needs no row lock: the import holds its only write lock throughout.) Rows are
    locked in id order so two imports, or an import and a bulk action, cannot deadlock."""
    if not ids:
        return {}
    columns = [getattr(Customer, s.attr).label(s.key) for s in customer_fields()]
    query = (
        select(Customer.id, Customer.version, Customer.custom_fields, *columns,
               autopay.has_usable_default().label(USABLE_DEFAULT),
               family_sql.has_children().label(HAS_CHILDREN),
               Contact.id.label(CONTACT_ID),
               *(getattr(Contact, k).label(PRIMARY_CONTACT_PREFIX + k) for k in CONTACT_KEYS))
        .outerjoin(Contact, (Contact.customer_id == Customer.id) & Contact.is_primary)
        .where(Customer.id.in_(ids))
        .order_by(Customer.id)
    )
    if lock:
        query = query.with_for_update(of=Customer.__table__)
    current = {row.id: dict(row._mapping) for row in session.execute(query)}
    others = select(Contact.customer_id, func.lower(Contact.email)).where(
        Contact.customer_id.in_(ids), Contact.is_primary.is_(False))
    for customer_id, email in session.execute(others):
        current[customer_id].setdefault("_other_emails", set()).add(email)
    return current


class Router:
    """Routes one import's rows in file order, remembering what the earlier rows took (on
    disk: services.imports.file_memory); `load` each chunk before routing its rows, and
    `close` the router when the file is done."""

    def __init__(self):
        self._memory = FileMemory()
        self.seen_keys = self._memory.map("seen_keys")  # look-alike key -> (row, ID)
        self.updated = self._memory.map("updated")  # customer id -> the row that updates it
        self.methods = self._memory.map("methods")  # (provider, reference) -> its row
        self.families = FileFamilies(self._memory.map("children"),
                                     self._memory.map("parents"))

    def load(self, rows: list[dict[str, Any]], stored: Stored) -> None:
        """Read what the earlier rows left that the rows of this chunk (each a row's
        values) can ask for: their External IDs' and parents' keys, the customers they
        update, their payment methods."""
        keys = {match_key(a) for values in rows for a in values.get(EXTERNAL_IDS, ())}
        keys |= {match_key(v[PARENT_EXTERNAL_ID]) for v in rows if v.get(PARENT_EXTERNAL_ID)}
        self.seen_keys.load(keys)
        self.families.load(keys)
        self.updated.load(stored.owners.values())
        self.methods.load((v[METHOD]["provider"], v[METHOD]["reference"])
                          for v in rows if METHOD in v)

    def close(self) -> None:
        self._memory.close()

    def route(self, line: int, values: dict[str, Any], stored: Stored) -> Job:
        """The checks that need this import's state and the database: External IDs named
        twice in the file (or look-alikes of one another), owned by two customers,
        look-alikes of another customer's, or a customer changed twice."""
        aliases = values.get(EXTERNAL_IDS, [])
        keys = {alias: match_key(alias) for alias in aliases}
        for alias, key in keys.items():
            first, held = self.seen_keys.get(key, (line, alias))
            if first != line:
                how = "appears" if held == alias else f'looks like "{held}", which appears'
                raise ValidationError.single(
                    EXTERNAL_IDS, f'External ID "{alias}" {how} in row {first} too.')
        owned = {stored.owners[a] for a in aliases if a in stored.owners}
        if len(owned) > 1:
            raise ValidationError.single(
                EXTERNAL_IDS, "These External IDs belong to different customers: "
                              + ", ".join(f"#{h}" for h in sorted(owned)) + ".")
        customer_id = next(iter(owned), None)
        for alias, key in keys.items():
            holder = stored.holders.get(key)
            if holder is not None and holder[0] != customer_id:
                raise ValidationError.single(EXTERNAL_IDS,
                                             alias_keys.taken_message(alias, holder))
        stored_method = self._method(line, values.get(METHOD), stored, customer_id)
        self._parent(line, values, keys, stored, customer_id)
        for alias, key in keys.items():
            self.seen_keys.setdefault(key, (line, alias))
        if customer_id is None:
            return Job(line, values, aliases, method_stored=stored_method)
        earlier = self.updated.get(customer_id)
        if earlier is not None:
            raise ValidationError.single(
                EXTERNAL_IDS, f"Row {earlier} already updates this customer (#{customer_id}); "
                              "a file may change each customer once.")
        self.updated[customer_id] = line
        added = [a for a in aliases if a not in stored.owners]
        return Job(line, values, aliases, customer_id, stored.current[customer_id], added,
                   stored_method)

    def _parent(self, line: int, values: dict[str, Any], keys: dict[str, str], stored: Stored,
                customer_id: int | None) -> None:
        """The row's parent by the family rules (services.imports.parents); a stored one
        becomes the row's parent_id here, one from an earlier row is resolved on writing."""
        wanted = values.get(PARENT_EXTERNAL_ID)
        if not wanted:
            return
        parent = stored.parents.get(wanted)
        if parent is not None and parent.id == customer_id:
            raise ValidationError.single(PARENT_EXTERNAL_ID, "A customer cannot be its own "
                                                             "parent.")
        has_children = customer_id is not None and stored.current[customer_id][HAS_CHILDREN]
        self.families.check(line, values, keys, self.seen_keys, stored.parents, has_children)
        if parent is not None:
            values[PARENT] = parent.id
            del values[PARENT_EXTERNAL_ID]

    def _method(self, line: int, method: dict[str, Any] | None, stored: Stored,
                customer_id: int | None) -> dict[str, Any] | None:
        """The row's payment method as stored, if it is this customer's; refused when an
        earlier row names it or another customer holds it."""
        if method is None:
            return None
        key = (method["provider"], method["reference"])
        where = f'Method reference "{key[1]}" at {PROVIDERS[key[0]]}'
        first = self.methods.setdefault(key, line)
        if first != line:
            raise ValidationError.single(PREFIX + "reference",
                                         f"{where} appears in row {first} too.")
        held = stored.methods.get(key)
        if held is not None and held["customer_id"] != customer_id:
            raise ValidationError.single(
                PREFIX + "reference", f"{where} is already a payment method of customer "
                f"{held['customer_name']} (#{held['customer_id']}).")
        return held
