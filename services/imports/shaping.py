"""Values another system's export folds into one column, or leaves to another one: what
the import makes of them once a row's columns are mapped, whichever preset mapped them.

- A street in one cell over several lines (Salesforce's BillingStreet, a HubSpot Street
  Address typed with a line break) fills Address Line 1 with its first line and Address
  Line 2 with the others (before what the file's own line 2 column gives), for the billing
  and the shipping address alike; a field holds one line.
- A row whose Customer Name column is blank (a Chargebee customer without a company, a
  Lago customer without a name) is named after its contact, "First Last", as the form
  asks for the full name of the customer or organisation. A file without a Customer Name
  column renames no one.
- A phone number without its country code, as CRMs keep what people typed ("(415)
  555-0142"), is read in the row's billing country, when the row names one.
"""

import re
from collections.abc import Container
from typing import Any

from models.catalogue import field
from services import phones
from services.cleaners import FieldError, clean_value

STREETS = (("address_line1", "address_line2"),
           ("shipping_address_line1", "shipping_address_line2"))
NAME = "name"
PHONE, COUNTRY = "phone", "country"
PERSON = ("primary_contact_first_name", "primary_contact_last_name")
_LINE_BREAK = re.compile(r"\r\n|[\r\n]")


def shape(values: dict[str, Any], mapped: Container[str]) -> None:
    """Split multi-line streets and name a nameless row after its contact, in place;
    `mapped` holds the field keys the file's columns fill."""
    for first, second in STREETS:
        street = values.get(first)
        if isinstance(street, str) and _LINE_BREAK.search(street):
            _split_street(values, first, second)
    phone = _text(values.get(PHONE))
    if phone and not phone.startswith(("+", "00")) and _text(values.get(COUNTRY)):
        _phone_in_country(values)
    if NAME in mapped and not _text(values.get(NAME)):
        person = " ".join(filter(None, (_text(values.get(key)) for key in PERSON)))
        if person:
            values[NAME] = person


def _phone_in_country(values: dict[str, Any]) -> None:
    try:
        country = clean_value(field(COUNTRY), values[COUNTRY])
    except FieldError:
        return  # the row is refused naming its country; its phone stays as written
    if country:
        values[PHONE] = phones.in_country(values[PHONE], country)


def _split_street(values: dict[str, Any], first: str, second: str) -> None:
    lines = [line.strip() for line in _LINE_BREAK.split(values[first]) if line.strip()]
    rest = [*lines[1:], *filter(None, [_text(values.get(second))])]
    values[first] = lines[0] if lines else ""
    if rest:
        values[second] = ", ".join(rest)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
