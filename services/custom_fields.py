"""Custom fields: customer fields made in Settings (admins), with no code and no release.

A definition becomes a FieldSpec like any built-in field (key cf_<key>), so the forms,
profile sections, grid, filters, exports, import mapping, API and audit log treat it the
same way. Values live in customer.custom_fields under the field's key, as JSON: text,
numbers, true/false, lists of options, and dates and decimals as ISO text (exact).
A retired field is hidden everywhere but its values stay, and come back on restore.
"""

import time
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import sections as S
from models.catalogue import alias_field, section_fields
from models.custom_field import CUSTOM_PREFIX, SECTION_CHOICES, CustomField, section_of
from models.fields import FieldSpec, specs_of
from models.kinds import CUSTOM, KINDS, WITH_OPTIONS, Kind
from models.types import utcnow
from services import access, audit
from services.access import Actor
from services.builtin_columns import builtin_columns
from services.card_numbers import MESSAGE as CARD_MESSAGE
from services.card_numbers import holds_card_number
from services.cleaners import clean
from services.db import get_engine, read_session, write_session
from services.errors import NotFoundError, ValidationError
from services.identifiers import name_key

MAX_OPTIONS = 100
SPECS_SECONDS = 2.0
_specs_cache: tuple[Any, float, tuple[FieldSpec, ...]] | None = None


def spec_of(definition: CustomField) -> FieldSpec:
    kind = Kind(definition.kind)
    return FieldSpec(
        key=CUSTOM_PREFIX + definition.key, label=definition.label, kind=kind,
        section=section_of(definition.section), help=definition.help or "",
        model="CustomField", attr=definition.key, form_section=S.ADDITIONAL_FIELDS,
        form_order=definition.position,
        required=definition.required, grid=definition.grid_default,
        grid_order=1000 + definition.position, max_length=KINDS[kind].max_length,
        options=tuple(definition.options or ()))


def definitions(*, retired: bool = False) -> list[CustomField]:
    """The active fields in their order (with `retired`, only the retired ones)."""
    with read_session() as session:
        query = select(CustomField).order_by(CustomField.position, CustomField.id)
        query = query.where(CustomField.retired_at.is_not(None) if retired
                            else CustomField.retired_at.is_(None))
        return list(session.exec(query))


def labels() -> dict[str, str]:
    """cf_<key> -> label of every field, retired ones too (the audit log names them)."""
    with read_session() as session:
        return {CUSTOM_PREFIX + key: label
                for key, label in session.exec(select(CustomField.key, CustomField.label))}


def custom_specs() -> tuple[FieldSpec, ...]:
    """The active fields as specs. A grid page asks several times; the answer is kept for
    SPECS_SECONDS (per database), and dropped at once when this process changes a field,
    so another process (the API, another app replica) sees a change within that time."""
    global _specs_cache
    engine, now = get_engine(), time.monotonic()
    if _specs_cache and _specs_cache[0] is engine and now - _specs_cache[1] < SPECS_SECONDS:
        return _specs_cache[2]
    specs = tuple(spec_of(d) for d in definitions())
    _specs_cache = (engine, now, specs)
    return specs


def shown_specs(section: S.Section) -> tuple[FieldSpec, ...]:
    """A profile section's fields as its read view shows them: its built-in ones, those the
    system keeps included, then the custom fields shown in it."""
    return (*section_fields(section), *(s for s in custom_specs() if s.section == section))


def section_specs(section: S.Section) -> tuple[FieldSpec, ...]:
    """The fields a profile section edits: those it shows that people set."""
    return tuple(s for s in shown_specs(section) if s.typed)


def _forget_specs() -> None:
    global _specs_cache
    _specs_cache = None


def is_custom(key: str) -> bool:
    return key.startswith(CUSTOM_PREFIX)


def decode(spec: FieldSpec, stored: Any) -> Any:
    if stored is None:
        return None
    if spec.kind == "date":
        return date.fromisoformat(stored)
    if spec.kind == "decimal":
        return Decimal(stored)
    return stored


def stored_values(customer_custom: Mapping[str, Any] | None, specs: Iterable[FieldSpec]
                  ) -> dict[str, Any]:
    """The customer's values of these fields, keyed cf_<key>, as Python values."""
    stored = customer_custom or {}
    return {s.key: decode(s, stored.get(s.attr)) for s in specs if is_custom(s.key)}


def merged_json(existing: Mapping[str, Any] | None, values: Mapping[str, Any],
                specs: Iterable[FieldSpec]) -> dict[str, Any]:
    """customer.custom_fields after `values` (cf_ keys) are applied: values of fields not
    among `specs` (retired ones) are kept as they are."""
    result = dict(existing or {})
    for spec in specs:
        if not is_custom(spec.key) or spec.key not in values:
            continue
        value = values[spec.key]
        if value is None:
            result.pop(spec.attr, None)
        else:
            result[spec.attr] = audit.to_json(value)  # dates and decimals as exact text
    return result


def _definition_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    try:
        cleaned = clean(specs_of(CustomField), {k: v for k, v in values.items()
                                               if k in ("key", "label", "help")})
    except ValidationError as exc:
        cleaned, errors = {}, dict(exc.errors)
    kind = values.get("kind")
    if kind not in CUSTOM:
        errors["kind"] = f"Type must be one of: {', '.join(CUSTOM.values())}."
    section = values.get("section", SECTION_CHOICES[0])
    if section_of(section) is None:
        errors["section"] = f"Section must be one of: {', '.join(SECTION_CHOICES)}."
    options = _clean_options(values.get("options"), errors)
    if kind in WITH_OPTIONS and not options:
        errors["options"] = "Options: a select field needs at least one option."
    if "label" in cleaned and name_key(cleaned["label"]) in _builtin_label_keys():
        errors["label"] = (f'Label: "{cleaned["label"]}" is the label of a built-in field; '
                           "imports and exports would not know which is meant.")
    if errors:
        raise ValidationError(errors)
    return {**cleaned, "kind": kind, "section": section,
            "options": options if kind in WITH_OPTIONS else [],
            "required": bool(values.get("required")),
            "grid_default": bool(values.get("grid_default"))}


@cache
def _builtin_label_keys() -> frozenset[str]:
    labels = [c.label for c in builtin_columns().values()] + [alias_field().label]
    return frozenset(map(name_key, labels))


def _check_label_free(session: Session, label: str, own_id: int | None) -> None:
    """Labels that differ only in case, width or spacing are one label: an import maps a
    column by its label, so two fields may not share one (a retired field keeps its)."""
    query = select(CustomField.id).where(CustomField.label_key == name_key(label))
    if own_id is not None:
        query = query.where(CustomField.id != own_id)
    if session.exec(query).first() is not None:
        raise ValidationError.single("label", f'Label: a custom field labelled "{label}" '
                                              "exists already (perhaps retired).")


def _clean_options(raw: Any, errors: dict[str, str]) -> list[str]:
    parts = raw if isinstance(raw, list | tuple) else str(raw or "").splitlines()
    options: list[str] = []
    for part in parts:
        text = str(part).strip()
        if not text:
            continue
        if len(text) > 100 or any(ord(c) < 32 for c in text) or "," in text:
            errors["options"] = (f'Options: "{text[:40]}" must be one line of at most 100 '
                                 "characters, without commas.")
        elif holds_card_number(text):
            errors["options"] = f"Options: {CARD_MESSAGE}"
        elif text.casefold() in (o.casefold() for o in options):
            errors["options"] = f'Options: "{text}" is listed twice.'
        else:
            options.append(text)
    if len(options) > MAX_OPTIONS:
        errors["options"] = f"Options: at most {MAX_OPTIONS}."
    return options


def add_custom_field(values: Mapping[str, Any], *, actor: Actor) -> CustomField:
    """A new field at the end of the list (key, label, type, options, required, help,
    section, grid column by default)."""
    by = access.require(actor, access.ADMIN)
    fields = _definition_fields(values)
    try:
        with write_session() as session:
            if session.exec(select(CustomField).where(CustomField.key == fields["key"])
                            ).first():
                raise _key_taken(fields["key"])
            _check_label_free(session, fields["label"], None)
            last = session.exec(select(func.max(CustomField.position))).one()
            definition = CustomField(**fields, label_key=name_key(fields["label"]),
                                     position=(last or 0) + 1)
            session.add(definition)
            session.flush()
            audit.record(session, actor=by, action="custom_field.added", entity="custom_field",
                         entity_id=definition.id, customer_id=None,
                         changes=audit.diff({}, {k: fields[k] for k in ("key", "label", "kind")}))
    except IntegrityError as exc:
        with read_session() as session:
            _check_label_free(session, fields["label"], None)
        raise _key_taken(fields["key"]) from exc
    _forget_specs()
    return definition


def _key_taken(key: str) -> ValidationError:
    return ValidationError.single("key", f"Key: a custom field with the key {key} exists "
                                         "already (perhaps retired: restore it instead).")


def update_custom_field(field_id: int, values: Mapping[str, Any], *, actor: Actor
                        ) -> CustomField:
    """Rename the label, change help, section, required or grid default, add options.
    The key and the type stay; an option in use is never removed."""
    by = access.require(actor, access.ADMIN)
    with write_session() as session:
        definition = _get(session, field_id)
        before = {"label": definition.label, "help": definition.help,
                  "section": definition.section, "required": definition.required,
                  "grid_default": definition.grid_default, "options": definition.options}
        fields = _definition_fields({**before, "key": definition.key,
                                     "kind": definition.kind, **values})
        missing = [o for o in before["options"] if o not in fields["options"]]
        if missing:
            raise ValidationError.single("options", "Options can be added, not removed: "
                                                    f"{', '.join(missing)} would be lost.")
        after = {k: fields[k] for k in before}
        _check_label_free(session, after["label"], field_id)
        for key, value in after.items():
            setattr(definition, key, value)
        definition.label_key = name_key(after["label"])
        changes = audit.diff(before, after)
        if changes:
            audit.record(session, actor=by, action="custom_field.changed",
                         entity="custom_field", entity_id=definition.id, customer_id=None,
                         changes=changes)
    _forget_specs()
    return definition


def move_custom_field(field_id: int, offset: int, *, actor: Actor) -> None:
    """Move a field up (offset -1) or down (+1) among the active fields."""
    by = access.require(actor, access.ADMIN)
    with write_session() as session:
        active = list(session.exec(select(CustomField).where(CustomField.retired_at.is_(None))
                                   .order_by(CustomField.position, CustomField.id)))
        index = next((i for i, d in enumerate(active) if d.id == field_id), None)
        if index is None:
            raise NotFoundError(f"Custom field #{field_id} does not exist or is retired.")
        target = min(max(index + offset, 0), len(active) - 1)
        active.insert(target, active.pop(index))
        for position, definition in enumerate(active, start=1):
            definition.position = position
        audit.record(session, actor=by, action="custom_field.moved", entity="custom_field",
                     entity_id=field_id, customer_id=None,
                     changes={"position": [index + 1, target + 1]})
    _forget_specs()


def set_retired(field_id: int, retired: bool, *, actor: Actor) -> CustomField:
    """Retire a field (hidden everywhere, values kept) or restore it."""
    by = access.require(actor, access.ADMIN)
    with write_session() as session:
        definition = _get(session, field_id)
        if (definition.retired_at is not None) != retired:
            definition.retired_at = utcnow() if retired else None
            audit.record(session, actor=by, entity="custom_field", entity_id=definition.id,
                         action="custom_field.retired" if retired else "custom_field.restored",
                         customer_id=None, changes={"retired": [not retired, retired]})
    _forget_specs()
    return definition


def _get(session, field_id: int) -> CustomField:
    definition = session.get(CustomField, field_id)
    if definition is None:
        raise NotFoundError(f"Custom field #{field_id} does not exist.")
    return definition
