"""Undoing a bulk action: exactly the customers it changed go back to their values before,
except those saved by someone else since, which keep their newer values and are counted."""

import pytest

from services.access import AccessDenied
from services.bulk import Undo, bulk_update, undo_bulk
from services.customers import archive_customer, get_customer, update_customer
from services.errors import ValidationError
from services.legal_entities import create_legal_entity
from tests.unit.factories import ACTOR, EDITOR_ACTOR, add_card, customer_history, make_customer

pytestmark = pytest.mark.usefixtures("database")


def as_listed(ids) -> dict[int, int]:
    return {i: get_customer(i).version for i in ids}


@pytest.fixture
def four():
    return [make_customer(name=f"U{i}", external_ids=[f"u{i}"]).id for i in range(4)]


def test_undo_puts_back_exactly_the_customers_the_action_changed(four):
    update_customer(four[0], {"payment_terms_days": "Net 60"}, version=1, actor=ACTOR)
    result = bulk_update(as_listed(four[:3]), "set_payment_terms", "Net 60", actor=ACTOR)
    assert (result.changed, result.unchanged) == (2, 1)  # four[0] was already on Net 60

    undone = undo_bulk(result.undo, actor=ACTOR)

    assert (undone.undone, undone.changed_since, undone.missing) == (2, 0, 0)
    assert undone.summary == "2 customers put back."
    assert [get_customer(i).payment_terms_days for i in four] == [60, 30, 30, 30]
    (event, *_) = customer_history(four[1])
    assert (event.action, event.actor) == ("customer.bulk_undo", ACTOR.email)
    assert event.changes == {"payment_terms_days": [60, 30]}
    assert len(customer_history(four[0])) == 2  # created, edited: the undo left it alone


def test_a_customer_saved_since_keeps_its_newer_values_and_is_counted(four):
    for customer_id in four:
        add_card(customer_id)  # Auto Pay needs a usable default payment method
    result = bulk_update(as_listed(four), "set_auto_pay", True, actor=ACTOR)
    saved = get_customer(four[2])
    update_customer(four[2], {"payment_terms_days": "Net 15"}, version=saved.version,
                    actor=EDITOR_ACTOR)

    undone = undo_bulk(result.undo, actor=ACTOR)

    assert (undone.undone, undone.changed_since) == (3, 1)
    assert "1 could not be undone: changed since by someone else" in undone.summary
    assert [get_customer(i).auto_pay for i in four] == [False, False, True, False]
    assert get_customer(four[2]).payment_terms_days == 15


def test_undoing_twice_changes_nothing_the_second_time(four):
    result = bulk_update(as_listed(four[:2]), "set_payment_terms", "Net 45", actor=ACTOR)
    assert undo_bulk(result.undo, actor=ACTOR).undone == 2
    again = undo_bulk(result.undo, actor=ACTOR)
    assert (again.undone, again.changed_since) == (0, 2)
    assert [get_customer(i).payment_terms_days for i in four[:2]] == [30, 30]


def test_undo_archive_restores_and_undo_restore_archives_again(four):
    archived = bulk_update(as_listed(four[:2]), "archive", actor=ACTOR)
    assert [get_customer(i).status for i in four[:2]] == ["archived", "archived"]
    assert undo_bulk(archived.undo, actor=ACTOR).undone == 2
    assert [get_customer(i).status for i in four[:2]] == ["active", "active"]
    assert customer_history(four[0])[0].changes == {"status": ["archived", "active"]}

    archive_customer(four[3], actor=ACTOR)
    was_archived_at = get_customer(four[3]).archived_at
    restored = bulk_update(as_listed([four[3]]), "restore", actor=ACTOR)
    assert undo_bulk(restored.undo, actor=ACTOR).undone == 1
    back = get_customer(four[3])
    assert back.status == "archived" and back.archived_at == was_archived_at


def test_undo_set_legal_entity_puts_each_customer_s_own_entity_back(four):
    first = create_legal_entity("First Ltd", actor=ACTOR)
    second = create_legal_entity("Second GmbH", actor=ACTOR)
    bulk_update(as_listed(four[:1]), "set_legal_entity", first.id, actor=ACTOR)
    bulk_update(as_listed(four[1:2]), "set_legal_entity", second.id, actor=ACTOR)
    before = [get_customer(i).legal_entity_id for i in four[:2]]
    moved = bulk_update(as_listed(four[:2]), "set_legal_entity", second.id, actor=ACTOR)
    assert moved.changed == 1
    undo_bulk(moved.undo, actor=ACTOR)
    assert [get_customer(i).legal_entity_id for i in four[:2]] == before


def test_undo_needs_the_role_the_action_needs(four):
    archived = bulk_update(as_listed(four[:1]), "archive", actor=ACTOR)
    with pytest.raises(AccessDenied):
        undo_bulk(archived.undo, actor=EDITOR_ACTOR)
    assert get_customer(four[0]).status == "archived"


def test_an_action_that_changed_nothing_offers_no_undo(four):
    bulk_update(as_listed(four[:1]), "archive", actor=ACTOR)
    assert bulk_update(as_listed(four[:1]), "archive", actor=ACTOR).undo is None


def test_undo_of_nothing_is_refused():
    with pytest.raises(ValidationError):
        undo_bulk(Undo("archive", ()), actor=ACTOR)
