"""A corpus of bad and hostile values, run through every customer field by the service, API and
import tests. Each value must be either stored (as typed, or in the field's canonical form:
trimmed text, upper-case codes, a normalised email or tax ID, an exact decimal) or refused with
a message naming the field; never a crash, never a partial write."""

import re
from decimal import Decimal, InvalidOperation

from email_validator import EmailNotValidError, validate_email

from models.catalogue import by_key
from services import phones

# Card numbers (services.card_numbers): refused in every text field, naming it.
CARD_NUMBERS: dict[str, str] = {
    "card number in groups": "4242 4242 4242 4242",
    "card number with dashes": "4242-4242-4242-4242",
    "card number": "4111111111111111",
    "card number in a sentence": "Please charge 4111 1111 1111 1111 monthly",
    "13-digit card number": "4222222222222",
    "19-digit card number": "4242424242424242428",
    "card number with expiry and CVC": "4242 4242 4242 4242 12 27 123",
}
# Look-alikes that are not card numbers: never refused as one.
NEAR_MISSES: dict[str, str] = {
    "near miss failing Luhn": "4242 4242 4242 4241",
    "near miss failing Luhn, together": "4111111111111112",
    "12 digits": "424242424242",
    "20 digits": "42424242424242424242",
    "IBAN": "BE70 5755 1954 8925",
    "phone number": "+4915324731277",
}

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
    **CARD_NUMBERS,
    **NEAR_MISSES,
}

# Kinds of the customer fields that refuse every look-alike of CARD_NUMBERS as a card number
# (services.cleaners.CARD_SEARCH) and accept every NEAR_MISSES value as far as that rule goes.
CARD_REFUSING = {"text", "state", "tax_id", "alias", "email"}
CARD_MESSAGE = "card numbers must not be stored here"

# Fields whose refusal may be reported on a neighbouring field they are checked against, or,
# for the External IDs, on the row of the list that holds the value (the only one here).
RELATED = {"country": {"state", "tax_id"}, "tax_country": {"tax_id"}, "state": {"country"},
           "external_ids": {"external_ids[0]"},
           # a shipping address given alone is one of its own, which must be complete
           **{f"shipping_{k}": {"shipping_country", "shipping_address_line1", "shipping_city"}
              for k in ("country", "address_line1", "address_line2", "city", "state",
                        "postal_code")}}


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
    if kind == "phone":
        return phones.to_e164(text)
    if kind == "days":
        return int(text)
    if kind in ("payment_terms", "bool", "legal_entity", "invoicing_flow", "customer_type",
                "tax_exemption", "language", "timezone"):
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
