"""Names of the sections fields are grouped under, in the words of the product's help pages."""

# Sections of the New Customer form.
CUSTOMER_INFORMATION = "Customer Information"
LOCATION_DETAILS = "Location Details"
TAX_INFORMATION = "Tax Information"
EXTERNAL_IDENTIFIERS = "External Identifiers"

FORM_SECTIONS = (CUSTOMER_INFORMATION, LOCATION_DETAILS, TAX_INFORMATION, EXTERNAL_IDENTIFIERS)

# Sections of the Customer Profile page, one expander each.
BUSINESS_INFORMATION = "Business Information"
BILLING_ADDRESS = "Billing Address"
TAX_SETTINGS = "Tax Settings"
ALIASES = "External Identifiers (Aliases)"
CONTACTS = "Contacts"
HISTORY = "History"

PROFILE_SECTIONS = (BUSINESS_INFORMATION, BILLING_ADDRESS, TAX_SETTINGS, ALIASES, CONTACTS, HISTORY)
