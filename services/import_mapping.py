"""Which column of an imported file fills which field: the presets and the template.
(Reading a file is services.upload_reading.)

Targets are the catalogue's keys (customer fields, the primary contact's fields and
External IDs); a column mapped to IGNORE is skipped.
"""

import csv
import io

from models.catalogue import EXTERNAL_IDS, alias_field, customer_fields, primary_contact_fields
from services.custom_fields import custom_specs
from services.customer_columns import book_columns
from services.formula_guard import guarded

IGNORE = ""
CUSTOMER_DESK = "customer_desk"
STRIPE = "stripe"
PRESETS = {CUSTOMER_DESK: "Customer Desk template", STRIPE: "Stripe customer export"}

_STRIPE = {
    "id": EXTERNAL_IDS,
    "name": "name",
    "email": "primary_contact_email",
    "description": "business_name",
    "address line1": "address_line1",
    "address line2": "address_line2",
    "address city": "city",
    "address state": "state",
    "address country": "country",
    "address zip": "postal_code",
    "currency": "currency",
    "tax id": "tax_id",
    "tax ids": "tax_id",
}


def targets() -> dict[str, str]:
    """Field key -> label, for the mapping step's choices."""
    specs = (*customer_fields(), *primary_contact_fields(), alias_field(), *custom_specs())
    return {s.key: s.label for s in specs}


def template_headers() -> list[str]:
    """The Customer Desk template: the export's columns, minus those the system keeps."""
    return [c.label for c in book_columns().values()
            if c.key not in ("id", "status", "created_at", "updated_at")]


def suggest(headers: list[str], preset: str) -> dict[str, str]:
    """Source column -> field key, as the preset would map it (unknown columns ignored)."""
    if preset == STRIPE:
        table = _STRIPE
    else:
        table = {c.label.casefold(): c.key for c in book_columns().values()
                 if c.key in targets() or c.key == EXTERNAL_IDS}
        table.update({label.casefold(): key for key, label in targets().items()})
    return {h: table.get(h.strip().casefold(), IGNORE) for h in headers}


def template_csv() -> bytes:
    """The Customer Desk template as a CSV with its header and one example row."""
    out = io.StringIO()
    writer = csv.writer(out)
    headers = template_headers()
    writer.writerow(guarded(headers))  # custom field labels are anyone's text
    example = {"Customer Name": "Acme Analytics GmbH", "Billing Currency": "EUR",
               "Primary Contact Email": "billing@acme.example", "Country": "DE",
               "Payment Terms": "30", "Tax Rate": "19", "External IDs": "crm-001"}
    writer.writerow(guarded(example.get(h, "") for h in headers))
    return out.getvalue().encode("utf-8-sig")
