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


class TaxIdStatus(StrEnum):
    """What is known of a customer's Tax ID (services.tax_id_status keeps it)."""

    NOT_CHECKED = "not_checked"  # no validator for its country
    VALID_FORMAT = "valid_format"  # python-stdnum's check passed
    VERIFIED = "verified"  # VIES says it is registered
    INVALID = "invalid"
    UNAVAILABLE = "could_not_be_checked"  # VIES was asked and could not answer

    @property
    def label(self) -> str:
        return _TAX_ID_STATUS_LABELS[self]


_TAX_ID_STATUS_LABELS = {
    TaxIdStatus.NOT_CHECKED: "Not checked",
    TaxIdStatus.VALID_FORMAT: "Valid format",
    TaxIdStatus.VERIFIED: "Verified",
    TaxIdStatus.INVALID: "Invalid",
    TaxIdStatus.UNAVAILABLE: "Could not be checked",
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
