"""Legal entities: the platform's entities under which customers are billed, each with its
legal name, country, address, Tax ID, default currency and timezone. Admins add, edit and
delete them; an entity that bills a customer is never deleted."""

from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.customer import Customer
from models.fields import FieldSpec, specs_of
from models.legal_entity import LegalEntity
from models.types import utcnow
from services import access, audit, field_rules, reference
from services.access import Actor
from services.cleaners import FieldError, clean_value, reject_unknown
from services.db import read_session, write_session
from services.errors import ConflictError, NotFoundError, ValidationError
from services.identifiers import name_key

CHANGED = ("This legal entity was changed by someone else since you opened it. Reload to "
           "see their changes; nothing was saved.")


@cache
def entity_fields() -> tuple[FieldSpec, ...]:
    return tuple(specs_of(LegalEntity))


def list_legal_entities() -> list[LegalEntity]:
    with read_session() as session:
        return list(session.exec(select(LegalEntity).order_by(LegalEntity.name)))


def get_legal_entity(entity_id: int) -> LegalEntity:
    with read_session() as session:
        return _load(session, entity_id, None)


def entities_in_use() -> set[int]:
    """The entities some customer (archived ones too) is billed under: one indexed look-up
    per entity, of which there are a handful, rather than a count over every customer."""
    with read_session() as session:
        ids = session.exec(select(LegalEntity.id)).all()
        return {i for i in ids if _in_use(session, i)}


def _in_use(session: Session, entity_id: int) -> bool:
    query = select(Customer.id).where(Customer.legal_entity_id == entity_id).limit(1)
    return session.exec(query).first() is not None


def entity_values(entity: LegalEntity) -> dict[str, Any]:
    return {s.key: getattr(entity, s.attr) for s in entity_fields()}


def prepare_entity(before: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The entity's values after `values` are applied, every rule checked: each value by its
    kind, an address with its first line and city, State one of the country's subdivisions,
    the Tax ID valid for the country (as a customer's, services.field_rules), and an empty
    currency or timezone the country's (a timezone only where the country keeps one clock).
    Raises one ValidationError naming each refused field."""
    specs = entity_fields()
    reject_unknown(values, [s.key for s in specs], "a legal entity")
    errors: dict[str, str] = {}
    merged = dict(before)
    for spec in specs:
        if spec.key in values:
            try:
                merged[spec.key] = clean_value(spec, values[spec.key])
            except FieldError as exc:
                errors[spec.key] = str(exc)
    labels = {s.key: s.label for s in specs}
    # The rules across fields speak only of the fields their own kinds accepted.
    errors.update({k: m for k, m in field_rules.address_errors(merged, labels).items()
                   if k not in errors})
    normalise = {"state": field_rules.normalise_state, "tax_id": field_rules.normalise_tax_id}
    for key, rule in normalise.items():
        if key not in errors and "country" not in errors:
            try:
                merged[key] = rule(merged.get("country"), merged.get(key), labels[key])
            except FieldError as exc:
                errors[key] = str(exc)
    if errors:
        raise ValidationError(errors)
    if merged.get("default_currency") is None:
        merged["default_currency"] = reference.default_currency(merged.get("country"))
    if merged.get("timezone") is None:
        merged["timezone"] = reference.default_timezone(merged.get("country"))
    return merged


def _check_free(session: Session, name: str, own_id: int | None) -> None:
    """Names that differ only in case, width or spacing are one name (on both databases:
    the key is computed here, not by the database's lower())."""
    query = select(LegalEntity.id).where(LegalEntity.name_key == name_key(name))
    if own_id is not None:
        query = query.where(LegalEntity.id != own_id)
    if session.exec(query).first() is not None:
        raise _taken(name)


def _taken(name: str) -> ValidationError:
    return ValidationError.single("name", f'A legal entity named "{name}" already exists.')


def _load(session: Session, entity_id: int, version: int | None, *,
          for_update: bool = False) -> LegalEntity:
    entity = session.get(LegalEntity, entity_id, with_for_update=for_update)
    if entity is None:
        raise NotFoundError(f"Legal entity #{entity_id} does not exist.")
    if version is not None and entity.version != version:
        raise ConflictError(CHANGED)
    return entity


def create_legal_entity(values: Mapping[str, Any] | str, *, actor: Actor) -> LegalEntity:
    """A new entity from its fields by key (a name alone stands for {"name": name})."""
    actor = access.require(actor, access.ADMIN)
    values = {"name": values} if isinstance(values, str) else values
    blank = {s.key: None for s in entity_fields()}
    cleaned = prepare_entity(blank, {**blank, **values})
    try:
        with write_session() as session:
            _check_free(session, cleaned["name"], None)
            entity = LegalEntity(**cleaned, name_key=name_key(cleaned["name"]))
            session.add(entity)
            session.flush()
            audit.record(session, actor=actor, action="legal_entity.created",
                         entity="legal_entity", entity_id=entity.id, customer_id=None,
                         changes=audit.diff({}, {k: v for k, v in cleaned.items()
                                                 if v is not None}))
    except IntegrityError as exc:
        raise _taken(cleaned["name"]) from exc
    return entity


def update_legal_entity(entity_id: int, values: Mapping[str, Any], *, version: int | None,
                        actor: Actor) -> LegalEntity:
    """Change any of the entity's fields; refused with a ConflictError when `version` is not
    the one stored (someone saved it since it was read)."""
    actor = access.require(actor, access.ADMIN)
    try:
        with write_session() as session:
            entity = _load(session, entity_id, version, for_update=True)
            before = entity_values(entity)
            merged = prepare_entity(before, values)
            _check_free(session, merged["name"], entity_id)
            changes = audit.diff(before, merged)
            if changes:
                for key, value in merged.items():
                    setattr(entity, key, value)
                entity.name_key = name_key(merged["name"])
                entity.updated_at = utcnow()
                session.flush()
                audit.record(session, actor=actor, action="legal_entity.updated",
                             entity="legal_entity", entity_id=entity_id, customer_id=None,
                             changes=changes)
    except IntegrityError as exc:
        raise _taken(values.get("name", "")) from exc
    return entity


def rename_legal_entity(entity_id: int, name: str, *, actor: Actor,
                        version: int | None = None) -> LegalEntity:
    return update_legal_entity(entity_id, {"name": name}, version=version, actor=actor)


def in_use_message(name: str) -> str:
    return (f"{name} bills customers, so it cannot be deleted. Move them to another legal "
            "entity first (Customers, bulk action Set Legal Entity).")


def delete_legal_entity(entity_id: int, *, version: int | None, actor: Actor) -> None:
    """Delete an entity no customer is billed under (archived customers count: they may be
    restored). The last entity stays, since every customer needs one."""
    actor = access.require(actor, access.ADMIN)
    try:
        with write_session() as session:
            entity = _load(session, entity_id, version, for_update=True)
            if _in_use(session, entity_id):
                raise ConflictError(in_use_message(entity.name))
            if len(session.exec(select(LegalEntity.id).limit(2)).all()) < 2:
                raise ConflictError(f"{entity.name} is the only legal entity; every customer "
                                    "needs one, so it cannot be deleted.")
            before = entity_values(entity)
            audit.record(session, actor=actor, action="legal_entity.deleted",
                         entity="legal_entity", entity_id=entity_id, customer_id=None,
                         changes=audit.diff(before, dict.fromkeys(before)))
            session.delete(entity)
    except IntegrityError as exc:  # a customer took it while it was being deleted
        raise ConflictError(in_use_message(entity.name)) from exc
