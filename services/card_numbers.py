"""Card numbers (PANs) are never stored (PCI DSS): finding one anywhere inside a text.

A card number is 13 to 19 digits, written together or in groups split by single spaces or
dashes, that pass the Luhn check. It is looked for in every run of digits of a text (a
run: digits and single spaces or dashes between them), not only in a whole value:
- the whole run, by the rule above;
- a part of a longer run, made of whole groups from its start or up to its end (a card
  number typed with its expiry and CVC: "4242 4242 4242 4242 12 27 123"), when it is also
  the number of a known card brand (its first digits and length, `is_brand_number`), so
  that long grouped numbers (parcel tracking, bank references) do not match by chance.

Two look-alikes are not card numbers:
- a phone number in international format: "+" then at most 15 digits (E.164);
- an IBAN with a valid check (ISO 13616, mod 97): "BE68 5390 0754 7034".

`brands_only` is the rule for identifiers from other systems, tax IDs, web addresses and
numbers, where numeric IDs of 13 to 19 digits are common (a 19-digit snowflake ID, a
13-digit shop customer number) and 1 in 10 of them passes the Luhn check: there only the
number of a known card brand counts.
"""

import re
from bisect import bisect_right

from stdnum import iban

MESSAGE = ("card numbers must not be stored here; keep the card with your payment provider "
           "and store its reference (pm_...).")
MIN_DIGITS, MAX_DIGITS = 13, 19
PHONE_MAX_DIGITS = 15  # E.164

_RUN = re.compile(r"(?<!\d)\d+(?:[ -]\d+)*")
_LONG_ENOUGH = re.compile(r"\d(?:[ -]?\d){12}")  # a cheap first test: 13 digits in a run
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,30}")

# (first digits from, to, lengths) of the card brands PCI DSS covers, and Maestro and Mir.
_BRANDS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("4", "4", (13, 16, 19)),  # Visa
    ("51", "55", (16,)), ("2221", "2720", (16,)),  # Mastercard
    ("34", "34", (15,)), ("37", "37", (15,)),  # American Express
    ("6011", "6011", (16, 17, 18, 19)), ("644", "649", (16, 17, 18, 19)),  # Discover
    ("65", "65", (16, 17, 18, 19)),
    ("3528", "3589", (16, 17, 18, 19)),  # JCB
    ("36", "36", (14, 15, 16, 17, 18, 19)), ("300", "305", (16, 17, 18, 19)),  # Diners Club
    ("3095", "3095", (16, 17, 18, 19)), ("38", "39", (16, 17, 18, 19)),
    ("62", "62", (16, 17, 18, 19)),  # UnionPay
    ("2200", "2204", (16, 17, 18, 19)),  # Mir
    ("5018", "5018", (13, 14, 15, 16, 17, 18, 19)),  # Maestro
    ("5020", "5020", (13, 14, 15, 16, 17, 18, 19)),
    ("5038", "5038", (13, 14, 15, 16, 17, 18, 19)),
    ("5893", "5893", (13, 14, 15, 16, 17, 18, 19)),
    ("6304", "6304", (13, 14, 15, 16, 17, 18, 19)),
    ("6759", "6759", (13, 14, 15, 16, 17, 18, 19)),
    ("6761", "6763", (13, 14, 15, 16, 17, 18, 19)),
)


def luhn(digits: str) -> bool:
    """Whether the digits pass the Luhn check (any Unicode decimal digits)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def is_brand_number(digits: str) -> bool:
    """Whether the digits have a known card brand's first digits and length."""
    ascii_digits = "".join(str(int(c)) for c in digits)
    return any(len(digits) in lengths and low <= ascii_digits[:len(low)] <= high
               for low, high, lengths in _BRANDS)


def _is_card(digits: str, *, brands_only: bool) -> bool:
    return (MIN_DIGITS <= len(digits) <= MAX_DIGITS and luhn(digits)
            and (not brands_only or is_brand_number(digits)))


def _mod97(candidate: str) -> bool:
    """ISO 13616's check, before stdnum's fuller one (which also knows each country's
    length): the cheap test that most readings fail."""
    rearranged = candidate[4:] + candidate[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _iban_spans(text: str) -> list[tuple[int, int]]:
    """Where the text holds a valid IBAN (its longest valid reading from each start)."""
    spans = []
    for match in _IBAN.finditer(text):
        found = [(match.start() + i, c) for i, c in enumerate(match.group()) if c.isalnum()]
        compact = "".join(c for _, c in found).upper()
        for length in range(len(compact), 14, -1):
            reading = compact[:length]
            if reading.isascii() and _mod97(reading) and iban.is_valid(reading):
                spans.append((match.start(), found[length - 1][0] + 1))
                break
    return spans


def _run_cards(text: str, start: int, groups: list[str], *, brands_only: bool
               ) -> list[tuple[int, int]]:
    """Card numbers in one run: the whole run, else whole groups from its start or to
    its end that are a known brand's number (at most 19 digits: linear in the run)."""
    digits = "".join(groups)
    end = start + len("-".join(groups))  # each separator is one character
    if _is_card(digits, brands_only=brands_only):
        return [(start, end)]
    if len(groups) == 1:
        return []
    head = tail = ""
    head_end, tail_start = start - 1, end + 1
    for first, last in zip(groups[:-1], reversed(groups[1:]), strict=True):
        head, tail = head + first, last + tail
        head_end, tail_start = head_end + len(first) + 1, tail_start - len(last) - 1
        if len(head) > MAX_DIGITS and len(tail) > MAX_DIGITS:
            break
        if _is_card(head, brands_only=True):
            return [(start, head_end)]
        if _is_card(tail, brands_only=True):
            return [(tail_start, end)]
    return []


def card_spans(text: str, *, brands_only: bool = False) -> list[tuple[int, int]]:
    """Where `text` holds a card number (start, end), by the module's rule."""
    if not _LONG_ENOUGH.search(text):
        return []
    ibans = _iban_spans(text)  # in order, apart
    starts = [low for low, _ in ibans]
    spans = []
    for match in _RUN.finditer(text):
        start = match.start()
        at = bisect_right(starts, start) - 1
        if at >= 0 and start < ibans[at][1]:
            continue
        groups = re.split(r"[ -]", match.group())
        if (start and text[start - 1] == "+"
                and sum(map(len, groups)) <= PHONE_MAX_DIGITS):
            continue
        spans.extend(_run_cards(text, start, groups, brands_only=brands_only))
    return spans


def holds_card_number(text: str, *, brands_only: bool = False) -> bool:
    return bool(card_spans(text, brands_only=brands_only))


def mask(text: str) -> str:
    """The text with each card number's digits but its last four replaced by •, for the
    files and previews that repeat refused input."""
    for start, end in reversed(card_spans(text)):
        part = text[start:end]
        keep = len(part)
        for _ in range(4):
            keep = next(i for i in range(keep - 1, -1, -1) if part[i].isdigit())
        hidden = "".join("•" if c.isdigit() else c for c in part[:keep])
        text = text[:start] + hidden + part[keep:] + text[end:]
    return text
