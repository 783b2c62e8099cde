"""Rules over a customer's values that span fields and need no database: an address is
complete, a State is one of its country's subdivisions, a Tax ID is valid for its country,
a managed tax rate is left alone, a field that applies only with another's value (OnlyIf)
is empty without it, an exempt customer has a reason and a Tax Rate of 0, and blank values
take their column's default. Values reach here already cleaned one by one
(services.cleaners)."""

import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import get_cc_module

from models.catalogue import customer_fields, field
from models.choices import TaxExemption
from models.customer import Customer
from models.kinds import Kind
from services import reference, settings
from services.cleaners import FieldError
from services.shown_values import SHOWN

ADDRESS_KEYS = {"address_line1", "address_line2", "city", "state", "postal_code", "country"}
SHIPPING = "shipping_"
SHIPPING_SWITCH = "shipping_same_as_billing"
SHIPPING_KEYS = {SHIPPING + k for k in ADDRESS_KEYS} | {SHIPPING_SWITCH}
EXEMPTION_KEYS = {"tax_exemption", "tax_exemption_reason", "tax_rate", "tax_id"}


@cache
def labels() -> dict[str, str]:
    return {s.key: s.label for s in customer_fields()}


def cross_field_errors(merged: dict[str, Any], changed: set[str]) -> dict[str, str]:
    """Check the rules touched by `changed` on the customer's merged values; normalise
    State and Tax ID in `merged` in place."""
    names = labels()
    errors: dict[str, str] = {}
    if changed & ADDRESS_KEYS:
        errors.update(address_errors(merged, names))
        try:
            merged["state"] = normalise_state(merged.get("country"), merged.get("state"),
                                              names["state"])
        except FieldError as exc:
            errors["state"] = str(exc)
    ships_elsewhere(merged, changed)
    errors.update(only_if_errors(merged, changed, names))
    if changed & SHIPPING_KEYS and _value(merged, SHIPPING_SWITCH) is False:
        errors.update(shipping_errors(merged, names))
    if changed & EXEMPTION_KEYS:
        errors.update(exemption_errors(merged, changed, names))
    if changed & {"tax_id", "tax_country"}:
        try:
            merged["tax_id"] = normalise_tax_id(
                merged.get("tax_country") or merged.get("country"), merged.get("tax_id"),
                names["tax_id"],
            )
        except FieldError as exc:
            errors["tax_id"] = str(exc)
    return errors


def ships_elsewhere(merged: dict[str, Any], changed: set[str]) -> None:
    """A shipping address given without saying whether it is the billing one is a shipping
    address of its own (a Stripe export, an API client that sends only the address)."""
    given = _given(merged, changed)
    if SHIPPING_SWITCH not in given and given & (SHIPPING_KEYS - {SHIPPING_SWITCH}):
        merged[SHIPPING_SWITCH] = False
        changed.add(SHIPPING_SWITCH)


def only_if_errors(merged: dict[str, Any], changed: set[str],
                   names: Mapping[str, str]) -> dict[str, str]:
    """A field whose OnlyIf does not hold must be empty. A value given for it now is refused;
    one left from before is refused too, unless the change of the other field empties it
    (`clears`: turning "Same as billing address" on empties the shipping address)."""
    errors = {}
    given = _given(merged, changed)
    for spec in customer_fields():
        rule = spec.only_if
        if (rule is None or merged.get(spec.key) in (None, "")
                or _value(merged, rule.key) in rule.values):
            continue
        if rule.clears and rule.key in changed and spec.key not in given:
            merged[spec.key] = None
            continue
        wanted = " or ".join(_shown_value(rule.key, v) for v in rule.values)
        errors[spec.key] = (f"{names[spec.key]} applies only when {names[rule.key]} is "
                            f"{wanted}: leave it empty, or set {names[rule.key]} first.")
    return errors


def _value(merged: Mapping[str, Any], key: str) -> Any:
    """A field's value, its column's default when a new customer leaves it blank."""
    value = merged.get(key)
    return Customer.model_fields[key].default if value is None else value


def _given(merged: Mapping[str, Any], changed: set[str]) -> set[str]:
    """The fields this call sets to a value (an update passes only those; a new customer
    passes every field, the blank ones as None)."""
    return {k for k in changed if (v := merged.get(k)) is not None
            and (v != "" if isinstance(v, str) else True)}


def _shown_value(key: str, value: Any) -> str:
    kind = field(key).kind
    return SHOWN[kind](value) if kind in SHOWN else str(value)


def shipping_errors(merged: dict[str, Any], names: Mapping[str, str]) -> dict[str, str]:
    """A shipping address of its own is complete (Country, Address Line 1 and City) and its
    State is one of its country's subdivisions."""
    errors = {SHIPPING + k: f"{names[SHIPPING + k]} is required when the shipping address is "
                            "not the billing address."
              for k in ("country", "address_line1", "city") if not merged.get(SHIPPING + k)}
    try:
        merged[SHIPPING + "state"] = normalise_state(
            merged.get(SHIPPING + "country"), merged.get(SHIPPING + "state"),
            names[SHIPPING + "state"])
    except FieldError as exc:
        errors[SHIPPING + "state"] = str(exc)
    return errors


def exemption_errors(merged: dict[str, Any], changed: set[str],
                     names: Mapping[str, str]) -> dict[str, str]:
    """An exempt customer states why, and its Tax Rate reads 0: set to 0 when the exemption
    is given without a rate (the rate in force is kept in History), refused when a rate
    above 0 is given with it."""
    if merged.get("tax_exemption") == TaxExemption.REVERSE_CHARGE and not merged.get("tax_id"):
        return {"tax_id": f"{names['tax_id']} is required for reverse charge: the customer "
                          "accounts for the tax under it."}
    if merged.get("tax_exemption") != TaxExemption.EXEMPT:
        return {}
    errors = {}
    if not merged.get("tax_exemption_reason"):
        errors["tax_exemption_reason"] = (f"{names['tax_exemption_reason']} is required when "
                                          "the customer is tax exempt.")
    if merged.get("tax_rate"):
        if "tax_rate" in changed:
            errors["tax_rate"] = f"{names['tax_rate']} must be 0 for a tax-exempt customer."
        else:
            merged["tax_rate"] = Decimal("0.00")
    return errors


REVERSE_CHARGE_KEYS = {"tax_exemption", "tax_id", "tax_country", "country", "legal_entity_id"}


def reverse_charge_errors(merged: Mapping[str, Any], entity_country: str | None
                          ) -> dict[str, str]:
    """Reverse charge moves the tax to a customer in another country than the legal entity
    that bills it: its Tax ID (of its Tax Country, else its billing country) must be of
    another country than the entity's. An entity without a country is not judged."""
    if merged.get("tax_exemption") != TaxExemption.REVERSE_CHARGE or not entity_country:
        return {}
    country = merged.get("tax_country") or merged.get("country")
    if country != entity_country:
        return {}
    name = reference.country_name(entity_country)
    return {"tax_exemption": f"Reverse charge needs a Tax ID of another country than the "
                             f"legal entity's ({name}); this customer's Tax ID is of {name}."}


def tax_rate_lock_errors(before: Mapping[str, Any], cleaned: Mapping[str, Any],
                         locked: bool | None = None) -> dict[str, str]:
    """While a tax integration manages tax rates, nobody here may set one. `locked` saves
    the lookup when the caller (an import) already knows."""
    if "tax_rate" not in cleaned:
        return {}
    if not (settings.tax_managed_by_integration() if locked is None else locked):
        return {}
    unchanged = before.get("tax_rate", Customer.model_fields["tax_rate"].default)
    if cleaned["tax_rate"] == unchanged:
        return {}
    return {"tax_rate": settings.TAX_MANAGED_NOTE}


@cache
def _column_defaults() -> tuple[tuple[str, Any], ...]:
    """(field key, default) of each customer column that cannot be empty and has one."""
    columns = Customer.__table__.c
    return tuple((spec.key, Customer.model_fields[spec.attr].default)
                 for spec in customer_fields()
                 if not columns[spec.attr].nullable and spec.kind != Kind.LEGAL_ENTITY
                 and Customer.model_fields[spec.attr].default is not None)


def apply_defaults(values: dict[str, Any]) -> dict[str, Any]:
    """A blank value of a column that cannot be empty takes the column's default
    (Net 30, Customer Desk invoicing, Auto Pay off, Tax Rate 0.00)."""
    for key, default in _column_defaults():
        if key in values and values[key] is None:
            values[key] = default
    return values


def default_locale(values: dict[str, Any]) -> dict[str, Any]:
    """A new customer without an Invoice Language or Timezone takes its country's (the
    language of its country's conventions; the zone of a country that keeps one clock)."""
    if values.get("invoice_language") is None:
        values["invoice_language"] = reference.default_language(values.get("country"))
    if values.get("timezone") is None:
        values["timezone"] = reference.default_timezone(values.get("country"))
    return values


def default_tax_country(values: dict[str, Any]) -> dict[str, Any]:
    """A new customer without a Tax Country takes its billing country, the country whose
    rules its Tax ID is checked by anyway (as the profile's Tax Settings pre-fill it). Only
    at creation: a Tax Country emptied later stays empty, and the billing country decides."""
    if values.get("tax_country") is None and values.get("country"):
        values["tax_country"] = values["country"]
    return values


def address_errors(values: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, str]:
    """If any address field is given, Address Line 1 and City are required."""
    address_keys = ("address_line1", "address_line2", "city", "state", "postal_code")
    if not any(values.get(k) for k in address_keys):
        return {}
    return {
        k: f"{labels[k]} is required when an address is given."
        for k in ("address_line1", "city")
        if not values.get(k)
    }


def normalise_state(country: str | None, state: str | None, label: str) -> str | None:
    """A country with ISO 3166-2 subdivisions takes one of them (as its code); others free text."""
    if not state or not country or not reference.subdivisions(country):
        return state
    code = reference.find_subdivision(country, state)
    if code is None:
        name = reference.country_name(country)
        raise FieldError(f"{label} must be one of the subdivisions of {name}, such as "
                         f"{next(iter(reference.subdivisions(country)))}.")
    return code


def has_tax_id_validator(country: str) -> bool:
    """Whether python-stdnum knows the Tax IDs of `country` (an ISO 3166-1 code)."""
    code = country.lower()
    return code in eu_vat.MEMBER_STATES or bool(
        get_cc_module(code, "vat") or get_cc_module(code, "tin"))


# The VAT prefix of a member state where it is not its ISO code: Greece writes EL.
VAT_PREFIX = {"GR": "EL"}


def normalise_tax_id(country: str | None, tax_id: str | None, label: str) -> str | None:
    """Validate and normalise a Tax ID with python-stdnum where a validator exists for the
    country; an ID without a known scheme is kept as typed (trimmed)."""
    if not tax_id or not country:
        return tax_id
    name = reference.country_name(country)
    code = country.lower()
    prefix = VAT_PREFIX.get(country, country)
    try:
        if code in eu_vat.MEMBER_STATES:
            compact = re.sub(r"[\s.,/:-]", "", tax_id).upper()
            if not compact[:2].isalpha():
                compact = prefix + compact
            if compact[:2] not in (prefix, country):
                raise FieldError(f"{label} is not a VAT number of {name}.")
            return eu_vat.validate(prefix + compact[2:])
        module = get_cc_module(code, "vat") or get_cc_module(code, "tin")
        if module is None:
            return tax_id
        return module.validate(tax_id)
    except StdnumError as exc:
        raise FieldError(f"{label} is not a valid tax ID for {name}: {exc.message}") from exc
