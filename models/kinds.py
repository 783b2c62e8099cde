"""The kinds of field values: one vocabulary for built-in fields, custom fields and the
columns the system keeps.

Every layer holds one table keyed by Kind (services.cleaners: how a value is cleaned;
components.field_inputs: its form widget; components.customer_grid: how the grid shows
it; services.export: how a file holds it; api.json_types: its JSON schema;
services.customer_columns: the SQL that reads it from a custom field's JSON;
components.filter_widgets and services.list_filters: its filter). tests/unit/test_kinds.py
fails when a kind is missing from a table that needs it. Adding a kind: README, "Adding a
kind".
"""

from dataclasses import dataclass
from enum import StrEnum

from models.choices import CustomerType, InvoicingFlow, LabelledChoice, TaxExemption, TaxIdStatus


class Kind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    EMAIL = "email"
    EMAIL_OR_DOMAIN = "email_or_domain"  # a person's email or a whole @domain (role grants)
    URL = "url"
    TAX_ID = "tax_id"
    ALIAS = "alias"  # an External ID
    STATE = "state"
    COUNTRY = "country"
    CURRENCY = "currency"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"
    PAYMENT_TERMS = "payment_terms"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    INVOICING_FLOW = "invoicing_flow"
    CUSTOMER_TYPE = "customer_type"
    TAX_EXEMPTION = "tax_exemption"
    LEGAL_ENTITY = "legal_entity"
    PHONE = "phone"  # stored in E.164 (+4930901820), read in the country's national format
    LANGUAGE = "language"  # a Babel locale (de_DE, fr_CA)
    TIMEZONE = "timezone"  # an IANA name (Europe/Berlin)
    DAYS = "days"  # a whole number of days, 0 to 365
    CUSTOMER = "customer"  # another customer, by id (a child's parent)
    FIELD_KEY = "field_key"  # a custom field's key
    ID = "id"  # the kinds below are kept by the system: shown and exported, never typed
    STATUS = "status"
    DATETIME = "datetime"
    PAYMENT_METHOD = "payment_method"  # a customer's default payment method, as it reads
    TAX_ID_STATUS = "tax_id_status"


class Filter(StrEnum):
    """How the Customers page, the API and saved views filter a field."""

    ANY_OF = "any_of"  # any of the chosen values
    YES_NO = "yes_no"  # yes, no or any
    PRESENT = "present"  # has a value, has none, or any
    RANGE = "range"  # from, to, either open
    CONTAINS = "contains"  # the text holds a fragment


@dataclass(frozen=True)
class KindInfo:
    typed: bool = True  # someone types or picks it: it has a cleaner and a form widget
    custom_label: str | None = None  # offered for custom fields, under this name
    max_length: int | None = None  # of a custom field's value
    filter: Filter | None = None  # how a custom field of this kind is filtered

    @property
    def custom(self) -> bool:
        return self.custom_label is not None


KINDS: dict[Kind, KindInfo] = {
    Kind.TEXT: KindInfo(custom_label="Text", max_length=500, filter=Filter.CONTAINS),
    Kind.LONG_TEXT: KindInfo(custom_label="Long text", max_length=5000,
                             filter=Filter.CONTAINS),
    Kind.INTEGER: KindInfo(custom_label="Number", filter=Filter.RANGE),
    Kind.DECIMAL: KindInfo(custom_label="Decimal", filter=Filter.RANGE),
    Kind.DATE: KindInfo(custom_label="Date", filter=Filter.RANGE),
    Kind.BOOL: KindInfo(custom_label="Yes/no", filter=Filter.YES_NO),
    Kind.CHOICE: KindInfo(custom_label="Single select", max_length=100, filter=Filter.ANY_OF),
    Kind.MULTI_CHOICE: KindInfo(custom_label="Multi select", filter=Filter.ANY_OF),
    Kind.EMAIL: KindInfo(custom_label="Email", max_length=320, filter=Filter.CONTAINS),
    Kind.URL: KindInfo(custom_label="URL", max_length=2000, filter=Filter.CONTAINS),
    Kind.EMAIL_OR_DOMAIN: KindInfo(),
    Kind.TAX_ID: KindInfo(),
    Kind.ALIAS: KindInfo(),
    Kind.STATE: KindInfo(),
    Kind.COUNTRY: KindInfo(),
    Kind.CURRENCY: KindInfo(),
    Kind.PERCENT: KindInfo(),
    Kind.PAYMENT_TERMS: KindInfo(),
    Kind.INVOICING_FLOW: KindInfo(),
    Kind.CUSTOMER_TYPE: KindInfo(),
    Kind.TAX_EXEMPTION: KindInfo(),
    Kind.LEGAL_ENTITY: KindInfo(),
    Kind.PHONE: KindInfo(),
    Kind.LANGUAGE: KindInfo(),
    Kind.TIMEZONE: KindInfo(),
    Kind.DAYS: KindInfo(),
    Kind.CUSTOMER: KindInfo(),
    Kind.FIELD_KEY: KindInfo(),
    Kind.ID: KindInfo(typed=False),
    Kind.STATUS: KindInfo(typed=False),
    Kind.DATETIME: KindInfo(typed=False),
    Kind.PAYMENT_METHOD: KindInfo(typed=False),
    Kind.TAX_ID_STATUS: KindInfo(typed=False),
}

# The kinds whose values are the codes of a fixed choice (models.choices), stored as the
# code and read as its label: each layer handles them all with one entry built from this.
CODED: dict["Kind", type[LabelledChoice]] = {
    Kind.INVOICING_FLOW: InvoicingFlow,
    Kind.CUSTOMER_TYPE: CustomerType,
    Kind.TAX_EXEMPTION: TaxExemption,
    Kind.TAX_ID_STATUS: TaxIdStatus,
}

TYPED = frozenset(k for k, info in KINDS.items() if info.typed)
CUSTOM = {k: info.custom_label for k, info in KINDS.items() if info.custom}  # kind -> name
WITH_OPTIONS = frozenset({Kind.CHOICE, Kind.MULTI_CHOICE})
