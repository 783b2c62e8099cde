"""Each value cleaned by its field's kind, one value at a time, for the pages, the API and
the import (rules across fields: services.field_rules; checks that need the database:
services.rules).

Every failure names the field by its label. `clean` collects all failures of a call into
one ValidationError, so a form can show each under its own field.
"""

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from models.choices import (
    GRACE_DAYS_MAX,
    PAYMENT_TERMS_MAX,
    PAYMENT_TERMS_MIN,
    READ_AS,
    TAX_RATE_MAX_PLACES,
)
from models.custom_field import CUSTOM_PREFIX
from models.fields import FieldSpec
from models.kinds import CODED, TYPED, Kind
from models.types import tidy_decimal
from services import card_numbers, phones, reference
from services.email_syntax import normalized_email
from services.errors import ValidationError
from services.identifiers import normalise_external_id

# Control characters (C0 with tab and line breaks, DEL, C1) and the bidirectional overrides
# and isolates that make text display in another order than it is stored ("Trojan Source").
# Every built-in text field is one line; long text (a custom field) may also hold tabs and
# line feeds.
_NEVER = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\t\n{_NEVER}]")
_LONG_TEXT_CONTROL = re.compile(f"[{_NEVER}]")


def has_control(text: str) -> bool:
    """Whether `text` holds a character no stored text may hold (so it can match nothing)."""
    return bool(_CONTROL.search(text))


def strip_control(text: str) -> str:
    """A search or filter term without those characters (PostgreSQL refuses a NUL outright)."""
    return _CONTROL.sub("", text)


MAX_ID = 2**31 - 1  # ids are 32-bit integers in both databases
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off", ""}


class FieldError(ValueError):
    """One field's problem; `clean` turns these into a ValidationError."""


def is_blank(raw: Any) -> bool:
    """No value given: nothing, only spaces (a file's empty cell) or a spreadsheet's NaN."""
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and not raw.strip()


def _stripped(spec: FieldSpec, raw: Any) -> str:
    if not isinstance(raw, str):
        raise FieldError(f"{spec.label} must be text.")
    value = raw.strip()
    if _CONTROL.search(value):
        raise FieldError(f"{spec.label} must not contain control characters, line breaks, "
                         "tabs or text-direction overrides.")
    return value


def _text(spec: FieldSpec, raw: Any) -> str:
    value = _stripped(spec, raw)
    if spec.max_length and len(value) > spec.max_length:
        raise FieldError(f"{spec.label} must be at most {spec.max_length} characters.")
    return value


def _external_id(spec: FieldSpec, raw: Any) -> str:
    """In NFC, without invisible characters (services.identifiers)."""
    stripped = _stripped(spec, raw)
    try:
        normal = normalise_external_id(stripped)
    except ValueError as exc:
        raise FieldError(f"{spec.label} {exc}.") from exc
    return _text(spec, normal)


def _email(spec: FieldSpec, raw: Any) -> str:
    value = _text(spec, raw)
    try:
        return normalized_email(value)
    except EmailNotValidError as exc:
        raise FieldError(f"{spec.label} is not a valid email address: {exc}") from exc


def _email_or_domain(spec: FieldSpec, raw: Any) -> str:
    """A person's email, or a whole domain written @example.com; lower-cased."""
    value = _text(spec, raw).lower()
    if not value.startswith("@"):
        return _email(spec, value).lower()
    try:
        return "@" + validate_email("x" + value, check_deliverability=False).domain
    except EmailNotValidError as exc:
        raise FieldError(f"{spec.label}: {value} is not a domain such as @example.com.") from exc


_FIELD_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_WHOLE = 10**15  # whole numbers stay exact in JSON and in every client's doubles


def _long_text(spec: FieldSpec, raw: Any) -> str:
    """Several lines: line breaks and tabs allowed, other control characters not."""
    if not isinstance(raw, str):
        raise FieldError(f"{spec.label} must be text.")
    value = raw.replace("\r\n", "\n").strip()
    if _LONG_TEXT_CONTROL.search(value):
        raise FieldError(f"{spec.label} must not contain control characters.")
    if spec.max_length and len(value) > spec.max_length:
        raise FieldError(f"{spec.label} must be at most {spec.max_length} characters.")
    return value


def _integer(spec: FieldSpec, raw: Any) -> int:
    if (isinstance(raw, bool) or not isinstance(raw, int | float | str)
            or isinstance(raw, float) and not raw.is_integer()):
        raise FieldError(f"{spec.label} must be a whole number.")
    text = _stripped(spec, raw) if isinstance(raw, str) else str(int(raw))
    if not re.fullmatch(r"[+-]?\d{1,16}", text.replace(",", "")):
        raise FieldError(f"{spec.label} must be a whole number, such as 12.")
    value = int(text.replace(",", ""))
    if abs(value) > MAX_WHOLE:
        raise FieldError(f"{spec.label} must be between -{MAX_WHOLE:,} and {MAX_WHOLE:,}.")
    return value


def _decimal(spec: FieldSpec, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise FieldError(f"{spec.label} must be a number.")
    try:
        value = Decimal(_stripped(spec, raw) if isinstance(raw, str) else str(raw))
    except InvalidOperation as exc:
        raise FieldError(f"{spec.label} must be a number, such as 12.5.") from exc
    if not value.is_finite() or abs(value) > MAX_WHOLE:
        raise FieldError(f"{spec.label} must be a number between -{MAX_WHOLE:,} and "
                         f"{MAX_WHOLE:,}.")
    if value.normalize().as_tuple().exponent < -6:
        raise FieldError(f"{spec.label} may have at most 6 decimal places.")
    return tidy_decimal(value, 0)


def _date(spec: FieldSpec, raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(_stripped(spec, raw)[:10])
    except ValueError as exc:
        raise FieldError(f"{spec.label} must be a date such as 2027-03-31.") from exc


def _choice(spec: FieldSpec, raw: Any) -> str:
    text = _stripped(spec, raw)
    for option in spec.options:
        if option.casefold() == text.casefold():
            return option
    raise FieldError(f"{spec.label} must be one of: {', '.join(spec.options)}.")


def _multi_choice(spec: FieldSpec, raw: Any) -> list[str] | None:
    parts = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    chosen: list[str] = []
    for part in parts:
        if isinstance(part, str) and not part.strip():
            continue
        option = _choice(spec, part)
        if option not in chosen:
            chosen.append(option)
    return chosen or None


def _url(spec: FieldSpec, raw: Any) -> str:
    value = _text(spec, raw)
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in value:
        raise FieldError(f"{spec.label} must be a web address such as https://example.com.")
    return value


def _field_key(spec: FieldSpec, raw: Any) -> str:
    value = _stripped(spec, raw)
    if not _FIELD_KEY.fullmatch(value):
        raise FieldError(f"{spec.label} must start with a lower-case letter and hold only "
                         "lower-case letters, digits and _ (at most 40), e.g. contract_end.")
    return value


def _country(spec: FieldSpec, raw: Any) -> str:
    """The ISO code, or a name (our export writes "France"; other systems' exports write
    "USA", "United States of America", "DEU": reference.country_codes_by_name)."""
    text = _stripped(spec, raw)
    value = reference.country_codes_by_name().get(text.casefold(), text.upper())
    if value not in reference.countries():
        raise FieldError(f"{spec.label} must be an ISO 3166-1 country code such as DE or US.")
    return value


def _currency(spec: FieldSpec, raw: Any) -> str:
    value = _stripped(spec, raw).upper()
    if value not in reference.currencies():
        raise FieldError(f"{spec.label} must be an ISO 4217 currency code such as EUR or USD.")
    return value


def _percent(spec: FieldSpec, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise FieldError(f"{spec.label} must be a number.")
    try:
        value = Decimal(str(raw).strip().rstrip("%").strip())
    except InvalidOperation as exc:
        raise FieldError(f"{spec.label} must be a number.") from exc
    if not value.is_finite():
        raise FieldError(f"{spec.label} must be a number.")
    if not Decimal(0) <= value <= Decimal(100):
        raise FieldError(f"{spec.label} must be between 0 and 100.")
    if value.normalize().as_tuple().exponent < -TAX_RATE_MAX_PLACES:
        raise FieldError(f"{spec.label} may have at most {TAX_RATE_MAX_PLACES} decimal places.")
    return tidy_decimal(value)


# Payment terms as billing systems and CRMs write them: "Net 30", "NET30", "net_30" (an
# enum's code), "Net-30", "30", "30 days"; "Due on receipt" is Net 0.
_TERMS = re.compile(r"(?i)(?:net[\s_-]*)?(\d{1,4})(?:\.0+)?(?:\s*days?)?")
_ON_RECEIPT = {"due on receipt", "due upon receipt", "on receipt", "upon receipt",
               "due_on_receipt", "immediately"}


def _payment_terms(spec: FieldSpec, raw: Any) -> int:
    text = str(raw).strip()
    if isinstance(raw, bool) or isinstance(raw, float) and not raw.is_integer():
        raise FieldError(f"{spec.label} must be a whole number of days.")
    if text.casefold() in _ON_RECEIPT:
        return 0
    match = _TERMS.fullmatch(text)
    if not match:
        raise FieldError(f"{spec.label} must be a whole number of days, such as Net 30.")
    days = int(match.group(1))
    if not PAYMENT_TERMS_MIN <= days <= PAYMENT_TERMS_MAX:
        raise FieldError(
            f"{spec.label} must be between Net {PAYMENT_TERMS_MIN} and Net {PAYMENT_TERMS_MAX}."
        )
    return days


def _bool(spec: FieldSpec, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldError(f"{spec.label} must be yes or no.")


def _coded(kind: Kind) -> Callable[[FieldSpec, Any], str]:
    """A fixed choice, given as its code or its label (our export writes "Reverse charge")."""
    choices = CODED[kind]

    def clean(spec: FieldSpec, raw: Any) -> str:
        text = _stripped(spec, raw).casefold()
        for choice in choices:
            if text in (choice.value, choice.label.casefold()) or READ_AS.get(text) is choice:
                return choice.value
        raise FieldError(f"{spec.label} must be one of: {', '.join(c.label for c in choices)}.")

    return clean


def _phone(spec: FieldSpec, raw: Any) -> str:
    value = _stripped(spec, raw if isinstance(raw, str) else str(raw))
    try:
        return phones.to_e164(value)
    except ValueError as exc:
        raise FieldError(f"{spec.label} {exc}.") from exc


def _language(spec: FieldSpec, raw: Any) -> str:
    """A Babel locale id (de_DE), also written de-DE or as its name, "German (Germany)"."""
    value = reference.language_ids_by_key().get(_stripped(spec, raw).casefold())
    if value is None:
        raise FieldError(f"{spec.label} must be a language such as de_DE, fr_CA or en.")
    return value


def _timezone(spec: FieldSpec, raw: Any) -> str:
    text = _stripped(spec, raw)
    value = reference.timezones_by_key().get(text.casefold())
    if value is None:
        raise FieldError(f"{spec.label} must be an IANA time zone such as Europe/Berlin.")
    return value


def _days(spec: FieldSpec, raw: Any) -> int:
    text = _stripped(spec, raw) if isinstance(raw, str) else raw
    if isinstance(text, str):
        text = re.sub(r"(?i)\s*days?$", "", text)
    days = _integer(spec, text)
    if not 0 <= days <= GRACE_DAYS_MAX:
        raise FieldError(f"{spec.label} must be between 0 and {GRACE_DAYS_MAX} days.")
    return days


def _identifier(spec: FieldSpec, raw: Any) -> int:
    if isinstance(raw, bool):
        raise FieldError(f"{spec.label} must be chosen from the list.")
    try:
        value = int(str(raw).strip())
    except ValueError as exc:
        raise FieldError(f"{spec.label} must be chosen from the list.") from exc
    if not 1 <= value <= MAX_ID:
        raise FieldError(f"{spec.label} does not exist.")
    return value


def _customer_id(spec: FieldSpec, raw: Any) -> int:
    """Another customer, by its ID (services.families checks it exists and may be chosen)."""
    if isinstance(raw, bool):
        raise FieldError(f"{spec.label} must be a customer's ID.")
    try:
        value = int(str(raw).strip().removeprefix("#"))
    except ValueError as exc:
        raise FieldError(f"{spec.label} must be a customer's ID.") from exc
    if not 1 <= value <= MAX_ID:
        raise FieldError(f"{spec.label}: customer #{value} does not exist.")
    return value


# How each typed kind is cleaned. The import reads a file's cells through these too: each
# takes the text a file holds (our export's "Yes", "a, b", "8.875") as well as typed values.
CLEANERS: dict[Kind, Callable[[FieldSpec, Any], Any]] = {
    Kind.TEXT: _text,
    Kind.STATE: _text,
    Kind.TAX_ID: _text,
    Kind.ALIAS: _external_id,
    Kind.EMAIL: _email,
    Kind.EMAIL_OR_DOMAIN: _email_or_domain,
    Kind.LONG_TEXT: _long_text,
    Kind.INTEGER: _integer,
    Kind.DECIMAL: _decimal,
    Kind.DATE: _date,
    Kind.CHOICE: _choice,
    Kind.MULTI_CHOICE: _multi_choice,
    Kind.URL: _url,
    Kind.FIELD_KEY: _field_key,
    Kind.COUNTRY: _country,
    Kind.CURRENCY: _currency,
    Kind.PERCENT: _percent,
    Kind.PAYMENT_TERMS: _payment_terms,
    Kind.BOOL: _bool,
    Kind.LEGAL_ENTITY: _identifier,
    Kind.PHONE: _phone,
    Kind.LANGUAGE: _language,
    Kind.TIMEZONE: _timezone,
    Kind.DAYS: _days,
    **{kind: _coded(kind) for kind in CODED if kind in TYPED},
    Kind.CUSTOMER: _customer_id,
}


# The kinds whose values are searched for a card number (services.card_numbers), each with
# its rule: free text by the rule itself; identifiers from other systems, tax IDs, web
# addresses and numbers only for a known card brand's number, since numeric IDs of 13 to 19
# digits are common there. A choice is one of its options, which are searched when defined.
CARD_SEARCH: dict[Kind, bool] = {  # kind -> brands_only
    Kind.TEXT: False,
    Kind.LONG_TEXT: False,
    Kind.STATE: False,
    Kind.EMAIL: False,
    Kind.EMAIL_OR_DOMAIN: False,
    Kind.FIELD_KEY: False,
    Kind.ALIAS: True,
    Kind.TAX_ID: True,
    Kind.URL: True,
    Kind.INTEGER: True,
    Kind.DECIMAL: True,
}

# A longer value (trimmed) is refused by its kind's cleaner: every kind allows at most 5,000
# characters, and no cleaning shortens a text to half. Searching it would only let a huge
# request cost time.
CARD_SEARCH_CHARS = 10_000

# Text fields that hold another system's identifier, searched by the identifiers' rule: a
# payment method's reference (Adyen's stored payment method IDs are 16-digit numbers).
IDENTIFIER_TEXT = {("PaymentMethod", "reference")}


def refuse_card_number(label: str, text: str, *, brands_only: bool = False) -> None:
    """A FieldError naming the field when `text` holds a card number (PCI DSS)."""
    if card_numbers.holds_card_number(text, brands_only=brands_only):
        raise FieldError(f"{label}: {card_numbers.MESSAGE}")


# Within values_remembered: (id of the spec, text) -> (the spec, cleaned?, value or message)
_remembered: ContextVar[dict[tuple[int, str], tuple[FieldSpec, bool, Any]] | None] = \
    ContextVar("cleaned_values_remembered", default=None)
# Results a row may share with another: none can be changed by whoever holds it.
_SHAREABLE = (str, int, bool, Decimal, date, type(None))


@contextmanager
def values_remembered() -> Iterator[None]:
    """Within, clean_value answers a text it has cleaned for the same field again from
    memory: its result, or its refusal with the same message. An import's chunk repeats its
    countries, currencies, rates, terms and blank cells row after row: 7 of a template
    row's 12 cleanings were repeats. Only text is remembered (a file's cells),
    and only results no row can change for another; the memory ends with the block (an
    import's chunk), and belongs to the context that opened it (not another thread's
    form)."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def clean_value(spec: FieldSpec, raw: Any) -> Any:
    """One value cleaned by its kind; None for an empty optional value. A card number is
    refused before the kind's own checks, so that is what the message says."""
    memory = _remembered.get()
    if memory is None or type(raw) is not str:
        return _clean_value(spec, raw)
    known = memory.get((id(spec), raw))
    if known is None:
        try:
            known = (spec, True, _clean_value(spec, raw))  # holding the spec keeps its id its own
        except FieldError as exc:
            known = (spec, False, str(exc))
        if known[1] and not isinstance(known[2], _SHAREABLE):
            return known[2]
        memory[(id(spec), raw)] = known
    if known[1]:
        return known[2]
    raise FieldError(known[2])


def _clean_value(spec: FieldSpec, raw: Any) -> Any:
    if is_blank(raw):
        if spec.required:
            raise FieldError(f"{spec.label} is required.")
        return None
    text = str(raw).strip() if isinstance(raw, str | int | Decimal) else ""
    if spec.kind in CARD_SEARCH and len(text) <= CARD_SEARCH_CHARS:
        refuse_card_number(spec.label, text, brands_only=CARD_SEARCH[spec.kind]
                           or (spec.model, spec.attr) in IDENTIFIER_TEXT)
    return CLEANERS[spec.kind](spec, raw)


def clean(specs: Iterable[FieldSpec], data: Mapping[str, Any]) -> dict[str, Any]:
    """Clean the values of `data` whose keys are among `specs`; raise all failures at once."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in specs:
        if spec.key not in data:
            continue
        try:
            cleaned[spec.key] = clean_value(spec, data[spec.key])
        except FieldError as exc:
            errors[spec.key] = str(exc)
    if errors:
        raise ValidationError(errors)
    return cleaned


def reject_unknown(data: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError({k: (f"{k.removeprefix(CUSTOM_PREFIX)} is not a custom field of "
                                   f"{where}." if k.startswith(CUSTOM_PREFIX)
                                   else f"{k} is not a field of {where}.") for k in unknown})
