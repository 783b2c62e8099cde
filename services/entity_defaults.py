"""Which legal entity a new customer is billed under when none is asked for: the entity of
the customer's country when exactly one entity has that country, else the default entity.

The one place this rule lives: the form's pre-selection, the API's create and the import
all read it from here (the import once per run, for its worker processes)."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlmodel import Session, select

from models.choices import DEFAULT_LEGAL_ENTITY_NAME
from models.legal_entity import LegalEntity
from services.db import read_session


@dataclass(frozen=True)
class EntityDefaults:
    """The default entity, the countries that have exactly one entity with theirs, and each
    entity's own country (the reverse-charge rule compares it with the customer's)."""

    fallback: int | None
    by_country: Mapping[str, int]
    countries: Mapping[int, str | None] = field(default_factory=dict)

    def for_country(self, country: str | None) -> int | None:
        return self.by_country.get(country or "", self.fallback)

    def country_of(self, entity_id: int | None) -> str | None:
        return self.countries.get(entity_id) if entity_id is not None else None


def entity_defaults(session: Session) -> EntityDefaults:
    """Read from the entities as they are (a handful of rows). The default entity is the
    one the first migration made, by its name, else the oldest."""
    rows = session.exec(select(LegalEntity.id, LegalEntity.name, LegalEntity.country)
                        .order_by(LegalEntity.id)).all()
    fallback = next((i for i, name, _ in rows if name == DEFAULT_LEGAL_ENTITY_NAME),
                    rows[0][0] if rows else None)
    counts = Counter(country for _, _, country in rows if country)
    return EntityDefaults(fallback, {country: i for i, _, country in rows
                                     if country and counts[country] == 1},
                          {i: country for i, _, country in rows})


def default_entity_for(country: str | None) -> int | None:
    """The entity a new customer of `country` takes when none is chosen (None: no entity)."""
    with read_session() as session:
        return entity_defaults(session).for_country(country)
