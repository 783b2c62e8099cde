"""The profile's Family section and the archive question, as a user meets them, and the
grid's Parent column and Family filter."""

import pytest

from services.customers import archive_customer, get_customer
from services.families import set_parent
from tests.app.conftest import as_read, open_page, shown, texts
from tests.app.test_customer_profile_page import PROFILE
from tests.unit.factories import ACTOR, customer_history, make_customer


def named(name: str):
    return make_customer(name=name, external_ids=[name.lower()],
                         primary_contact_email=f"{name.lower()}@acme.example")


@pytest.fixture
def holding(app_db):
    return named("Holding")


def links(app) -> dict[str, str]:
    """Each page link's text -> its query."""
    return {as_read(link.proto.label): link.proto.query_string for link in app.get("page_link")}


def k(customer_id: int, name: str) -> str:
    return f"profile.{customer_id}.family.{name}"


def test_the_section_links_the_parent_and_the_children(app, holding):
    north, south = named("North"), named("South")
    for child in (north, south):
        set_parent(child.id, holding.id, version=child.version, actor=ACTOR)
    open_page(app, PROFILE, customer=str(holding.id))
    assert links(app)[f"North (#{north.id})"] == f"customer={north.id}"
    assert links(app)[f"South (#{south.id})"] == f"customer={south.id}"
    assert "Children (2)" in texts(app.caption)
    open_page(app, PROFILE, customer=str(north.id))
    assert links(app)[f"Holding (#{holding.id})"] == f"customer={holding.id}"
    assert "Invoice to parent: No" in texts(app.caption)


def test_a_parent_is_found_by_search_and_saved(app, holding):
    north = named("North")
    open_page(app, PROFILE, customer=str(north.id))
    app.button(key=k(north.id, "edit")).click().run()
    app.text_input(key=k(north.id, "search")).input("Hold").run()
    picker = app.selectbox(key=k(north.id, "parent"))
    assert list(picker.options) == ["No parent", f"Holding (#{holding.id})"]
    picker.select(holding.id).run()
    app.checkbox(key=k(north.id, "invoice")).check().run()
    app.button(key=k(north.id, "save")).click().run()
    assert not app.exception, app.exception
    saved = get_customer(north.id)
    assert (saved.parent_id, saved.invoice_to_parent) == (holding.id, True)
    assert "Family saved." in texts(app.toast)
    assert links(app)[f"Holding (#{holding.id})"] == f"customer={holding.id}"
    assert customer_history(north.id)[0].changes["parent_id"] == [None,
                                                                 f"Holding (#{holding.id})"]


def test_a_refused_parent_is_named_under_the_field(app, holding):
    north, far = named("North"), named("Far")
    set_parent(north.id, holding.id, version=north.version, actor=ACTOR)
    open_page(app, PROFILE, customer=str(far.id))
    app.button(key=k(far.id, "edit")).click().run()
    app.text_input(key=k(far.id, "search")).input("North").run()  # a child: not offered
    assert shown(app.caption, "No customer that may be a parent matches")
    app.text_input(key=k(far.id, "search")).input("Holding").run()
    app.selectbox(key=k(far.id, "parent")).select(holding.id).run()
    archive_customer(holding.id, actor=ACTOR, children="detach")  # someone else, meanwhile
    app.button(key=k(far.id, "save")).click().run()
    assert shown(app.error, f"Holding (#{holding.id}) is archived")
    assert get_customer(far.id).parent_id is None


def test_a_parent_cannot_pick_a_parent(app, holding):
    north = named("North")
    set_parent(north.id, holding.id, version=north.version, actor=ACTOR)
    open_page(app, PROFILE, customer=str(holding.id))
    app.button(key=k(holding.id, "edit")).click().run()
    assert shown(app.info, "cannot have a parent itself")
    assert not [s for s in app.selectbox if s.key == k(holding.id, "parent")]


def test_archiving_a_parent_asks_what_happens_to_its_children(app, holding):
    north = named("North")
    set_parent(north.id, holding.id, version=north.version, actor=ACTOR)
    open_page(app, PROFILE, customer=str(holding.id))
    app.button(key=f"profile.{holding.id}.status").click().run()
    assert shown(app.markdown, "It is the parent of 1 active customer: what happens to them?")
    app.button(key=f"profile.{holding.id}.archiving.go").click().run()  # no choice made
    assert get_customer(holding.id).status == "active"
    assert shown(app.warning, "Say what happens to them")
    app.button(key=f"profile.{holding.id}.status").click().run()
    app.radio(key=f"profile.{holding.id}.archive_children").set_value("detach").run()
    app.button(key=f"profile.{holding.id}.archiving.go").click().run()
    assert get_customer(holding.id).status == "archived"
    assert (get_customer(north.id).status, get_customer(north.id).parent_id) == ("active", None)


def test_cancel_archives_nothing(app, holding):
    north = named("North")
    set_parent(north.id, holding.id, version=north.version, actor=ACTOR)
    open_page(app, PROFILE, customer=str(holding.id))
    app.button(key=f"profile.{holding.id}.status").click().run()
    app.button(key=f"profile.{holding.id}.archiving.cancel").click().run()
    assert [get_customer(c.id).status for c in (holding, north)] == ["active", "active"]


def summary(app) -> str:
    return next(t for t in texts(app.markdown) if "match" in t).strip("*")


def test_bulk_archive_of_a_parent_asks_about_its_children(app, holding):
    north = named("North")
    set_parent(north.id, holding.id, version=north.version, actor=ACTOR)
    app.run()
    app.session_state["customers.grid"] = {"selected": [holding.id]}
    app.run()
    app.selectbox(key="bulk.action").select("archive").run()
    app.button(key="bulk.apply").click().run()
    assert shown(app.markdown, "Selected parents have 1 customer as active children that are "
                               "not selected: what happens to them?")
    app.radio(key="bulk.children").set_value("archive").run()
    (go,) = [b for b in app.button if b.label == "Archive 1 customer"]
    go.click().run()
    assert [get_customer(c.id).status for c in (holding, north)] == ["archived", "archived"]
    assert shown(app.markdown, "Archive: 2 customers changed.")


def test_the_family_filter_narrows_the_grid(app, holding):
    north = named("North")
    named("Alone")
    set_parent(north.id, holding.id, version=north.version, actor=ACTOR)
    app.run()
    assert summary(app) == "3 customers match"
    app.multiselect(key="family").select("child").run()
    assert summary(app) == "1 customer matches"
    assert app.query_params["family"] == "child"
    app.multiselect(key="family").unselect("child").select("standalone").run()
    assert summary(app) == "1 customer matches"
