"""A stored value as the profile's read view shows it: country names, "Net 30", Yes/No, the
legal entity's name, and a dash where there is nothing. Plain text; callers escape it."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from models.fields import FieldSpec
from models.kinds import Kind
from services import reference
from services.shown_values import SHOWN

EMPTY = "—"


@dataclass(frozen=True)
class Context:
    """What a value's text may depend on: the billing country (for State) and the legal
    entities' names."""

    country: str | None = None
    entities: Mapping[int, str] = field(default_factory=dict)


def _plain(value: Any, context: Context) -> str:
    return str(value)


def _as_shown(shown: Callable[[Any], str]) -> Callable[[Any, Context], str]:
    return lambda value, context: shown(value)


def _currency(value: Any, context: Context) -> str:
    """As the form's choice reads: "EUR · Euro"."""
    name = reference.currencies().get(value)
    return f"{value} · {name}" if name else str(value)


def _state(value: Any, context: Context) -> str:
    subdivisions = reference.subdivisions(context.country) if context.country else {}
    return subdivisions.get(value, str(value))


def _day(value: Any, context: Context) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _moment(value: Any, context: Context) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, datetime) else str(value)


# How the read view shows each kind: as the grid and exports do (services.shown_values) where
# they name a value, and here what only the profile shows by name (tests/unit/test_kinds.py
# holds every layer to all kinds).
TEXT: dict[Kind, Callable[[Any, Context], str]] = {
    **{kind: _as_shown(shown) for kind, shown in SHOWN.items()},
    Kind.CURRENCY: _currency,
    Kind.STATE: _state,
    Kind.PERCENT: lambda value, context: f"{value} %",
    Kind.LEGAL_ENTITY: lambda value, context: context.entities.get(value, f"#{value}"),
    Kind.CUSTOMER: lambda value, context: f"#{value}",
    Kind.DATE: _day,
    Kind.DATETIME: _moment,
    **dict.fromkeys((Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.EMAIL_OR_DOMAIN, Kind.URL,
                     Kind.TAX_ID, Kind.ALIAS, Kind.INTEGER, Kind.DECIMAL, Kind.CHOICE,
                     Kind.FIELD_KEY, Kind.ID, Kind.PAYMENT_METHOD, Kind.TIMEZONE), _plain),
}


def value_text(spec: FieldSpec, value: Any, context: Context = Context()) -> str:
    """`value` of `spec` as people read it; a dash for no value (a yes/no field never set
    included)."""
    if value is None or value == "" or value == []:
        return EMPTY
    return TEXT[spec.kind](value, context)
