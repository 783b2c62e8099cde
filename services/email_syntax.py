"""An email address checked and normalised as email_validator does it, with the domain's
check done once per domain.

email_validator checks the domain of every address from scratch (IDNA, special-use names,
each label), which took a quarter of an import row's validation. A file's addresses share
few domains: the first address at a domain is checked by the library itself, and a later
one whose part before the @ is plain ASCII (RFC 5322's dot-atom, which the library takes
as it is) reuses that domain's result. Anything else goes through the library whole, so
every message is the library's own.
"""

from email_validator import validate_email
from email_validator.rfc_constants import (
    CASE_INSENSITIVE_MAILBOX_NAMES,
    DOT_ATOM_TEXT,
    EMAIL_MAX_LENGTH,
    LOCAL_PART_MAX_LENGTH,
)

DOMAINS_KEPT = 10_000  # bounds the memory a file of a million distinct domains costs
_domains: dict[str, str] = {}  # a domain as written -> as the library normalises it


def normalized_email(value: str) -> str:
    """`validate_email(value, check_deliverability=False).normalized`; raises its
    EmailNotValidError."""
    local, at, domain = value.rpartition("@")
    known = _domains.get(domain) if at else None
    if (known is not None and len(local) <= LOCAL_PART_MAX_LENGTH
            and DOT_ATOM_TEXT.match(local) and local.isascii()
            and local.lower() not in CASE_INSENSITIVE_MAILBOX_NAMES
            and len(local) + 1 + len(known) <= EMAIL_MAX_LENGTH):
        return f"{local}@{known}"
    checked = validate_email(value, check_deliverability=False)
    if (len(_domains) < DOMAINS_KEPT and checked.domain == checked.ascii_domain
            and checked.local_part == local and DOT_ATOM_TEXT.match(local)):
        _domains[domain] = checked.domain
    return checked.normalized
