"""Which column of an imported file fills which field: the presets, and reading a file.

Targets are the catalogue's keys (customer fields, the primary contact's fields and
External IDs); a column mapped to IGNORE is skipped.
"""

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from models.catalogue import EXTERNAL_IDS, alias_field, customer_fields, primary_contact_fields
from services.custom_fields import custom_specs
from services.customer_columns import book_columns
from services.formula_guard import guarded, unguard

IGNORE = ""
CUSTOMER_DESK = "customer_desk"
STRIPE = "stripe"
PRESETS = {CUSTOMER_DESK: "Customer Desk template", STRIPE: "Stripe customer export"}
DELIMITERS = ",;\t|"

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


def _sniff(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _text(value: Any) -> str | None:
    """A cell as text, with the formula guard of our own files undone ('=x -> =x)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unguard(str(value).strip()) or None


def read_table(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str | None]]]]:
    """The header and a stream of (row number, cells) of a CSV or Excel file. Blank rows are
    skipped; a UTF-8 byte-order mark and ; or tab delimiters are handled."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    handle = path.open(encoding="utf-8-sig", newline="")
    sample = handle.read(64 * 1024)
    handle.seek(0)
    reader = csv.reader(handle, delimiter=_sniff(sample))
    headers = [unguard(h.strip()) for h in next(reader, [])]

    def rows():
        with handle:
            for line, cells in enumerate(reader, start=2):
                values = [_text(c) for c in cells]
                if any(values):
                    yield line, values
    return headers, rows()


def _read_xlsx(path: Path):
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    stream = sheet.iter_rows(values_only=True)
    headers = [unguard(str(h).strip()) if h is not None else "" for h in next(stream, ())]

    def rows():
        try:
            for line, cells in enumerate(stream, start=2):
                values = [_text(c) for c in cells]
                if any(values):
                    yield line, values
        finally:
            book.close()
    return headers, rows()


def estimate_rows(path: Path) -> int:
    """About how many data rows a file has (for a progress bar), without parsing it."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        rows = (book.worksheets[0].max_row or 1) - 1
        book.close()
        return max(rows, 1)
    with path.open("rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return max(lines - 1, 1)


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
