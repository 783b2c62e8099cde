"""An address is read the same whichever way it is checked: the import checks each domain
once (services.email_syntax) and must give what email_validator gives for every address,
the same normalised address or the same refusal."""

import pytest
from email_validator import EmailNotValidError, validate_email

from services.email_syntax import normalized_email

ADDRESSES = [
    "a@Example.COM", "b.c@example.com", "Ab@example.com", "a+tag@example.com",
    "Postmaster@example.com", "ABUSE@example.com", "x..y@example.com", ".x@example.com",
    "x.@example.com", "a" * 64 + "@example.com", "a" * 65 + "@example.com",
    "a" * 60 + "@" + "b" * 60 + "." + "c" * 60 + "." + "d" * 60 + ".com",
    "é@example.com", "a@b@example.com", '"quoted"@example.com', "a@bücher.de",
    "b@bücher.de", "a@localhost", "a@test", "Name <a@example.com>", "a@example.com.",
    "z@ex_ample.com", "a@[127.0.0.1]", "@example.com", "a@", "plain", "a b@example.com",
    "a@exAMPLE.com", "ﬁ@example.com", "a@xn--bcher-kva.de",
]


def _library(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        return f"refused: {exc}"


def _ours(value: str) -> str:
    try:
        return normalized_email(value)
    except EmailNotValidError as exc:
        return f"refused: {exc}"


@pytest.mark.parametrize("value", ADDRESSES)
def test_an_address_reads_as_the_library_reads_it_before_and_after_its_domain_is_known(value):
    first = _ours(value)
    for known in ADDRESSES:  # every domain of the list checked once
        _ours(known)
    assert first == _ours(value) == _library(value)
