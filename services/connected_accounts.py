"""Connected accounts: an External ID with its source system (models.choices.SourceSystem).

The services take a system as its code ("salesforce") or its label ("Salesforce"), in any
case; nothing given is "other". People read a connected account as "Salesforce · 001A0",
in the profile, History and the API's audit trail alike.
"""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select

from models.alias import Alias
from models.catalogue import EXTERNAL_IDS, alias_field
from models.choices import SYSTEM_LABELS, SourceSystem
from models.customer import Customer
from services.db import get_engine
from services.errors import ValidationError

SYSTEM = "system"
OTHER = SourceSystem.OTHER.value
SEPARATOR = " · "


def _known() -> dict[str, str]:
    """Code or label, case-folded -> code."""
    found = {s.value: s.value for s in SourceSystem}
    found.update({s.label.casefold(): s.value for s in SourceSystem})
    return found


_KNOWN = _known()
CHOICES = ", ".join(s.value for s in SourceSystem)


def clean_system(raw: Any, key: str = SYSTEM) -> str:
    """The system's code; a ValidationError under `key` for anything that names none."""
    if raw is None or isinstance(raw, str) and not raw.strip():
        return OTHER
    found = _KNOWN.get(raw.strip().casefold()) if isinstance(raw, str) else None
    if found is None:
        raise ValidationError.single(key, f"System must be one of: {CHOICES}.")
    return found


def target(system: str) -> str:
    """The import's mapping target of one system's record IDs: "external_ids:hubspot"."""
    return f"{EXTERNAL_IDS}:{system}"


def target_system(key: str) -> str | None:
    """The system a mapping target's IDs come from (plain External IDs: other); None for
    a target that is not External IDs."""
    if key == EXTERNAL_IDS:
        return OTHER
    base, _, system = key.partition(":")
    return system if base == EXTERNAL_IDS and system in SYSTEM_LABELS else None


def targets() -> dict[str, str]:
    """Mapping target -> label, one per system: "External ID (Salesforce)"."""
    label = alias_field().label
    return {target(s.value): f"{label} ({s.label})" for s in SourceSystem}


def system_label(system: str) -> str:
    return SYSTEM_LABELS.get(system, system)


def account_text(system: str, value: str) -> str:
    """How people read a connected account: "Stripe · cus_123"."""
    return f"{system_label(system)}{SEPARATOR}{value}"


def split_item(item: Any) -> tuple[Any, Any, str | None]:
    """One External ID as given: a value alone, {"value": ..., "system": ...} or a pair
    (value, system); returns value, system and what is wrong with its shape, if anything."""
    if isinstance(item, Mapping):
        unknown = sorted(str(k) for k in item if k not in ("value", SYSTEM))
        if unknown:
            return None, None, (f"{', '.join(unknown)} is not a field of an External ID "
                                "(value, system).")
        return item.get("value"), item.get(SYSTEM), None
    if isinstance(item, list | tuple):
        if len(item) != 2:
            return None, None, "An External ID is a value, or a value and its system."
        return item[0], item[1], None
    return item, None, None


def texts(values: list[str], systems: Mapping[str, str]) -> list[str]:
    """Each External ID of `values` as a connected account, its system from `systems`."""
    return [account_text(systems.get(value, OTHER), value) for value in values]


# Below this many IDs of the chosen systems, SQLite reads the customers by id from the
# index's list of them; above it, it checks each customer in the book's own order.
FEW_ON_SQLITE = 100_000


def has_account(systems: tuple[str, ...], key: str, dialect: str) -> ColumnElement[bool] | None:
    """The book's "Connected account" filter: customers holding an External ID of any of
    `systems`, None when none is asked for; answered by the (system, customer_id) index.

    PostgreSQL's planner knows from its statistics how many IDs a system has and turns the
    EXISTS into the join that suits. SQLite's knows no value's share: an EXISTS walks the
    book until a page is full (all of it for a system few customers have), an IN reads
    each holder by id (slow for a system most customers have). So on SQLite the index is
    asked first how many IDs there are, counting no further than FEW_ON_SQLITE."""
    unknown = [s for s in systems if s not in SYSTEM_LABELS]
    if unknown:
        raise ValidationError.single(key, f"Connected account has no system "
                                          f"{', '.join(map(str, unknown))}; choose from "
                                          f"{CHOICES}.")
    if not systems:
        return None
    chosen = Alias.system.in_(sorted(set(systems)))
    if dialect == "sqlite" and _held_by_few(chosen):
        return Customer.id.in_(select(Alias.customer_id).where(chosen))
    return exists(select(Alias.customer_id).where(chosen, Alias.customer_id == Customer.id))


def _held_by_few(chosen: ColumnElement[bool]) -> bool:
    capped = select(Alias.customer_id).where(chosen).limit(FEW_ON_SQLITE).subquery()
    with get_engine().connect() as connection:
        return connection.scalar(select(func.count()).select_from(capped)) < FEW_ON_SQLITE


def filter_labels() -> dict[str, str]:
    """The filter's choices as the Customers page names them: "Has a Salesforce ID"."""
    named = {SourceSystem.OWN: "Has an ID from your own system",
             SourceSystem.OTHER: "Has an ID from another system"}
    return {s.value: named.get(s, f"Has a {s.label} ID") for s in SourceSystem}
