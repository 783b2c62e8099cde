"""How a stored value reads on screen, for the kinds where that differs from what is stored:
a country's name for its code, "Net 30" for 30 days, Yes/No, a fixed choice's and a status's
label, a phone number in its national format, a language's name. The grid
(components.customer_grid.DISPLAY) shows these and the exports (services.export) write them,
from this one table; every other kind reads as stored (a currency reads as its code, EUR, on
screen and in files).

Each function takes a value that is not None.
"""

from collections.abc import Callable
from typing import Any

from models.choices import payment_terms_label
from models.kinds import CODED, Kind
from services.phones import national
from services.reference import country_name, language_name


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def coded_label(kind: Kind) -> Callable[[str], str]:
    """A fixed choice's label; a code no choice has (written before it was retired) as
    stored."""
    labels = {choice.value: choice.label for choice in CODED[kind]}
    return lambda value: labels.get(value, value)


def days_label(value: int) -> str:
    return "1 day" if value == 1 else f"{value} days"


def status_label(value: str) -> str:
    return value.capitalize()


def joined(values: list) -> str:
    return ", ".join(str(v) for v in values)


SHOWN: dict[Kind, Callable[[Any], str]] = {
    Kind.COUNTRY: country_name,
    Kind.PAYMENT_TERMS: payment_terms_label,
    Kind.BOOL: yes_no,
    Kind.STATUS: status_label,
    Kind.MULTI_CHOICE: joined,
    Kind.PHONE: national,
    Kind.LANGUAGE: language_name,
    Kind.DAYS: days_label,
    **{kind: coded_label(kind) for kind in CODED},
}
