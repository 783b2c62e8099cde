"""The sections fields are grouped under: a stable id for the code, a label for people.

Code compares sections, which are equal when their ids are, never their labels, so a label
can be reworded here alone. Labels are in the words of the product's help pages.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    id: str
    label: str = field(compare=False)


# Sections of the New Customer form (FORM_SECTIONS, below); Additional Fields holds the
# custom fields, if any.
CUSTOMER_INFORMATION = Section("customer_information", "Customer Information")
LOCATION_DETAILS = Section("location_details", "Location Details")
TAX_INFORMATION = Section("tax_information", "Tax Information")
EXTERNAL_IDENTIFIERS = Section("external_identifiers", "External Identifiers")
ADDITIONAL_FIELDS = Section("additional_fields", "Additional Fields")

# Sections of the Customer Profile page, one expander each.
BUSINESS_INFORMATION = Section("business_information", "Business Information")
BILLING_ADDRESS = Section("billing_address", "Billing Address")
SHIPPING_ADDRESS = Section("shipping_address", "Shipping Address")
TAX_SETTINGS = Section("tax_settings", "Tax Settings")
ALIASES = Section("aliases", "External Identifiers (Aliases)")
CONTACTS = Section("contacts", "Contacts")
PAYMENT_METHODS = Section("payment_methods", "Payment Methods")
FAMILY = Section("family", "Family")
HISTORY = Section("history", "History")

PROFILE_SECTIONS = (BUSINESS_INFORMATION, BILLING_ADDRESS, SHIPPING_ADDRESS, TAX_SETTINGS, ALIASES,
                    CONTACTS, HISTORY)
# The form asks for the Legal Entity under Business Information, where the profile keeps it,
# not among the External Identifiers: it is how the customer is billed, not an identifier.
FORM_SECTIONS = (CUSTOMER_INFORMATION, LOCATION_DETAILS, BUSINESS_INFORMATION, TAX_INFORMATION,
                 EXTERNAL_IDENTIFIERS)
# The profile sections of the customer's own fields, each saved on its own; a custom field
# shows in one of them.
EDITABLE_SECTIONS = (BUSINESS_INFORMATION, BILLING_ADDRESS, SHIPPING_ADDRESS, TAX_SETTINGS)

# Forms outside the customer whose fields are declared with desk_field too.
API_KEYS = Section("api_keys", "API keys")
CUSTOM_FIELDS = Section("custom_fields", "Custom fields")
LEGAL_ENTITIES = Section("legal_entities", "Legal entities")
ROLES = Section("roles", "Roles")
SAVED_VIEWS = Section("saved_views", "Saved views")
