"""A stored value as the profile's read view shows it: country names, "Net 30", Yes/No, the
legal entity's name, and a dash where there is nothing. Plain text; callers escape it."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from models.choices import InvoicingFlow, payment_terms_label
from models.fields import FieldSpec
from models.kinds import Kind
from services import reference

EMPTY = "—"


@dataclass(frozen=True)
class Context:
    """What a value's text may depend on: the billing country (for State) and the legal
    entities' names."""

    country: str | None = None
    entities: Mapping[int, str] = field(default_factory=dict)


def _plain(value: Any, context: Context) -> str:
    return str(value)


def _currency(value: Any, context: Context) -> str:
    name = reference.currencies().get(value)
    return f"{value} · {name}" if name else str(value)


def _state(value: Any, context: Context) -> str:
    subdivisions = reference.subdivisions(context.country) if context.country else {}
    return subdivisions.get(value, str(value))


def _flow(value: Any, context: Context) -> str:
    return InvoicingFlow(value).label if value in set(InvoicingFlow) else str(value)


def _day(value: Any, context: Context) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _moment(value: Any, context: Context) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, datetime) else str(value)


# How the read view shows each kind (tests/unit/test_kinds.py holds every layer to all kinds).
TEXT: dict[Kind, Callable[[Any, Context], str]] = {
    Kind.COUNTRY: lambda value, context: reference.country_name(value),
    Kind.CURRENCY: _currency,
    Kind.STATE: _state,
    Kind.PAYMENT_TERMS: lambda value, context: payment_terms_label(value),
    Kind.INVOICING_FLOW: _flow,
    Kind.BOOL: lambda value, context: "Yes" if value else "No",
    Kind.PERCENT: lambda value, context: f"{value} %",
    Kind.LEGAL_ENTITY: lambda value, context: context.entities.get(value, f"#{value}"),
    Kind.MULTI_CHOICE: lambda value, context: ", ".join(value),
    Kind.DATE: _day,
    Kind.DATETIME: _moment,
    Kind.STATUS: lambda value, context: str(value).capitalize(),
    **dict.fromkeys((Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.EMAIL_OR_DOMAIN, Kind.URL,
                     Kind.TAX_ID, Kind.ALIAS, Kind.INTEGER, Kind.DECIMAL, Kind.CHOICE,
                     Kind.FIELD_KEY, Kind.ID), _plain),
}


def value_text(spec: FieldSpec, value: Any, context: Context = Context()) -> str:
    """`value` of `spec` as people read it; a dash for no value (a yes/no field never set
    included)."""
    if value is None or value == "" or value == []:
        return EMPTY
    return TEXT[spec.kind](value, context)
