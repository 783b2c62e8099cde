"""Phone numbers: stored in E.164 (+4930901820) so every system dials them the same way,
read in the national format of their country (030 901820), through Google's libphonenumber
rules (the phonenumbers package)."""

from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

MAX_CHARS = 40
E164_CHARS = 16  # "+" and at most 15 digits


def to_e164(text: str) -> str:
    """The number in E.164; ValueError with what is wrong, for the field's message. A
    number without its country code (+49, or 0049) is refused: its country is not known."""
    compact = text.strip()
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if len(compact) > MAX_CHARS:
        raise ValueError(f"must be at most {MAX_CHARS} characters")
    if not compact.startswith("+"):
        raise ValueError("must start with its country code, such as +49 30 901820")
    try:
        number = phonenumbers.parse(compact, None)
    except NumberParseException as exc:
        raise ValueError("is not a phone number, such as +49 30 901820") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("is not a valid phone number for its country code")
    return _e164(number)


def _e164(number: phonenumbers.PhoneNumber) -> str:
    """The number as E.164, which allows 15 digits at most (the column holds "+" and 15);
    libphonenumber calls some longer German numbers valid."""
    formatted = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if len(formatted) > E164_CHARS:
        raise ValueError(f"has more than the {E164_CHARS - 1} digits a phone number may have")
    return formatted


def in_country(text: str, country: str) -> str:
    """A number written as its country's people write it ("(415) 555-0142"), as E.164 for
    `country` (an ISO 3166-1 code): how CRMs export the numbers typed into them. A number
    with its country code, or one that is no valid number there, is returned as given, for
    to_e164 to read or to refuse with its message."""
    compact = text.strip()
    if compact.startswith(("+", "00")):
        return text
    try:
        number = phonenumbers.parse(compact, country)
    except NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    try:
        return _e164(number)
    except ValueError:
        return text


@lru_cache(maxsize=65_536)
def national(e164: str) -> str:
    """How people of the number's country write it; a stored value that no longer parses
    (rules change) as stored. Remembered: a grid page shows up to 1,000 numbers on every
    rerun, at 30 µs each to parse and format."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def international(e164: str) -> str:
    """+49 30 901820: what a form holds, which reads back to the same number."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
