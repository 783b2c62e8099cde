"""Customer families: one level deep, audited on both sides, and a parent is never archived
without a choice of what happens to its active children; on SQLite and PostgreSQL."""

import pytest

from services.activity import ActivityFilter, activity_page
from services.bulk import bulk_update, undo_bulk
from services.customer_queries import CustomerQuery, list_customers
from services.customers import (
    archive_customer,
    create_customer,
    get_customer,
    restore_customer,
    update_customer,
)
from services.errors import ConflictError, ValidationError
from services.families import clear_parent, eligible_parents, family, set_parent
from services.list_filters import FieldFilter
from tests.unit.factories import ACTOR, customer_history, customer_input, make_customer

pytestmark = pytest.mark.usefixtures("database")


def customer(name: str):
    return make_customer(name=name, external_ids=[name.lower().replace(" ", "-")])


def join(child, parent, **kwargs):
    return set_parent(child.id, parent.id, version=get_customer(child.id).version, actor=ACTOR,
                      **kwargs)


@pytest.fixture
def holding():
    return customer("Holding")


def test_a_child_names_its_parent_and_the_parent_lists_its_children(holding):
    north, south = customer("North"), customer("South")
    joined = join(north, holding, invoice_to_parent=True)
    join(south, holding)
    assert (joined.parent_id, joined.invoice_to_parent) == (holding.id, True)
    assert joined.version == north.version + 1
    seen = family(holding.id)
    assert seen.parent is None
    assert [(c.name, c.invoice_to_parent) for c in seen.children] == [("North", True),
                                                                     ("South", False)]
    assert family(north.id).parent.name == "Holding"


def test_the_change_is_audited_on_the_child_and_noted_on_the_parent_by_name(holding):
    north = customer("North")
    join(north, holding)
    assert customer_history(north.id)[0].changes == {
        "parent_id": [None, f"Holding (#{holding.id})"]}
    note = customer_history(holding.id)[0]
    assert (note.action, note.changes) == ("customer.child_added",
                                           {"children": [None, f"North (#{north.id})"]})
    clear_parent(north.id, version=get_customer(north.id).version, actor=ACTOR)
    assert customer_history(north.id)[0].changes == {
        "parent_id": [f"Holding (#{holding.id})", None]}
    assert customer_history(holding.id)[0].action == "customer.child_removed"
    shown = activity_page(ActivityFilter(customer_id=holding.id)).events[0]
    assert shown.what == "Child customer removed"
    assert [(c.field, c.old, c.new) for c in shown.changes] == [
        ("Child customer", f"North (#{north.id})", "—")]


def test_the_note_leaves_the_parents_version_alone(holding):
    """Someone editing the parent meanwhile saves without a conflict."""
    join(customer("North"), holding)
    assert get_customer(holding.id).version == holding.version


def test_a_customer_cannot_be_its_own_parent(holding):
    with pytest.raises(ValidationError) as refused:
        join(holding, holding)
    assert refused.value.errors == {"parent_id": "Parent: a customer cannot be its own parent."}


def test_a_child_cannot_be_a_parent(holding):
    north, far = customer("North"), customer("Far")
    join(north, holding)
    with pytest.raises(ValidationError) as refused:
        join(far, north)
    assert "is itself a child of Holding" in refused.value.errors["parent_id"]
    assert "Choose Holding" in refused.value.errors["parent_id"]
    assert get_customer(far.id).parent_id is None


def test_a_parent_cannot_get_a_parent(holding):
    """Which also rules out cycles: A under B under A would make a parent a child."""
    north, group = customer("North"), customer("Group")
    join(north, holding)
    with pytest.raises(ValidationError) as refused:
        join(holding, group)
    assert refused.value.errors["parent_id"].startswith(
        f"Parent: Holding (#{holding.id}) has 1 child customer, so it cannot get a parent")
    with pytest.raises(ValidationError) as refused:
        join(holding, north)
    assert "cannot be the child of its own child" in refused.value.errors["parent_id"]


def test_an_archived_customer_cannot_become_a_parent(holding):
    archive_customer(holding.id, actor=ACTOR)
    with pytest.raises(ValidationError) as refused:
        join(customer("North"), holding)
    assert "is archived, and an archived customer cannot become a parent" in (
        refused.value.errors["parent_id"])


def test_a_parent_that_does_not_exist_is_named(holding):
    with pytest.raises(ValidationError) as refused:
        set_parent(holding.id, 999_999, version=holding.version, actor=ACTOR)
    assert refused.value.errors == {"parent_id": "Parent: customer #999999 does not exist."}


def test_invoice_to_parent_needs_a_parent(holding):
    with pytest.raises(ValidationError) as refused:
        update_customer(holding.id, {"invoice_to_parent": True}, version=holding.version,
                        actor=ACTOR)
    assert list(refused.value.errors) == ["invoice_to_parent"]
    north = join(customer("North"), holding, invoice_to_parent=True)
    with pytest.raises(ValidationError):  # the parent goes, the invoices cannot follow it
        update_customer(north.id, {"parent_id": None}, version=north.version, actor=ACTOR)
    cleared = clear_parent(north.id, version=north.version, actor=ACTOR)
    assert (cleared.parent_id, cleared.invoice_to_parent) == (None, False)


def test_a_stale_version_is_a_conflict_and_writes_nothing(holding):
    north = customer("North")
    update_customer(north.id, {"city": "Hamburg"}, version=north.version, actor=ACTOR)
    with pytest.raises(ConflictError):
        set_parent(north.id, holding.id, version=north.version, actor=ACTOR)
    assert get_customer(north.id).parent_id is None


def test_a_new_customer_may_name_its_parent_by_the_same_rules(holding):
    child = create_customer(customer_input(name="Kid", external_ids=["kid"],
                                           parent_id=holding.id, invoice_to_parent=True),
                            actor=ACTOR)
    assert (child.parent_id, child.invoice_to_parent) == (holding.id, True)
    assert customer_history(holding.id)[0].action == "customer.child_added"
    with pytest.raises(ValidationError) as refused:
        create_customer(customer_input(name="Grandkid", external_ids=["gk"],
                                       parent_id=child.id), actor=ACTOR)
    assert "is itself a child" in refused.value.errors["parent_id"]


def test_archiving_a_parent_with_active_children_asks_what_to_do(holding):
    north = join(customer("North"), holding)
    with pytest.raises(ValidationError) as refused:
        archive_customer(holding.id, actor=ACTOR)
    assert refused.value.errors["children"].startswith(
        f"Holding (#{holding.id}) has 1 active child customer. Say what happens to them")
    assert get_customer(holding.id).status == "active"
    assert get_customer(north.id).status == "active"


def test_archiving_a_parent_with_its_children(holding):
    north, south = join(customer("North"), holding), join(customer("South"), holding)
    archive_customer(holding.id, actor=ACTOR, children="archive")
    assert [get_customer(c.id).status for c in (holding, north, south)] == ["archived"] * 3
    assert get_customer(north.id).parent_id == holding.id  # restoring keeps the family
    assert customer_history(north.id)[0].changes == {
        "status": ["active", "archived"], "archived_with": [None, f"Holding (#{holding.id})"]}


def test_archiving_a_parent_and_detaching_its_children(holding):
    north = join(customer("North"), holding, invoice_to_parent=True)
    archive_customer(holding.id, actor=ACTOR, children="detach")
    kept = get_customer(north.id)
    assert (kept.status, kept.parent_id, kept.invoice_to_parent) == ("active", None, False)
    assert get_customer(holding.id).status == "archived"


def test_archived_children_need_no_choice(holding):
    north = join(customer("North"), holding)
    archive_customer(north.id, actor=ACTOR)
    assert archive_customer(holding.id, actor=ACTOR).status == "archived"
    restore_customer(holding.id, actor=ACTOR)


def test_an_unknown_choice_is_refused(holding):
    join(customer("North"), holding)
    with pytest.raises(ValidationError) as refused:
        archive_customer(holding.id, actor=ACTOR, children="delete")
    assert list(refused.value.errors) == ["children"]


def test_bulk_archive_asks_too_unless_the_children_are_selected(holding):
    north = join(customer("North"), holding)
    listed = {c.id: get_customer(c.id).version for c in (holding,)}
    with pytest.raises(ValidationError) as refused:
        bulk_update(listed, "archive", actor=ACTOR)
    assert "Nothing was archived" in refused.value.errors["children"]
    both = {c.id: get_customer(c.id).version for c in (holding, north)}
    assert bulk_update(both, "archive", actor=ACTOR).changed == 2


def test_bulk_archive_detaching_children_is_undone_with_the_rest(holding):
    north = join(customer("North"), holding, invoice_to_parent=True)
    result = bulk_update({holding.id: get_customer(holding.id).version}, "archive",
                         actor=ACTOR, children="detach")
    assert get_customer(north.id).parent_id is None
    undo_bulk(result.undo, actor=ACTOR)
    back = get_customer(north.id)
    assert (back.parent_id, back.invoice_to_parent) == (holding.id, True)
    assert get_customer(holding.id).status == "active"


def test_bulk_archive_with_children_archives_them(holding):
    north = join(customer("North"), holding)
    result = bulk_update({holding.id: get_customer(holding.id).version}, "archive",
                         actor=ACTOR, children="archive")
    assert result.summary == "2 customers changed."
    assert get_customer(north.id).status == "archived"


def test_the_family_filter_and_parent_column(holding):
    north, alone = join(customer("North"), holding), customer("Alone")

    def named(*states):
        page = list_customers(CustomerQuery(
            filters=(FieldFilter("parent_id", values=states),),
            columns=["name", "parent_id"]))
        return {r.name: r.parent_id for r in page.rows}

    assert named("child") == {"North": "Holding"}
    assert named("parent") == {"Holding": None}
    assert named("standalone") == {"Alone": None}
    assert set(named("child", "parent")) == {"North", "Holding"}
    with pytest.raises(ValidationError):
        named("orphan")
    assert north.id and alone.id


def test_eligible_parents_are_active_customers_outside_families_or_parents(holding):
    north = join(customer("North"), holding)
    archived = customer("Nordic Archive")
    archive_customer(archived.id, actor=ACTOR)
    alone = customer("Nomad")
    assert {m.name for m in eligible_parents(alone.id, "no")} == set()  # North is a child
    assert {m.name for m in eligible_parents(north.id, "")} == {"Holding", "Nomad"}
    assert {m.name for m in eligible_parents(alone.id, "hold")} == {"Holding"}
