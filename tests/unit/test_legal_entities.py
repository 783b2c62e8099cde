import pytest
from sqlmodel import select

from models.audit import AuditEvent
from models.choices import DEFAULT_LEGAL_ENTITY_NAME
from services.customers import archive_customer
from services.db import read_session
from services.entity_defaults import default_entity_for
from services.errors import ConflictError, NotFoundError, ValidationError
from services.legal_entities import (
    create_legal_entity,
    delete_legal_entity,
    entities_in_use,
    get_legal_entity,
    list_legal_entities,
    rename_legal_entity,
    update_legal_entity,
)
from tests.unit.factories import ACTOR, EDITOR_ACTOR, make_customer

pytestmark = pytest.mark.usefixtures("database")


def audit_events() -> list[AuditEvent]:
    """The legal entities' audit events, oldest first."""
    with read_session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.entity == "legal_entity")
                                 .order_by(AuditEvent.id)))


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


GMBH = {"name": "Acme GmbH", "country": "DE", "address_line1": "Friedrichstraße 1",
        "city": "Berlin", "state": "Berlin", "postal_code": "10117",
        "tax_id": "de 136 695 976", "timezone": "Europe/Berlin"}


def test_an_entity_keeps_its_details_cleaned_for_its_country():
    entity = create_legal_entity(GMBH, actor=ACTOR)
    assert (entity.country, entity.state, entity.tax_id) == ("DE", "DE-BE", "DE136695976")
    assert entity.default_currency == "EUR"  # the country's, when none is given
    assert entity.timezone == "Europe/Berlin"
    assert entity.version == 1
    assert get_legal_entity(entity.id).city == "Berlin"


def test_each_refused_detail_is_named_and_nothing_is_written():
    with pytest.raises(ValidationError) as caught:
        create_legal_entity({**GMBH, "tax_id": "DE123", "default_currency": "EURO",
                             "city": None}, actor=ACTOR)
    errors = caught.value.errors
    assert "not a valid tax ID for Germany" in errors["tax_id"]
    assert "ISO 4217" in errors["default_currency"]
    assert "City is required when an address is given" in errors["city"]
    assert [e.name for e in list_legal_entities()] == [DEFAULT_LEGAL_ENTITY_NAME]


def test_an_empty_timezone_is_the_countrys_where_it_keeps_one_clock():
    german = create_legal_entity({"name": "Acme GmbH", "country": "DE"}, actor=ACTOR)
    american = create_legal_entity({"name": "Acme Inc.", "country": "US"}, actor=ACTOR)
    assert (german.timezone, american.timezone) == ("Europe/Berlin", None)
    with pytest.raises(ValidationError) as caught:
        create_legal_entity({"name": "Acme Mars", "timezone": "Mars/Olympus"}, actor=ACTOR)
    assert "timezone" in caught.value.errors


def test_an_unknown_field_is_refused():
    with pytest.raises(ValidationError) as caught:
        create_legal_entity({"name": "X Ltd", "vat": "1"}, actor=ACTOR)
    assert "vat" in caught.value.errors


def test_an_edit_carries_the_version_it_read_and_is_audited():
    entity = create_legal_entity(GMBH, actor=ACTOR)
    edited = update_legal_entity(entity.id, {"city": "München", "state": "BY"},
                                 version=entity.version, actor=ACTOR)
    assert (edited.city, edited.state, edited.version) == ("München", "DE-BY", 2)
    with pytest.raises(ConflictError):  # a second admin, who read version 1
        update_legal_entity(entity.id, {"city": "Köln"}, version=1, actor=ACTOR)
    assert get_legal_entity(entity.id).city == "München"
    changes = [e.changes for e in audit_events() if e.action == "legal_entity.updated"]
    assert changes == [{"city": ["Berlin", "München"], "state": ["DE-BE", "DE-BY"]}]


def test_a_country_change_checks_the_tax_id_again():
    entity = create_legal_entity(GMBH, actor=ACTOR)
    with pytest.raises(ValidationError) as caught:
        update_legal_entity(entity.id, {"country": "FR", "state": None}, version=1,
                            actor=ACTOR)
    assert "not a VAT number of France" in caught.value.errors["tax_id"]


def test_editing_is_for_admins():
    entity = create_legal_entity(GMBH, actor=ACTOR)
    with pytest.raises(PermissionError):
        update_legal_entity(entity.id, {"city": "Bonn"}, version=1, actor=EDITOR_ACTOR)
    with pytest.raises(PermissionError):
        delete_legal_entity(entity.id, version=1, actor=EDITOR_ACTOR)


def test_an_entity_in_use_is_never_deleted_and_an_unused_one_is():
    used = create_legal_entity(GMBH, actor=ACTOR)
    spare = create_legal_entity("Spare Ltd", actor=ACTOR)
    customer = make_customer(legal_entity_id=used.id)
    archive_customer(customer.id, actor=ACTOR)  # an archived customer may come back
    assert entities_in_use() == {used.id}
    with pytest.raises(ConflictError) as caught:
        delete_legal_entity(used.id, version=used.version, actor=ACTOR)
    assert "Acme GmbH bills customers" in str(caught.value)
    with pytest.raises(ConflictError):  # someone edited it since
        delete_legal_entity(spare.id, version=spare.version + 1, actor=ACTOR)
    delete_legal_entity(spare.id, version=spare.version, actor=ACTOR)
    assert {e.name for e in list_legal_entities()} == {DEFAULT_LEGAL_ENTITY_NAME, "Acme GmbH"}
    assert [e.changes["name"] for e in audit_events()
            if e.action == "legal_entity.deleted"] == [["Spare Ltd", None]]


def test_the_last_entity_stays():
    (only,) = list_legal_entities()
    with pytest.raises(ConflictError) as caught:
        delete_legal_entity(only.id, version=only.version, actor=ACTOR)
    assert "only legal entity" in str(caught.value)


def test_a_new_customer_takes_the_one_entity_of_its_country():
    default = list_legal_entities()[0]
    gmbh = create_legal_entity(GMBH, actor=ACTOR)
    create_legal_entity({"name": "Acme Inc.", "country": "US"}, actor=ACTOR)
    assert make_customer(country="DE").legal_entity_id == gmbh.id
    assert default_entity_for("DE") == gmbh.id
    french = make_customer(country="FR", currency="EUR", state=None, external_ids=["fr-1"],
                           primary_contact_email="b@fr.example")
    assert french.legal_entity_id == default.id  # no entity of its country
    assert default_entity_for(None) == default.id


def test_a_chosen_entity_wins_and_two_of_a_country_mean_the_default():
    default = list_legal_entities()[0]
    gmbh = create_legal_entity(GMBH, actor=ACTOR)
    inc = create_legal_entity({"name": "Acme Inc.", "country": "US"}, actor=ACTOR)
    assert make_customer(legal_entity_id=inc.id).legal_entity_id == inc.id
    create_legal_entity({"name": "Acme Deutschland AG", "country": "DE"}, actor=ACTOR)
    assert default_entity_for("DE") == default.id
    assert make_customer(external_ids=["de-2"], primary_contact_email="b@de.example"
                         ).legal_entity_id == default.id
    assert gmbh.id != default.id
