"""A payment method as the profile reads it: "Visa •••• 4242 · expires 08/27 · Stripe ·
pm_123" with its status badges, and what the header and the Auto Pay warning say. Plain
text; callers escape it."""

from models.customer import Customer
from models.payment_method import CARD, STATUSES, USABLE_STATUSES, PaymentMethod
from services.payment_methods import (
    autopay_at_risk,
    card_name,
    default_method,
    expiry_text,
    method_label,
    status,
)

NONE = "None"

# The colour of the status badge after a method's line; an active method needs none.
BADGES = {"expiring": "orange", "expired": "red", "revoked": "gray"}


def method_name(method: PaymentMethod) -> str:
    """"Visa •••• 4242" for a card, "SEPA Direct Debit · Deutsche Bank" otherwise."""
    if method.method_type == CARD:
        return card_name(method)
    if method.bank_name:
        return f"{method.method_type_label} · {method.bank_name}"
    return method.method_type_label


def method_line(method: PaymentMethod) -> tuple[str, str]:
    """The method in one line, as its name ("Visa •••• 4242") and the rest: its expiry,
    where it lives and its reference ("expires 08/27 · Stripe · pm_123")."""
    expiry = expiry_text(method)
    parts = [f"expires {expiry}"] if expiry else []
    parts += [method.provider_label, method.reference]
    return method_name(method), " · ".join(parts)


def method_text(method: PaymentMethod) -> str:
    """The method's line as plain text, for a question about it."""
    return " · ".join(method_line(method))


def method_details(method: PaymentMethod) -> str:
    """Holder, bank (of a card) and the provider's customer ID, where known."""
    parts = []
    if method.holder_name:
        parts.append(f"Holder: {method.holder_name}")
    if method.bank_name and method.method_type == CARD:
        parts.append(f"Bank: {method.bank_name}")
    if method.provider_customer_id:
        parts.append(f"Provider customer ID: {method.provider_customer_id}")
    return " · ".join(parts)


def default_summary(customer: Customer) -> str:
    """The default method as the grid's column reads it ("Visa •••• 4242 · 08/27"), with
    its status when it cannot be charged."""
    method = default_method(customer)
    if method is None:
        return NONE
    code = status(method)
    label = method_label(method)
    return label if code in USABLE_STATUSES else f"{label} ({STATUSES[code]})"


def autopay_problem(customer: Customer) -> str | None:
    """Why Auto Pay cannot charge anything, while it is on without a usable default."""
    if not autopay_at_risk(customer):
        return None
    method = default_method(customer)
    if method is None:
        return "this customer has no payment method"
    return (f"the default payment method ({method_label(method)}) is "
            f"{STATUSES[status(method)].lower()}")
