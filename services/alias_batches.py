"""Resolve up to 1,000 External IDs to their customers in one query (usage attribution).

Each ID resolves exactly as services.aliases.resolve_alias resolves one: the ID as sent,
trimmed, in NFC, matched exactly and case-sensitively; one holding a control character
matches nothing. A lone surrogate (JSON can carry one; a URL path cannot) is refused: it is
no text any database or JSON encoder takes.

The IDs go to the database as one SELECT over the unique index on alias.value: on SQLite
with an IN list whose length is rounded up to a power of two (the last ID repeated), so a
handful of statement shapes serve every batch, each compiled once; on PostgreSQL as
`value = ANY(:values)` with one array parameter, which is how PostgreSQL plans an IN list
anyway, and which the driver binds in a third of the time 1,000 parameters take (the
server's Python is the bottleneck of this path). psycopg prepares it on its fifth run.

A repeated ID is answered once; an ID no customer holds is listed in `missing`, in the
order sent, never dropped.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ARRAY, Select, String, any_, bindparam, select

from models.alias import Alias
from models.catalogue import EXTERNAL_IDS, alias_field
from services import hot_reads
from services.cleaners import has_control
from services.errors import ValidationError
from services.rules import alias_row_key

MAX_IDS = 1_000
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Resolutions:
    """`found` maps each ID as sent to (customer id, the ID's system); `missing` lists the
    IDs as sent that no customer holds. Together they hold each distinct ID once."""

    found: dict[str, tuple[int, str]]
    missing: list[str]


_SELECT = select(Alias.value, Alias.customer_id, Alias.system)
_ANY = _SELECT.where(Alias.value == any_(bindparam("values", type_=ARRAY(String))))


def _padded_size(count: int) -> int:
    return 1 << (count - 1).bit_length()


@cache
def _in_list(size: int) -> Select:
    return _SELECT.where(Alias.value.in_([bindparam(f"v{n}") for n in range(size)]))


def lookup_query(values: list[str]) -> tuple[Select, dict[str, object]]:
    """The statement that finds the aliases holding `values` (distinct, at least one), with
    its parameters by name: value, customer_id and system of each."""
    if hot_reads.dialect().name == "postgresql":
        return _ANY, {"values": values}
    size = _padded_size(len(values))
    padded = values + values[-1:] * (size - len(values))
    return _in_list(size), {f"v{n}": value for n, value in enumerate(padded)}


def checked_ids(raw: Any) -> list[str]:
    """`raw` as a list of 1 to MAX_IDS External IDs, each text of 1 to the field's maximum
    length (as the single route's path takes it); ValidationError naming each refusal."""
    spec = alias_field()
    if not isinstance(raw, list) or not raw:
        raise ValidationError.single(
            EXTERNAL_IDS, f"Send a list of 1 to {MAX_IDS:,} {spec.label}s to resolve.")
    if len(raw) > MAX_IDS:
        raise ValidationError.single(
            EXTERNAL_IDS, f"At most {MAX_IDS:,} {spec.label}s per request, not {len(raw):,}.")
    errors = {}
    for index, value in enumerate(raw):
        if not isinstance(value, str):
            errors[alias_row_key(index)] = f"{spec.label} must be text."
        elif not value:
            errors[alias_row_key(index)] = f"{spec.label} must not be empty."
        elif len(value) > spec.max_length:
            errors[alias_row_key(index)] = (
                f"{spec.label} must be at most {spec.max_length} characters.")
        elif not value.isascii() and _SURROGATE.search(value):
            errors[alias_row_key(index)] = f"{spec.label} holds a lone surrogate, not text."
    if errors:
        raise ValidationError(errors)
    return raw


def resolve_aliases(raw: Any) -> Resolutions:
    """The customers of up to MAX_IDS External IDs, in one query."""
    sent = list(dict.fromkeys(checked_ids(raw)))
    matchable = sent
    if has_control("".join(sent)):  # rare: one search over the batch spares a thousand
        matchable = [value for value in sent if not has_control(value)]
    keys = {value: unicodedata.normalize("NFC", value.strip()) for value in matchable}
    wanted = list(dict.fromkeys(keys.values()))
    stored: dict[str, tuple[int, str]] = {}
    if wanted:
        rows = hot_reads.fetch_all(*lookup_query(wanted))
        stored = {value: (customer_id, system) for value, customer_id, system in rows}
    found: dict[str, tuple[int, str]] = {}
    missing: list[str] = []
    for value in sent:
        match = stored.get(keys.get(value))
        if match is None:
            missing.append(value)
        else:
            found[value] = match
    return Resolutions(found, missing)
