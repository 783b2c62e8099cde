"""Fixed choices of the customer's fields, with the labels users see."""

from enum import StrEnum


class LabelledChoice(StrEnum):
    """A fixed choice stored as its code ("reverse_charge") and read as its label
    ("Reverse charge"); a choice whose label is not its code in words names it in LABELS."""

    @property
    def label(self) -> str:
        return LABELS.get(self) or self.value.replace("_", " ").capitalize()


class InvoicingFlow(LabelledChoice):
    """Which system issues this customer's invoices."""

    CUSTOMER_DESK = "customer_desk"
    STRIPE = "stripe"
    XERO = "xero"
    QUICKBOOKS = "quickbooks"


class CustomerType(LabelledChoice):
    """A company, or an individual whose name, email, phone and addresses are personal data."""

    COMPANY = "company"
    INDIVIDUAL = "individual"


class TaxExemption(LabelledChoice):
    """Whether the customer is invoiced tax: exempt reads a Tax Rate of 0 with its reason;
    reverse charge moves the tax to the customer (a Tax ID in another country than the
    legal entity's)."""

    NONE = "none"
    EXEMPT = "exempt"
    REVERSE_CHARGE = "reverse_charge"


class TaxIdStatus(LabelledChoice):
    """What is known of the Tax ID: kept by the system, never typed."""

    NOT_CHECKED = "not_checked"
    VALID_FORMAT = "valid_format"
    VERIFIED = "verified"
    INVALID = "invalid"
    UNVERIFIABLE = "unverifiable"


# Other systems' words for a choice, read by imports and the API: Stripe's customer export
# writes "reverse" for reverse charge, Chargebee's taxability "taxable" for no exemption.
READ_AS: dict[str, StrEnum] = {"reverse": TaxExemption.REVERSE_CHARGE,
                               "taxable": TaxExemption.NONE}

# Keyed by member; StrEnum members of different classes with one value are one key, so
# only labels that differ from the code in words are named here, and no two clash.
LABELS: dict[StrEnum, str] = {
    InvoicingFlow.CUSTOMER_DESK: "Customer Desk",
    InvoicingFlow.STRIPE: "Stripe Invoicing",
    InvoicingFlow.XERO: "Xero",
    InvoicingFlow.QUICKBOOKS: "QuickBooks",
    TaxIdStatus.UNVERIFIABLE: "Could not be checked",
}


class SourceSystem(LabelledChoice):
    """The system an External ID comes from (a connected account: "Stripe · cus_123")."""

    STRIPE = "stripe"
    HUBSPOT = "hubspot"
    SALESFORCE = "salesforce"
    CHARGEBEE = "chargebee"
    LAGO = "lago"
    OWN = "own"
    OTHER = "other"

    @property
    def label(self) -> str:
        # Its own table: LABELS is keyed by value, and "stripe" there is Stripe Invoicing.
        return SYSTEM_LABELS[self.value]


SYSTEM_LABELS = {"stripe": "Stripe", "hubspot": "HubSpot", "salesforce": "Salesforce",
                 "chargebee": "Chargebee", "lago": "Lago", "own": "Your own system",
                 "other": "Other"}


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
GRACE_DAYS_MAX = 365
DEFAULT_LEGAL_ENTITY_NAME = "Default Legal Entity"
