"""Who holds the External IDs that look like a given one (models.alias.AliasKey).

Every path that adds an External ID (the form, the API, the import) asks `taken_error`
before writing, then `claim`s the keys; the key table's primary key refuses the second of
two racing writers, and the caller turns that IntegrityError into the same message.
"""

from collections.abc import Container, Iterable

from sqlalchemy import delete, select
from sqlmodel import Session

from models.alias import Alias, AliasKey
from models.catalogue import EXTERNAL_IDS, alias_field
from models.customer import Customer
from services.errors import ValidationError
from services.fast_insert import insert_rows
from services.identifiers import character_name, match_key

_CHUNK = 5_000  # bound parameters per statement stay far below SQLite's limit


def _chunks(items: list) -> Iterable[list]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def holders(session: Session, keys: Iterable[str]) -> dict[str, tuple[int, str, str]]:
    """key -> (customer id, customer name, the External ID of that customer with the key)."""
    return holders_and_owners(session, keys, set())[0]


def holders_and_owners(session: Session, keys: Iterable[str], values: set[str]
                       ) -> tuple[dict[str, tuple[int, str, str]], dict[str, int]]:
    """`holders` of the keys, and the customer id of each of `values` stored exactly as it
    is: one look through the key index for both, as an import's chunk asks for each."""
    found: dict[str, tuple[int, str, str]] = {}
    owners: dict[str, int] = {}
    for part in _chunks(sorted(set(keys))):
        query = (select(Alias.match_key, Customer.id, Customer.name, Alias.value)
                 .join(Customer, Customer.id == Alias.customer_id)
                 .where(Alias.match_key.in_(part)).order_by(Alias.id))
        for key, customer_id, name, value in session.execute(query):
            found.setdefault(key, (customer_id, name, value))
            if value in values:
                owners[value] = customer_id
    return found, owners


def taken_message(value: str, holder: tuple[int, str, str]) -> str:
    customer_id, name, held = holder
    label = alias_field().label
    if held == value:
        return f'{label} "{value}" already belongs to customer {name} (#{customer_id}).'
    return (f'{label} "{value}" looks like "{held}", which belongs to customer {name} '
            f"(#{customer_id}): {_how_it_differs(value, held)}.")


def _how_it_differs(value: str, held: str) -> str:
    """The characters a reader cannot see the difference in, named."""
    if value.casefold() == held.casefold():
        return "they differ only in case"
    odd = [c for c in dict.fromkeys(value) if c not in held]
    named = ", ".join(map(character_name, odd[:3])) + (" and more" if len(odd) > 3 else "")
    return f"it differs only by look-alike characters: {named}"


def taken_messages(session: Session, values: list[str], *, own_id: int | None = None
                   ) -> dict[str, str]:
    """value -> the message naming the customer that holds it or a look-alike of it, for
    each of `values` someone else holds."""
    keys = {value: match_key(value) for value in values}
    held = holders(session, keys.values())
    return {value: taken_message(value, held[key]) for value, key in keys.items()
            if key in held and held[key][0] != own_id}


def taken_error(session: Session, values: list[str], *, own_id: int | None = None
                ) -> ValidationError | None:
    """The error naming the customer that holds one of `values`, or a look-alike of it."""
    messages = taken_messages(session, values, own_id=own_id)
    if not messages:
        return None
    return ValidationError.single(EXTERNAL_IDS, next(iter(messages.values())))


def claim(session: Session, held_by: Iterable[tuple[int, str]], *,
          new_holders: Container[int] = ()) -> None:
    """Record each (customer id, key) pair: keys the customer holds already stay as they
    are; a key another customer holds raises IntegrityError (the primary key refuses it).
    `new_holders` are customers created in this transaction, which hold no key yet: theirs
    are inserted without asking (an import's chunk of new customers skips a lookup)."""
    pairs = sorted(set(held_by), key=lambda pair: pair[1])
    insert_rows(session, AliasKey.__table__,
                [{"key": k, "customer_id": c} for c, k in pairs if c in new_holders])
    stored = [(c, k) for c, k in pairs if c not in new_holders]
    for part in _chunks(stored):
        query = select(AliasKey.customer_id, AliasKey.key).where(
            AliasKey.key.in_([key for _, key in part]))
        held = {(customer_id, key) for customer_id, key in session.execute(query)}
        insert_rows(session, AliasKey.__table__,
                    [{"key": k, "customer_id": c} for c, k in part if (c, k) not in held])


def release(session: Session, customer_id: int, key: str) -> None:
    """Free `key` once `customer_id` holds no External ID with it any more."""
    still = session.execute(select(Alias.id).where(
        Alias.customer_id == customer_id, Alias.match_key == key).limit(1)).first()
    if still is None:
        session.execute(delete(AliasKey).where(AliasKey.key == key,
                                               AliasKey.customer_id == customer_id))
