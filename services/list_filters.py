"""The customer list's filters as SQL, on both databases: one function per kind (FILTER_SQL),
for built-in columns and custom fields alike, and one for every "has a value" filter. What a
field is filtered by is declared on it (models.filters.ListFilter); a custom field's comes
from its kind.

Custom fields live in customer.custom_fields (JSON): equality-style filters (a select's
options, yes/no) ask PostgreSQL "custom_fields @> {key: value}", which its GIN index
answers; SQLite reads the JSON with json_extract and json_each. Ranges (dates, numbers)
and "contains" (text) compare the extracted value.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Numeric,
    cast,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB

from models.choices import PAYMENT_TERMS_MAX, PAYMENT_TERMS_MIN
from models.custom_field import CUSTOM_PREFIX
from models.customer import Customer
from models.kinds import CODED, Filter, Kind
from services import connected_accounts, default_payment_method, family_sql
from services.builtin_columns import BookColumn, builtin_columns
from services.cleaners import MAX_WHOLE, strip_control
from services.errors import ValidationError
from services.found_customers import among
from services.query_values import INT32_MAX, day, number, start_of, start_of_next, whole

SCALE = 6  # decimal places of stored numbers (services.cleaners), and of the comparison


@dataclass(frozen=True)
class FieldFilter:
    """One column's filter, keyed by the column: any of `values`, `is_true` (yes/no, or has
    a value), a range from `low` to `high` (either may be open), or a text it `contains`."""

    key: str
    values: tuple[Any, ...] = ()
    is_true: bool | None = None
    low: Any = None
    high: Any = None
    contains: str | None = None


Condition = ColumnElement[bool] | None
FilterSql = Callable[[BookColumn, FieldFilter, str], Condition]


def _holds(column: BookColumn, value: Any) -> ColumnElement[bool]:
    document = cast(literal(json.dumps({column.custom_attr: value})), JSONB)
    return Customer.custom_fields.bool_op("@>")(document)


def _codes(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
    """Country and currency codes, as typed in a URL: any case, control characters dropped."""
    if not f.values:
        return None
    return column.compared.in_([strip_control(str(v)).upper() for v in f.values])


def _texts(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
    return column.compared.in_([strip_control(str(v)) for v in f.values]) if f.values else None


def _whole_numbers(low: int, high: int) -> FilterSql:
    """Ids and day counts: a value no column holds is refused naming the API's parameter."""
    def condition(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
        if not f.values:
            return None
        return column.compared.in_([whole(column.filter.api, v, low, high) for v in f.values])
    return condition


def _options(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
    """Any of a custom select's options (a multi-select: holding any of them)."""
    if not f.values:
        return None
    unknown = [v for v in f.values if v not in column.options]
    if column.options and unknown:
        raise ValidationError.single(column.key, f"{column.label} has no option "
                                                 f"{', '.join(unknown)}.")
    many = column.kind == Kind.MULTI_CHOICE
    if dialect == "postgresql":
        return or_(*(_holds(column, [v] if many else v) for v in f.values))
    if many:
        each = func.json_each(Customer.custom_fields, f"$.{column.custom_attr}"
                              ).table_valued("value")
        return exists(select(1).select_from(each).where(each.c.value.in_(f.values)))
    return column.compared.in_(f.values)


def _yes_no(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
    if f.is_true is None:
        return None
    if column.custom_attr is None:
        return column.compared.is_(f.is_true)
    if dialect == "postgresql":
        return _holds(column, True) if f.is_true else not_(_holds(column, True))
    flag = column.compared
    return flag.is_(True) if f.is_true else or_(flag.is_(None), flag.is_(False))


def _present(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
    """Has a value or has none, whatever the kind (a Tax ID, a billing contact)."""
    if f.is_true is None:
        return None
    if not f.is_true and column.absent is not None:
        return among(column.absent, walked=column.walked)
    if column.present is not None:
        return column.present if f.is_true else not_(column.present)
    return column.compared.is_not(None) if f.is_true else column.compared.is_(None)


def _days(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
    """A range of whole days over a timestamp (the day `high` included)."""
    first, last = column.filter.api_ends
    parts = []
    if f.low is not None:
        parts.append(column.compared >= start_of(day(first, f.low)))
    if f.high is not None:
        end = start_of_next(day(last, f.high))
        if end is not None:
            parts.append(column.compared < end)
    return _both(parts)


def checked_end(key: str, kind: Kind, value: Any, name: str) -> date | Decimal:
    """A range end the stored values can be compared with: a calendar day for dates; for
    numbers a finite decimal within the values' own bounds and the comparison's scale."""
    if kind == Kind.DATE:
        return day(key, value, name)
    return number(key, value, Decimal(MAX_WHOLE), SCALE, name)


def _range(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
    """A custom date or number between two ends (dates compare as ISO text)."""
    ordered = column.compared if column.kind == Kind.DATE else cast(column.compared,
                                                                     Numeric(30, SCALE))
    parts = []
    for value, compare in ((f.low, ordered.__ge__), (f.high, ordered.__le__)):
        if value is not None:
            end = checked_end(column.key, column.kind, value, f"{column.label} range end")
            parts.append(compare(end.isoformat() if isinstance(end, date) else end))
    return _both(parts)


def _both(parts: list[ColumnElement[bool]]) -> Condition:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else parts[0] & parts[1]


def _contains(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
    if not f.contains:
        return None
    literal_text = strip_control(f.contains)
    for special in ("\\", "%", "_"):  # taken literally, not as LIKE wildcards
        literal_text = literal_text.replace(special, "\\" + special)
    return column.compared.ilike(f"%{literal_text}%", escape="\\")


def _payment_method(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
    """Any of the default payment method's states (services.default_payment_method)."""
    return default_payment_method.condition(tuple(str(v) for v in f.values),
                                            walked=column.walked)


def _connected_account(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
    """Has an External ID of any of the chosen systems (services.connected_accounts)."""
    return connected_accounts.has_account(tuple(str(v) for v in f.values), column.filter.api,
                                          dialect)


def _family(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
    """Has a parent, has children, standalone (services.family_sql)."""
    return family_sql.condition(tuple(str(v) for v in f.values), dialect)


# How each kind is filtered. A kind without an entry has no filter.
FILTER_SQL: dict[Kind, FilterSql] = {
    Kind.COUNTRY: _codes,
    Kind.CURRENCY: _codes,
    **dict.fromkeys(CODED, _texts),
    Kind.LEGAL_ENTITY: _whole_numbers(1, INT32_MAX),
    Kind.PAYMENT_TERMS: _whole_numbers(PAYMENT_TERMS_MIN, PAYMENT_TERMS_MAX),
    Kind.CHOICE: _options,
    Kind.MULTI_CHOICE: _options,
    Kind.BOOL: _yes_no,
    Kind.DATETIME: _days,
    Kind.DATE: _range,
    Kind.INTEGER: _range,
    Kind.DECIMAL: _range,
    Kind.PAYMENT_METHOD: _payment_method,
    Kind.CUSTOMER: _family,
    Kind.ALIAS: _connected_account,
    **dict.fromkeys((Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.URL), _contains),
}


def condition(column: BookColumn, f: FieldFilter, dialect: str) -> Condition:
    """The filter's SQL: by its kind, or "has a value" whatever the kind (Filter.PRESENT)."""
    if column.filter.style == Filter.PRESENT:
        return _present(column, f, dialect)
    return FILTER_SQL[column.kind](column, f, dialect)


def parse(terms: list[str], columns: dict[str, BookColumn]) -> tuple[FieldFilter, ...]:
    """Custom field filters written key:value, as the API's `custom` parameter carries
    them: segment:SMB (repeat for any of), strategic:yes, contract_end:2027-01-01..2027-12-31
    (either end may be left out), crm_owner:ada (contains)."""
    chosen: dict[str, list[str]] = {}
    found: list[FieldFilter] = []
    for term in terms:
        key, sep, value = term.partition(":")
        column = columns.get(CUSTOM_PREFIX + key.strip())
        if not sep or column is None or column.custom_attr is None:
            raise ValidationError.single("custom", f"custom: {term!r} must be key:value with "
                                                   "the key of a custom field.")
        value = value.strip()
        style = column.filter.style
        if style == Filter.ANY_OF:
            chosen.setdefault(column.key, []).append(value)
        elif style == Filter.YES_NO:
            found.append(FieldFilter(column.key, is_true=value.lower() in ("yes", "true", "1")))
        elif style == Filter.RANGE:
            low, _, high = value.partition("..")
            found.append(FieldFilter(column.key, low=_end(column, low),
                                     high=_end(column, high)))
        else:
            found.append(FieldFilter(column.key, contains=value))
    found.extend(FieldFilter(key, values=tuple(values)) for key, values in chosen.items())
    return tuple(found)


def _end(column: BookColumn, text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    return checked_end("custom", column.kind, text,
                       f"custom: {column.label} range end {text!r}")


def _from_parameter(column: BookColumn, given: Mapping[str, Any]) -> FieldFilter | None:
    f = column.filter
    if f.style == Filter.RANGE:
        low, high = (given.get(name) for name in f.api_ends)
        return None if low is None and high is None else FieldFilter(column.key, low=low,
                                                                     high=high)
    chosen = given.get(f.api)
    if f.style == Filter.ANY_OF:
        return FieldFilter(column.key, values=tuple(chosen)) if chosen else None
    return None if chosen is None else FieldFilter(column.key, is_true=chosen)


def from_parameters(**given: Any) -> tuple[FieldFilter, ...]:
    """The built-in filters named as the API's list parameters name them: country=["DE"],
    payment_terms=[30, 45], auto_pay=True, has_tax_id=False, created_from=date(...)."""
    columns = [c for c in builtin_columns().values() if c.filter is not None]
    unknown = set(given) - {n for c in columns for n in (c.filter.api, *c.filter.api_ends)}
    if unknown:
        raise TypeError(f"Not a filter of the customer list: {', '.join(sorted(unknown))}")
    found = (_from_parameter(column, given) for column in columns)
    return tuple(f for f in found if f is not None)
