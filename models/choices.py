"""Fixed choices of the customer's fields, with the labels users see."""

from enum import StrEnum


class InvoicingFlow(StrEnum):
    """Which system issues this customer's invoices."""

    CUSTOMER_DESK = "customer_desk"
    STRIPE = "stripe"
    XERO = "xero"
    QUICKBOOKS = "quickbooks"

    @property
    def label(self) -> str:
        return _FLOW_LABELS[self]


_FLOW_LABELS = {
    InvoicingFlow.CUSTOMER_DESK: "Customer Desk",
    InvoicingFlow.STRIPE: "Stripe Invoicing",
    InvoicingFlow.XERO: "Xero",
    InvoicingFlow.QUICKBOOKS: "QuickBooks",
}


class CustomerStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


PAYMENT_TERMS_MIN = 0
PAYMENT_TERMS_MAX = 365
PAYMENT_TERMS_DEFAULT = 30
COMMON_PAYMENT_TERMS = (0, 7, 10, 14, 15, 30, 45, 60, 90)  # offered in forms and filters


def payment_terms_label(days: int) -> str:
    """Net 30 style; Net 0 means due on receipt."""
    return f"Net {days}"


TAX_RATE_MAX_PLACES = 4
DEFAULT_LEGAL_ENTITY_NAME = "Default Legal Entity"
