"""Check a customer's Tax ID with the EU's VIES and record what it says.

A check asks VIES (services.vies), when the operator enabled it, about an EU VAT number: the
status becomes "verified" or "invalid" with the date checked. When VIES cannot answer (a
timeout, an error, an answer that is not one) the check says why, and:
- keeps a verdict VIES gave before, with its date: VIES being down says nothing about the
  number, and a customer verified last month stays verified;
- otherwise records "could not be checked" with the date tried, so those customers can be
  found (the grid's Tax ID Status filter) and checked again.
Every check is one audited write carrying the version the user read, whatever VIES said. VIES
is asked before the transaction opens, so no lock is held while it thinks; a save that lands
meanwhile makes the check's write a conflict, as any other.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models.choices import TaxIdStatus
from models.customer import Customer
from models.types import utcnow
from services import access, audit, vies
from services.access import Actor
from services.config import settings
from services.customers import fetch_customer, get_customer, load_for_write, touch
from services.db import write_session
from services.errors import ConflictError, ValidationError
from services.tax_id_status import (
    CHECKED_AT,
    STATUS,
    TAX_ID,
    status_text,
    unavailable_reason,
    vies_number,
)

CHECKED = "customer.tax_id_checked"


@dataclass(frozen=True)
class TaxIdCheck:
    """A check's outcome: the customer as saved, and what to tell the person who asked."""

    customer: Customer
    result: TaxIdStatus  # verified, invalid or could not be checked: this check's outcome
    message: str


def check(customer_id: int, *, version: int | None, actor: Actor) -> TaxIdCheck:
    """Ask VIES about the customer's Tax ID and record the answer (see the module's doc).
    Refused with a ValidationError on "tax_id" when it cannot be asked (VIES turned off, no
    Tax ID, not an EU VAT number) and a ConflictError when the customer changed since
    `version` was read, before or while VIES was asked."""
    actor = access.require(actor, access.EDITOR)
    read = get_customer(customer_id)
    if version is not None and read.version != version:
        raise ConflictError()
    reason = unavailable_reason(read)
    if reason:
        raise ValidationError.single(TAX_ID, reason)
    config = settings()
    answer = vies.check(vies_number(read), url=str(config.vies_url),
                        timeout=config.vies_timeout_seconds)
    with write_session() as session:
        customer = load_for_write(session, customer_id, read.version)
        before = {STATUS: customer.tax_id_status, CHECKED_AT: customer.tax_id_checked_at}
        after = _recorded(before, answer.verdict)
        for key, value in after.items():
            setattr(customer, key, value)
        touch(customer)
        session.flush()
        audit.record(session, actor=actor, action=CHECKED, entity="customer",
                     entity_id=customer.id, customer_id=customer.id,
                     changes={**audit.diff(before, after),
                              "vies": [None, answer.reason or answer.verdict.value]})
        saved = fetch_customer(session, customer_id)
    return TaxIdCheck(saved, _OUTCOME[answer.verdict], _message(answer, saved))


_OUTCOME = {vies.Verdict.VALID: TaxIdStatus.VERIFIED, vies.Verdict.INVALID: TaxIdStatus.INVALID,
            vies.Verdict.UNAVAILABLE: TaxIdStatus.UNVERIFIABLE}


def _recorded(before: Mapping[str, Any], verdict: vies.Verdict) -> dict[str, Any]:
    """The status and date a VIES answer leaves: a verdict replaces what was there; no
    answer keeps an earlier verdict and its date, and marks anything else as not checkable."""
    now = utcnow()
    if verdict == vies.Verdict.VALID:
        return {STATUS: TaxIdStatus.VERIFIED.value, CHECKED_AT: now}
    if verdict == vies.Verdict.INVALID:
        return {STATUS: TaxIdStatus.INVALID.value, CHECKED_AT: now}
    if before[STATUS] in (TaxIdStatus.VERIFIED, TaxIdStatus.INVALID):
        return dict(before)
    return {STATUS: TaxIdStatus.UNVERIFIABLE.value, CHECKED_AT: now}


def _message(answer: vies.ViesAnswer, customer: Customer) -> str:
    if answer.verdict == vies.Verdict.VALID:
        return "VIES confirms this VAT number is registered."
    if answer.verdict == vies.Verdict.INVALID:
        return "VIES says this VAT number is not registered."
    kept = TaxIdStatus(customer.tax_id_status)
    if kept in (TaxIdStatus.VERIFIED, TaxIdStatus.INVALID):
        return (f"The Tax ID could not be checked: {answer.reason}. It stays "
                f"{status_text(kept, customer.tax_id_checked_at)}.")
    return f"The Tax ID could not be checked: {answer.reason}. Try again later."
