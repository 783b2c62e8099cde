"""Filters on custom fields, as SQL over customer.custom_fields, on both databases.

Equality-style filters (a select's options, yes/no) ask PostgreSQL "custom_fields @>
{key: value}", which its GIN index answers; SQLite reads the JSON with json_extract and
json_each. Ranges (dates, numbers) and "contains" (text) compare the extracted value.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Numeric,
    cast,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB

from models.custom_field import CUSTOM_PREFIX
from models.customer import Customer
from models.fields import FieldSpec
from services.cleaners import MAX_WHOLE
from services.customer_columns import custom_expression
from services.errors import ValidationError
from services.query_values import day, number

TEXT_KINDS = ("text", "long_text", "email", "url")
SCALE = 6  # decimal places of stored numbers (services.cleaners), and of the comparison


@dataclass(frozen=True)
class CustomFilter:
    """One custom field's filter: any of `values` (selects), `is_true` (yes/no), a range
    from `low` to `high` (dates, numbers; either may be open), or a text it `contains`."""

    key: str
    values: tuple[str, ...] = ()
    is_true: bool | None = None
    low: Any = None
    high: Any = None
    contains: str | None = None


def _holds(attr: str, value: Any) -> ColumnElement[bool]:
    document = cast(literal(json.dumps({attr: value})), JSONB)
    return Customer.custom_fields.bool_op("@>")(document)


def _any_of(spec: FieldSpec, values: tuple[str, ...], dialect: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        wrap = (lambda v: [v]) if spec.kind == "multi_choice" else (lambda v: v)
        return or_(*(_holds(spec.attr, wrap(v)) for v in values))
    if spec.kind == "multi_choice":
        each = func.json_each(Customer.custom_fields, f"$.{spec.attr}").table_valued("value")
        return exists(select(1).select_from(each).where(each.c.value.in_(values)))
    return custom_expression(spec).in_(values)


def checked_end(key: str, spec: FieldSpec, value: Any, name: str) -> date | Decimal:
    """A range end the stored values can be compared with: a calendar day for dates; for
    numbers a finite decimal within the values' own bounds and the comparison's scale."""
    if spec.kind == "date":
        return day(key, value, name)
    return number(key, value, Decimal(MAX_WHOLE), SCALE, name)


def _bound(spec: FieldSpec, value: Any) -> Any:
    checked = checked_end(spec.key, spec, value, f"{spec.label} range end")
    return checked.isoformat() if isinstance(checked, date) else checked


def _ordered(spec: FieldSpec) -> ColumnElement:
    expression = custom_expression(spec)
    return expression if spec.kind == "date" else cast(expression, Numeric(30, SCALE))


def condition(spec: FieldSpec, f: CustomFilter, dialect: str) -> ColumnElement[bool] | None:
    if f.values:
        unknown = [v for v in f.values if v not in spec.options]
        if spec.options and unknown:
            raise ValidationError.single(spec.key, f"{spec.label} has no option "
                                                   f"{', '.join(unknown)}.")
        return _any_of(spec, f.values, dialect)
    if f.is_true is not None:
        if dialect == "postgresql":
            return _holds(spec.attr, True) if f.is_true else not_(_holds(spec.attr, True))
        flag = custom_expression(spec)
        return flag.is_(True) if f.is_true else or_(flag.is_(None), flag.is_(False))
    if f.low is not None or f.high is not None:
        parts = []
        if f.low is not None:
            parts.append(_ordered(spec) >= _bound(spec, f.low))
        if f.high is not None:
            parts.append(_ordered(spec) <= _bound(spec, f.high))
        return parts[0] if len(parts) == 1 else parts[0] & parts[1]
    if f.contains:
        term = f.contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return custom_expression(spec).ilike(f"%{term}%", escape="\\")
    return None


def conditions(filters: tuple[CustomFilter, ...], specs: dict[str, FieldSpec], dialect: str
               ) -> list[ColumnElement[bool]]:
    found = []
    for f in filters:
        spec = specs.get(f.key)
        if spec is None:  # a retired or unknown field: it can match nothing
            found.append(false())
            continue
        made = condition(spec, f, dialect)
        if made is not None:
            found.append(made)
    return found


def parse(terms: list[str], specs: dict[str, FieldSpec]) -> tuple[CustomFilter, ...]:
    """Filters written key:value, as a URL carries them: segment:SMB (repeat for any of),
    strategic:yes, contract_end:2027-01-01..2027-12-31 (either end may be left out),
    crm_owner:ada (contains)."""
    chosen: dict[str, list[str]] = {}
    found: list[CustomFilter] = []
    for term in terms:
        key, sep, value = term.partition(":")
        spec = specs.get(CUSTOM_PREFIX + key.strip())
        if not sep or spec is None:
            raise ValidationError.single("custom", f"custom: {term!r} must be key:value with "
                                                   "the key of a custom field.")
        value = value.strip()
        if spec.kind in ("choice", "multi_choice"):
            chosen.setdefault(spec.key, []).append(value)
        elif spec.kind == "bool":
            found.append(CustomFilter(spec.key, is_true=value.lower() in ("yes", "true", "1")))
        elif spec.kind in ("date", "integer", "decimal"):
            low, _, high = value.partition("..")
            found.append(CustomFilter(spec.key, low=_end(spec, low), high=_end(spec, high)))
        else:
            found.append(CustomFilter(spec.key, contains=value))
    found.extend(CustomFilter(key, values=tuple(values)) for key, values in chosen.items())
    return tuple(found)


def _end(spec: FieldSpec, text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    return checked_end("custom", spec, text, f"custom: {spec.label} range end {text!r}")
