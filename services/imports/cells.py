"""From a file row's cells to field values, and back from a field to the file's column.

The mapping (source column -> field key) is applied; External IDs are split on commas
and cleaned; what one column folds (a multi-line street) is shaped (shaping.py); a Legal
Entity, named in the file by its name (or number), becomes its id.
A row's errors, keyed by field, are reported under the file's own column names.
"""

from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from models.catalogue import EXTERNAL_IDS
from models.choices import SYSTEM_LABELS
from models.legal_entity import LegalEntity
from services import card_numbers, rules, settings
from services.builtin_columns import PARENT_EXTERNAL_ID
from services.cleaners import strip_control
from services.connected_accounts import target_system
from services.custom_fields import custom_specs
from services.entity_defaults import entity_defaults
from services.errors import ValidationError
from services.identifiers import name_key
from services.import_mapping import IGNORE
from services.import_payment_methods import METHOD, take_method
from services.imports.report import RowResult
from services.imports.shaping import shape

# A row's External IDs -> the system each comes from: a column mapped to
# "external_ids:stripe" holds Stripe's, plain "external_ids" other's (connected accounts).
SYSTEMS = "_external_id_systems"


class Context:
    """What every row of one import needs to know, read once."""

    def __init__(self, session: Session, headers: list[str], mapping: dict[str, str]):
        # (cell index, field key, the system of the External IDs it holds or None), the
        # ignored columns left out: worked out once, not for each cell of each row.
        self.columns = [(i, key, target_system(key)) for i, h in enumerate(headers)
                        if (key := mapping.get(h, IGNORE)) != IGNORE]
        self.source = {}
        for header in headers:
            self.source.setdefault(mapping.get(header, IGNORE), header)
            if target_system(mapping.get(header, IGNORE)):  # one system's IDs: its errors
                self.source.setdefault(EXTERNAL_IDS, header)
        self.entities = {k: i for i, k in session.execute(
            select(LegalEntity.id, LegalEntity.name_key)).all()}
        self.entity_defaults = entity_defaults(session)
        self.tax_locked = settings.tax_managed_by_integration()
        self.custom = custom_specs()

    def column_of(self, key: str) -> str:
        base = key.split("[")[0]
        return self.source.get(key) or self.source.get(base) or key


def field_values(ctx: Context, cells: list[str | None]) -> dict[str, Any]:
    """The row's values by field key, its payment method cleaned (services.
    import_payment_methods); raises ValidationError for an unknown Legal Entity, invalid
    External IDs or an invalid payment method."""
    values: dict[str, Any] = {}
    systems: dict[str, str] = {}  # each External ID's system, by the column that gave it
    for index, key, system in ctx.columns:
        cell = cells[index] if index < len(cells) else None
        if system is not None:
            parts = [part.strip() for part in (cell or "").split(",") if part.strip()]
            values.setdefault(EXTERNAL_IDS, []).extend(parts)
            systems.update((part, system) for part in parts if part not in systems)
        elif cell is not None and (key not in values or str(cell).strip()):
            values[key] = cell  # a blank cell never hides what an earlier column gave
    shape(values, ctx.source)
    entity = values.get("legal_entity_id")
    if entity is not None:
        text = str(entity).strip()
        found = ctx.entities.get(name_key(text))
        if found is None and text.isdigit() and int(text) in ctx.entities.values():
            found = int(text)  # the entity's number, as our own export may carry it
        if found is None:
            raise ValidationError.single("legal_entity_id",
                                         f'Legal Entity "{entity}" does not exist.')
        values["legal_entity_id"] = found
    take_method(values)
    _parent_external_id(values)
    if EXTERNAL_IDS in values:
        # Cleaned here, once: routing looks them up in the database (a NUL must never get
        # there) and a row whose IDs are invalid is refused before it is routed.
        method = values.get(METHOD) or {}
        if method.get("provider") in SYSTEM_LABELS:  # Stripe's cus_ is a Stripe account
            systems.setdefault(method["provider_customer_id"], method["provider"])
        cleaned = rules.clean_external_ids([(v, systems.get(v)) for v in values[EXTERNAL_IDS]])
        values[EXTERNAL_IDS] = list(cleaned)
        values[SYSTEMS] = cleaned
    return values


def _parent_external_id(values: dict[str, Any]) -> None:
    """The parent's External ID as the aliases hold it; a blank cell leaves the parent be."""
    if PARENT_EXTERNAL_ID not in values:
        return
    text = strip_control(str(values.pop(PARENT_EXTERNAL_ID) or "")).strip()
    if text:
        values[PARENT_EXTERNAL_ID] = text


def invalid(ctx: Context, line: int, cells: list[str | None], exc: ValidationError
            ) -> RowResult:
    """The refused row, each error under the file's column that holds the field. Its cells
    are repeated in the preview and the invalid-rows file with card numbers masked: no
    file the product writes holds one."""
    errors = {ctx.column_of(key): message for key, message in exc.errors.items()}
    shown = [card_numbers.mask(c) if isinstance(c, str) else c for c in cells]
    return RowResult(line, "invalid", shown, errors)
