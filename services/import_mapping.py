"""Which column of an imported file fills which field: the presets and the template.
(Reading a file is services.upload_reading.)

Targets are the catalogue's keys (customer fields, the primary contact's fields and
External IDs); a column mapped to IGNORE is skipped.

A preset is one TOML file in services/import_presets/, its key the file's name: `name`
(what the Import page shows), a `[columns]` table (source column = field key) and, with
`match_labels = true`, each column also fills the field whose label it carries, as the
Customer Desk template's columns do. Its record ID column maps to "external_ids:<system>"
(models.choices.SourceSystem), which says the system its record IDs come from, and
`detect` lists the columns whose presence says a file is that system's export (`detect`).
"""

import csv
import io
import tomllib
from dataclasses import dataclass
from pathlib import Path

from models.catalogue import (
    EXTERNAL_IDS,
    alias_field,
    primary_contact_fields,
    typed_customer_fields,
)
from models.kinds import KINDS, Kind
from services import connected_accounts
from services import import_payment_methods as payment_methods
from services.builtin_columns import PARENT_EXTERNAL_ID, PARENT_EXTERNAL_ID_LABEL
from services.custom_fields import custom_specs
from services.customer_columns import book_columns
from services.formula_guard import guarded

IGNORE = ""
CUSTOMER_DESK = "customer_desk"
STRIPE = "stripe"
PRESETS_FOLDER = Path(__file__).with_name("import_presets")


def targets() -> dict[str, str]:
    """Field key -> label, for the mapping step's choices: the customer's fields people set
    (External IDs also as one system's, "external_ids:stripe"; its parent by External ID,
    as other systems know it, not by our ID), then a payment method's (one per row,
    services.imports.payment_methods)."""
    specs = (*typed_customer_fields(), *primary_contact_fields(), alias_field(),
             *custom_specs())
    fields: dict[str, str] = {}
    for spec in specs:
        if spec.kind != Kind.CUSTOMER:
            fields[spec.key] = spec.label
        if spec.key == EXTERNAL_IDS:  # then one system's record IDs (connected accounts)
            fields.update(connected_accounts.targets())
    return {**fields, PARENT_EXTERNAL_ID: PARENT_EXTERNAL_ID_LABEL, **payment_methods.targets()}


def template_headers() -> list[str]:
    """The Customer Desk template: the export's columns, minus those the system keeps (and
    the default payment method's one-line summary), then a payment method's columns."""
    return [PARENT_EXTERNAL_ID_LABEL if c.kind == Kind.CUSTOMER else c.label
            for c in book_columns().values() if KINDS[c.kind].typed] + list(
        payment_methods.targets().values())


def _by_label() -> dict[str, str]:
    """Field label, case-folded -> field key: the export's column titles and the labels
    the mapping step offers."""
    fields = targets()
    table = {c.label.casefold(): c.key for c in book_columns().values()
             if c.key in fields or c.key == EXTERNAL_IDS}
    table.update({label.casefold(): key for key, label in fields.items()})
    return table


@dataclass(frozen=True)
class Preset:
    """One preset file: the name the Import page shows and the columns it maps."""

    name: str
    columns: dict[str, str]  # source column, stripped and case-folded -> field key
    match_labels: bool = False
    detect: tuple[str, ...] = ()  # columns (case-folded) every export of it has

    @property
    def system(self) -> str | None:
        """The source system of its record IDs: the one its "external_ids:<system>" column
        names (models.choices.SourceSystem); None for a preset without one."""
        systems = (connected_accounts.target_system(key) for key in self.columns.values())
        return next((s for s in systems if s not in (None, connected_accounts.OTHER)), None)

    def suggest(self, headers: list[str]) -> dict[str, str]:
        """Source column -> field key, as this preset maps it (unknown columns ignored)."""
        table = _by_label() if self.match_labels else {}
        table.update(self.columns)
        return {h: table.get(h.strip().casefold(), IGNORE) for h in headers}


def load_presets(folder: Path = PRESETS_FOLDER) -> dict[str, Preset]:
    """Every preset file in `folder`, by key: the Customer Desk template first, as the
    default, then the others by name."""
    presets = {}
    for path in folder.glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        columns = {column.strip().casefold(): key
                   for column, key in data.get("columns", {}).items()}
        presets[path.stem] = Preset(data["name"], columns, data.get("match_labels", False),
                                    tuple(_folded(c) for c in data.get("detect", ())))
    return dict(sorted(presets.items(),
                       key=lambda item: (item[0] != CUSTOMER_DESK, item[1].name.casefold())))


def _folded(header: str) -> str:
    return header.strip().casefold()


_PRESETS = load_presets()
PRESETS = {key: preset.name for key, preset in _PRESETS.items()}  # key -> display name


def suggest(headers: list[str], preset: str) -> dict[str, str]:
    """Source column -> field key, as the preset would map it (unknown columns ignored);
    an unknown preset maps as the template does."""
    return _PRESETS.get(preset, _PRESETS[CUSTOMER_DESK]).suggest(headers)


@dataclass(frozen=True)
class Detection:
    """The preset a file's headers point to, and why, in words the Import page shows."""

    preset: str
    reason: str


def detect(headers: list[str]) -> Detection:
    """The preset whose `detect` columns the file has, all of them; of several, the one
    that maps most of the file's columns. Otherwise the Customer Desk template, which maps
    by our own labels."""
    present = {_folded(h): h for h in headers}
    best, best_score = None, 0
    for key, preset in _PRESETS.items():
        if not preset.detect or not all(c in present for c in preset.detect):
            continue
        score = sum(1 for h in present if h in preset.columns)
        if score > best_score:
            best, best_score = key, score
    if best is not None:
        preset = _PRESETS[best]
        named = ", ".join(f'"{present[c]}"' for c in preset.detect)
        return Detection(best, f"{preset.name}: the file has its columns {named}, and "
                               f"{best_score:,} of the file's {len(headers):,} columns "
                               "are ones it maps.")
    ours = sum(1 for key in suggest(headers, CUSTOMER_DESK).values() if key != IGNORE)
    if ours:
        return Detection(CUSTOMER_DESK, f"{PRESETS[CUSTOMER_DESK]}: {ours:,} of the file's "
                                        f"{len(headers):,} columns carry our field labels.")
    return Detection(CUSTOMER_DESK, "No preset recognises the file's columns: map them "
                                    "below.")


def template_csv() -> bytes:
    """The Customer Desk template as a CSV with its header and one example row."""
    out = io.StringIO()
    writer = csv.writer(out)
    headers = template_headers()
    writer.writerow(guarded(headers))  # custom field labels are anyone's text
    example = {"Customer Name": "Acme Analytics GmbH", "Billing Currency": "EUR",
               "Primary Contact Email": "billing@acme.example", "Country": "DE",
               "Payment Terms": "30", "Tax Rate": "19", "External IDs": "crm-001",
               "Payment method: Provider": "stripe",
               "Payment method: Provider customer ID": "cus_NffrFeUfNV2Hib",
               "Payment method: Method reference": "pm_1MqLiJLkdIwHu7ixUEgbFdYF",
               "Payment method: Type": "card", "Payment method: Brand": "Visa",
               "Payment method: Last 4 digits": "4242", "Payment method: Expiry month": "8",
               "Payment method: Expiry year": "2027"}
    writer.writerow(guarded(example.get(h, "") for h in headers))
    return out.getvalue().encode("utf-8-sig")
