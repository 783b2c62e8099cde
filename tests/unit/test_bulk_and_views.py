import pytest

from services.access import ADMIN, EDITOR, VIEWER, AccessDenied, Actor
from services.activity import ActivityFilter, activity_page
from services.bulk import bulk_update
from services.customers import get_customer, update_customer
from services.errors import ConflictError, NotFoundError, ValidationError
from services.legal_entities import create_legal_entity
from services.saved_views import delete_view, list_views, save_view
from tests.unit.factories import ACTOR, add_card, customer_history, make_customer

pytestmark = pytest.mark.usefixtures("database")


def as_listed(ids) -> dict[int, int]:
    """The selection as the grid sends it: each id with the version the list showed."""
    return {i: get_customer(i).version for i in ids}


@pytest.fixture
def three():
    return [make_customer(name=f"C{i}", external_ids=[f"c{i}"]) for i in range(3)]


def test_bulk_archive_is_one_event_per_customer(three):
    ids = [c.id for c in three]
    result = bulk_update(as_listed(ids[:2]), "archive", actor=ACTOR)
    assert (result.changed, result.unchanged, result.missing) == (2, 0, 0)
    assert result.summary == "2 customers changed."
    assert [get_customer(i).status for i in ids] == ["archived", "archived", "active"]
    assert customer_history(ids[0])[0].changes == {"status": ["active", "archived"]}
    again = bulk_update(as_listed(ids), "archive", actor=ACTOR)
    assert again.summary == "1 customer changed, 2 already so."
    restored = bulk_update(as_listed(ids), "restore", actor=ACTOR)
    assert restored.changed == 3


@pytest.mark.parametrize("action, value, attr, expected", [
    ("set_payment_terms", "Net 60", "payment_terms_days", 60),
    ("set_auto_pay", True, "auto_pay", True),
])
def test_bulk_set_fields(three, action, value, attr, expected):
    three = [add_card(c.id) for c in three]  # Auto Pay needs a usable default payment method
    ids = [c.id for c in three]
    assert bulk_update(as_listed(ids), action, value, actor=ACTOR).changed == 3
    assert {getattr(get_customer(i), attr) for i in ids} == {expected}
    assert get_customer(ids[0]).version == three[0].version + 1


def test_bulk_set_legal_entity(three):
    entity = create_legal_entity("Meterly Ltd", actor=ACTOR)
    bulk_update(as_listed(c.id for c in three), "set_legal_entity", entity.id, actor=ACTOR)
    assert get_customer(three[1].id).legal_entity.name == "Meterly Ltd"


@pytest.mark.parametrize("action, value, field", [
    ("set_payment_terms", "Net 400", "payment_terms_days"),
    ("set_legal_entity", 999, "legal_entity_id"),
    ("set_auto_pay", None, "auto_pay"),
    ("delete", None, "action"),
])
def test_bad_bulk_input_changes_nothing(three, action, value, field):
    with pytest.raises(ValidationError) as caught:
        bulk_update(as_listed(c.id for c in three), action, value, actor=ACTOR)
    assert field in caught.value.errors
    assert all(len(customer_history(c.id)) == 1 for c in three)


def test_bulk_needs_a_selection():
    with pytest.raises(ValidationError) as caught:
        bulk_update({}, "archive", actor=ACTOR)
    assert "customer_ids" in caught.value.errors


def test_bulk_reports_customers_that_no_longer_exist(three):
    assert bulk_update({**as_listed([three[0].id]), 9999: 1}, "archive", actor=ACTOR).missing == 1


def test_a_bulk_action_over_a_customer_saved_since_the_list_changes_nothing(three):
    listed = as_listed(c.id for c in three)
    update_customer(three[1].id, {"payment_terms_days": "Net 15"}, version=listed[three[1].id],
                    actor=ACTOR)
    with pytest.raises(ConflictError, match="1 of the selected customers was changed"):
        bulk_update(listed, "set_payment_terms", "Net 60", actor=ACTOR)
    assert [get_customer(c.id).payment_terms_days for c in three] == [30, 15, 30]
    assert bulk_update(as_listed(listed), "set_payment_terms", "Net 60", actor=ACTOR).changed == 3


def test_saved_views_save_list_delete():
    state = {"countries": ["DE"], "sort": "name", "columns": ["name", "tax_rate"]}
    view = save_view("  German customers ", state, actor=ACTOR)
    assert [v.name for v in list_views()] == ["German customers"]
    assert list_views()[0].state == state
    with pytest.raises(ValidationError) as caught:
        save_view("german CUSTOMERS", {}, actor=ACTOR)
    assert "already exists" in caught.value.errors["name"]
    with pytest.raises(ValidationError):
        save_view("", {}, actor=ACTOR)
    delete_view(view.id, actor=ACTOR)
    assert list_views() == []
    with pytest.raises(NotFoundError):
        delete_view(view.id, actor=ACTOR)


def test_a_view_is_deleted_only_by_who_saved_it_or_an_admin_and_the_log_keeps_it():
    ada, bob = Actor("ada@example.com", EDITOR), Actor("bob@example.com", EDITOR)
    state = {"country": ["DE"], "sort": "tax_rate", "cols": ["name", "tax_rate"]}
    view = save_view("German customers", state, actor=ada)
    with pytest.raises(AccessDenied, match="saved by ada@example.com: only they or an admin"):
        delete_view(view.id, actor=bob)
    with pytest.raises(AccessDenied, match="viewer role"):
        delete_view(view.id, actor=Actor("vera@example.com", VIEWER))
    assert [v.name for v in list_views()] == ["German customers"]
    delete_view(view.id, actor=Actor("ADA@example.com", EDITOR))
    assert list_views() == []
    other = save_view("Net 45", {"terms": [45]}, actor=ada)
    delete_view(other.id, actor=Actor("root@example.com", ADMIN))
    deleted = activity_page(ActivityFilter(action="view.deleted")).events
    assert {(e.actor, c.field, c.old) for e in deleted for c in e.changes} == {
        ("ADA@example.com", "View name", "German customers"),
        ("ADA@example.com", "View", "country: ['DE'], sort: tax_rate, cols: ['name', "
                                    "'tax_rate']"),
        ("ADA@example.com", "Saved by", "ada@example.com"),
        ("root@example.com", "View name", "Net 45"),
        ("root@example.com", "View", "terms: [45]"),
        ("root@example.com", "Saved by", "ada@example.com"),
    }
