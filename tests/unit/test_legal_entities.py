import pytest

from models.choices import DEFAULT_LEGAL_ENTITY_NAME
from services.errors import NotFoundError, ValidationError
from services.legal_entities import (
    create_legal_entity,
    list_legal_entities,
    rename_legal_entity,
)
from tests.unit.factories import ACTOR

pytestmark = pytest.mark.usefixtures("database")


def test_default_legal_entity_exists_after_migration():
    assert [e.name for e in list_legal_entities()] == [DEFAULT_LEGAL_ENTITY_NAME]


def test_create_and_rename():
    entity = create_legal_entity("  Acme Ltd ", actor=ACTOR)
    assert entity.name == "Acme Ltd"
    rename_legal_entity(entity.id, "Acme Limited", actor=ACTOR)
    assert "Acme Limited" in [e.name for e in list_legal_entities()]


def test_name_is_required_and_unique_ignoring_case():
    create_legal_entity("Acme Ltd", actor=ACTOR)
    with pytest.raises(ValidationError) as caught:
        create_legal_entity("acme ltd", actor=ACTOR)
    assert "already exists" in caught.value.errors["name"]
    with pytest.raises(ValidationError) as caught:
        create_legal_entity(" ", actor=ACTOR)
    assert "Legal Entity Name is required" in caught.value.errors["name"]


def test_rename_to_a_taken_name_is_refused():
    first = create_legal_entity("One", actor=ACTOR)
    create_legal_entity("Two", actor=ACTOR)
    with pytest.raises(ValidationError):
        rename_legal_entity(first.id, "TWO", actor=ACTOR)


def test_rename_missing_entity():
    with pytest.raises(NotFoundError):
        rename_legal_entity(999, "Ghost", actor=ACTOR)
