"""A corpus of bad and hostile values, run through every customer field by the service, API and
import tests. Each value must be either stored (as typed, or in the field's canonical form:
trimmed text, upper-case codes, a normalised email or tax ID, an exact decimal) or refused with
a message naming the field; never a crash, never a partial write."""

import re
from decimal import Decimal, InvalidOperation

from email_validator import EmailNotValidError, validate_email

from models.catalogue import by_key

HOSTILE: dict[str, str] = {
    "empty": "",
    "whitespace": "  \t  ",
    "10,000 characters": "x" * 10_000,
    "NUL": "Acme\x00Corp",
    "bell": "Acme\x07Corp",
    "newline": "Acme\nCorp",
    "tab": "Acme\tCorp",
    "C1 control": "Acme\x85Corp",
    "RTL text": "شركة المثال",
    "RTL override": "Acme\u202eProC",
    "emoji": "Acme 🚀 Rockets",
    "HTML": "<b>Acme</b> & <i>Co</i>",
    "script tag": "<script>alert('x')</script>",
    "SQL": "'; DROP TABLE customer; --",
    "SQL tautology": "1' OR '1'='1",
    "formula =": "=HYPERLINK(\"http://evil.example\")",
    "formula +": "+49 30 1234",
    "formula -": "-42",
    "formula @": "@SUM(A1:A9)",
    "number as text": "12345",
    "leading zeros": "007",
    "NaN": "NaN",
    "infinity": "Infinity",
    "minus infinity": "-inf",
    "negative": "-5",
    "huge": "1e308",
    "over 100": "150",
    "too precise": "8.123456",
    "exact decimal": "8.875",
    "lowercase country": "de",
    "lowercase currency": "usd",
    "unknown code": "ZZ",
    "unknown currency": "XYZ",
    "malformed email": "not-an-email",
    "two at signs": "a@b@example.com",
    "internationalised email": "jürgen@bücher.example",
    "punycode email": "info@xn--bcher-kva.example",
    "VAT of another country": "FR40303265045",
    "German VAT": "DE 136 695 976",
    "subdivision": "DE-BE",
    "unknown subdivision": "DE-XX",
    "net days": "Net 45",
    "yes": "yes",
    "maybe": "maybe",
}

# Fields whose refusal may be reported on a neighbouring field they are checked against, or,
# for the External IDs, on the row of the list that holds the value (the only one here).
RELATED = {"country": {"state", "tax_id"}, "tax_country": {"tax_id"}, "state": {"country"},
           "external_ids": {"external_ids[0]"}}


def expected_stored(key: str, raw: str, stored):
    """The value an accepted `raw` must come back as, by the field's kind."""
    kind = by_key()[key].kind if key in by_key() else "alias"
    text = raw.strip()
    if kind in ("country", "currency"):
        return text.upper()
    if kind == "state":
        return text.upper() if re.fullmatch(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}", text) else text
    if kind == "email":
        return validate_email(text, check_deliverability=False).normalized
    if kind == "tax_id":
        return re.sub(r"[\s.\-/]", "", text).upper()
    if kind == "percent":
        return Decimal(text)
    if kind in ("payment_terms", "bool", "legal_entity", "invoicing_flow"):
        return stored  # a choice: any accepted value is one of the field's options
    return text


def looks_valid_email(raw: str) -> bool:
    try:
        validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def as_decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
