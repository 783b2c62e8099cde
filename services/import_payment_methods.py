"""A row's payment method: one per row, which becomes the customer's default.

The Customer Desk template names each field of a method in a column of its own ("Payment
method: Provider", "Payment method: Method reference", ...); Stripe's customer export
carries the default card in its Card columns (Card ID, Card Brand, Card Last4, Card Exp
Month, Card Exp Year) without naming the provider or the type, which the reference says
(pm_..., card_... is Stripe's card; MD... a GoCardless mandate). Each method passes the
payment methods service's own rules (services.payment_methods.clean_payment_method); its
provider customer ID (cus_...) joins the row's External IDs, as the service links it, so
routing and writing treat it as one.

A method already stored (the same provider and reference) is updated and made default
when it is the row's customer's, and refused naming its holder when it is another's.
"""

from types import SimpleNamespace
from typing import Any

from models.catalogue import EXTERNAL_IDS, payment_method_fields
from models.payment_method import CARD
from services.errors import ValidationError
from services.payment_methods import (
    DEFAULT_CHANGE,
    clean_payment_method,
    expiry_date,
    is_usable,
    method_label,
)

PREFIX = "payment_method."  # the mapping's keys of a method's fields
METHOD = "_payment_method"  # the row's cleaned method, among its values
_PROVIDER_BY_PREFIX = {"pm_": "stripe", "card_": "stripe", "src_": "stripe", "ba_": "stripe",
                       "MD": "gocardless"}
_CARD_FIELDS = ("brand", "last4", "exp_month", "exp_year")


def targets() -> dict[str, str]:
    """Mapping key -> the template's column for each field of a method."""
    return {PREFIX + s.key: f"Payment method: {s.label}" for s in payment_method_fields()}


def _inferred(given: dict[str, Any]) -> dict[str, Any]:
    """The provider and type a file leaves out, where the reference or the card columns say
    them (Stripe's export names neither)."""
    reference = str(given.get("reference") or "").strip()
    if "provider" not in given:
        found = next((p for prefix, p in _PROVIDER_BY_PREFIX.items()
                      if reference.startswith(prefix)), None)
        if found:
            given["provider"] = found
    if "method_type" not in given:
        if reference.startswith("ba_"):
            given["method_type"] = "ach_debit"
        elif reference.startswith(("pm_", "card_", "src_")) or any(
                k in given for k in _CARD_FIELDS):
            given["method_type"] = CARD
    return given


def take_method(values: dict[str, Any]) -> None:
    """Move the row's method cells out of `values` into values[METHOD], cleaned by the
    service's rules (errors named by the file's columns), its provider customer ID added to
    the row's External IDs."""
    cells = {key[len(PREFIX):]: values.pop(key) for key in list(values)
             if key.startswith(PREFIX)}
    given = {k: v for k, v in cells.items() if v is not None and str(v).strip()}
    if not given:
        return
    try:
        method = clean_payment_method(_inferred(given))
    except ValidationError as exc:
        raise ValidationError({PREFIX + k: m for k, m in exc.errors.items()}) from None
    values[METHOD] = method
    external_id = method["provider_customer_id"]
    if external_id is not None and external_id not in values.get(EXTERNAL_IDS, []):
        values.setdefault(EXTERNAL_IDS, []).append(external_id)


def usable(method: dict[str, Any]) -> bool:
    """Whether Auto Pay could charge the method once it is the default."""
    return is_usable(SimpleNamespace(revoked_at=None, expires_on=expiry_date(
        method["exp_month"], method["exp_year"])))


def label(method: dict[str, Any]) -> str:
    return method_label(SimpleNamespace(**method))


def method_changes(method: dict[str, Any], stored: dict[str, Any] | None) -> dict[str, list]:
    """The audit diff of a row's method becoming (or staying) the default: the default's
    label before and after, when anything about it changes."""
    after = label(method)
    if stored is None:
        return {DEFAULT_CHANGE: [None, after]}
    same = all(stored[k] == v for k, v in method.items()) and stored["is_default"]
    return {} if same else {DEFAULT_CHANGE: [label(stored) if stored["is_default"] else None,
                                             after]}
