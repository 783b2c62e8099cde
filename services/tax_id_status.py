"""A customer's Tax ID status: what we know of its Tax ID, and since when (the rules; the
VIES check that changes it is services.tax_id_check).

On every save (the form, a profile section, the API, an import) a Tax ID that changed, or
whose country changed, gets the status its format earns: "valid format" where python-stdnum
has a validator for the country (the save refuses an ID that fails it), "not checked" where
it has none. Clearing the Tax ID sets it back to "not checked", without a date.

A check (services.tax_id_check) asks the EU's VIES about an EU VAT number, when the
operator enabled it: "verified", "invalid" or "could not be checked", with the date.
"""

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from stdnum.eu import vat as eu_vat

from models.choices import TaxIdStatus
from models.customer import Customer
from models.types import utcnow
from services import field_rules
from services.cleaners import FieldError
from services.config import settings

STATUS = "tax_id_status"
CHECKED_AT = "tax_id_checked_at"
TAX_ID = "tax_id"
VIES_OFF = ("Checking a Tax ID with VIES is turned off. An operator can turn it on with "
            "CUSTOMER_DESK_VIES_ENABLED.")


def effective_country(values: Mapping[str, Any]) -> str | None:
    """The country whose rules the Tax ID follows: the Tax Country, else the billing one."""
    return values.get("tax_country") or values.get("country")


def format_status(country: str | None, tax_id: str | None) -> TaxIdStatus:
    """What the Tax ID's format says ("not checked" without a Tax ID)."""
    if not tax_id or not country or not field_rules.has_tax_id_validator(country):
        return TaxIdStatus.NOT_CHECKED
    try:
        field_rules.normalise_tax_id(country, tax_id, "Tax ID")
    except FieldError:
        return TaxIdStatus.INVALID
    return TaxIdStatus.VALID_FORMAT


def on_save(before: Mapping[str, Any], merged: dict[str, Any]) -> None:
    """Give `merged` (a customer's values after a save) the status its Tax ID earns, when the
    Tax ID or its country differs from `before` (a new customer's, `before` empty, always);
    a status it already has stays otherwise."""
    if before and (merged.get(TAX_ID), effective_country(merged)) == (
            before.get(TAX_ID), effective_country(before)):
        return
    status = format_status(effective_country(merged), merged.get(TAX_ID))
    merged[STATUS] = status.value
    merged[CHECKED_AT] = utcnow() if status == TaxIdStatus.VALID_FORMAT else None


def vies_number(customer: Customer) -> str | None:
    """The Tax ID as VIES knows it (DE123456704, EL094259216 for Greece) when it is an EU VAT
    number, else None."""
    country = effective_country({"tax_country": customer.tax_country,
                                 "country": customer.country})
    if not customer.tax_id or not country or country.lower() not in eu_vat.MEMBER_STATES:
        return None
    prefix = "EL" if country == "GR" else country
    number = re.sub(r"[\s.,/:-]", "", customer.tax_id).upper()
    if not number[:2].isalpha():  # kept without its prefix (a Greek one is, as typed)
        number = prefix + number
    return number if number[:2] == prefix and eu_vat.is_valid(number) else None


def unavailable_reason(customer: Customer) -> str | None:
    """Why this customer's Tax ID cannot be checked with VIES, or None when it can."""
    if not settings().vies_enabled:
        return VIES_OFF
    if not customer.tax_id:
        return "There is no Tax ID to check."
    if vies_number(customer) is None:
        return "Only EU VAT numbers can be checked with VIES."
    return None


def status_text(status: TaxIdStatus | str | None, checked_at: datetime | None) -> str:
    """The status as it reads, with its date: "Verified 25 Nov 2026"; "" without a status."""
    if not status:
        return ""
    label = TaxIdStatus(status).label
    return f"{label} {checked_at:%-d %b %Y}" if checked_at else label
