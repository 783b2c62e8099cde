"""Legal entities: the platform's entities under which customers are billed."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.fields import specs_of
from models.legal_entity import LegalEntity
from models.types import utcnow
from services import access, audit
from services.access import Actor
from services.cleaners import clean
from services.db import read_session, write_session
from services.errors import NotFoundError, ValidationError
from services.identifiers import name_key


def list_legal_entities() -> list[LegalEntity]:
    with read_session() as session:
        return list(session.exec(select(LegalEntity).order_by(LegalEntity.name)))


def _clean_name(name: object) -> str:
    return clean(specs_of(LegalEntity), {"name": name})["name"]


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


def create_legal_entity(name: str, *, actor: Actor) -> LegalEntity:
    actor = access.require(actor, access.ADMIN)
    value = _clean_name(name)
    try:
        with write_session() as session:
            _check_free(session, value, None)
            entity = LegalEntity(name=value, name_key=name_key(value))
            session.add(entity)
            session.flush()
            audit.record(session, actor=actor, action="legal_entity.created",
                         entity="legal_entity", entity_id=entity.id, customer_id=None,
                         changes={"name": [None, value]})
    except IntegrityError as exc:
        raise _taken(value) from exc
    return entity


def rename_legal_entity(entity_id: int, name: str, *, actor: Actor) -> LegalEntity:
    actor = access.require(actor, access.ADMIN)
    value = _clean_name(name)
    try:
        with write_session() as session:
            entity = session.get(LegalEntity, entity_id)
            if entity is None:
                raise NotFoundError(f"Legal entity #{entity_id} does not exist.")
            _check_free(session, value, entity_id)
            if entity.name != value:
                audit.record(session, actor=actor, action="legal_entity.renamed",
                             entity="legal_entity", entity_id=entity_id, customer_id=None,
                             changes={"name": [entity.name, value]})
                entity.name = value
                entity.name_key = name_key(value)
                entity.updated_at = utcnow()
    except IntegrityError as exc:
        raise _taken(value) from exc
    return entity
