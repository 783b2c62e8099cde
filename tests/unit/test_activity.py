"""The activity log: every event as who, when, what, which customer, with each field's
old -> new."""

import csv
import io
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.types import utcnow
from services.access import EDITOR, Actor
from services.activity import (
    ActivityFilter,
    Change,
    activity_page,
    actors,
    count_activity,
    write_activity_csv,
)
from services.capped_counts import Count
from services.customers import update_customer
from services.legal_entities import create_legal_entity
from tests.unit.factories import ACTOR, log_events, make_customer

pytestmark = pytest.mark.usefixtures("database")
GRACE = Actor("grace@example.com", EDITOR)


def count(**f) -> int:
    shown = activity_page(ActivityFilter(**f)).count
    assert shown.exact
    return shown.value


def test_every_event_is_one_entry_with_its_changes_newest_first():
    acme = make_customer()
    update_customer(acme.id, {"name": "Acme AG", "payment_terms_days": 45}, version=None,
                    actor=GRACE)
    page = activity_page(ActivityFilter())
    edited, created = page.events
    assert (page.count, page.older, page.newer) == (Count(2), None, None)
    assert (edited.actor, edited.what, edited.customer_id, edited.customer) == (
        GRACE.email, "Edited customer", acme.id, "Acme AG")
    assert set(edited.changes) == {Change("Customer Name", "Acme Analytics GmbH", "Acme AG"),
                                   Change("Payment Terms", "Net 30", "Net 45")}
    assert created.what == "Created customer" and created.actor == ACTOR.email
    assert Change("Customer Name", "—", "Acme Analytics GmbH") in created.changes


def test_filters_by_user_customer_action_and_date():
    acme = make_customer()
    bolt = make_customer(name="Bolt", external_ids=["bolt-1"],
                         primary_contact_email="ap@bolt.example")
    update_customer(bolt.id, {"name": "Bolt Inc"}, version=None, actor=GRACE)
    create_legal_entity("Meterly Ltd", actor=ACTOR)
    assert actors() == sorted([ACTOR.email, GRACE.email])
    assert count() == 4
    assert count(actor=GRACE.email) == 1
    assert count(customer_id=acme.id) == 1
    assert count(action="legal_entity.created") == 1
    today = utcnow().date()
    assert count(since=today, until=today) == 4
    assert count(until=today - timedelta(days=1)) == 0
    assert count(since=today + timedelta(days=1)) == 0
    (event,) = activity_page(ActivityFilter(action="legal_entity.created")).events
    assert (event.what, event.customer_id, event.changes) == (
        "Added legal entity", None, (Change("Legal Entity Name", "—", "Meterly Ltd"),))


def test_filters_by_a_fragment_of_the_customer_name_in_any_case():
    acme = make_customer(name="Acme 100% Analytics_GmbH")
    make_customer(name="Bolt 1000 Analyticsx", primary_contact_email="ap@bolt.example",
                  external_ids=["bolt-1"], business_name="Zeppelin Holdings")
    update_customer(acme.id, {"city": "Munich"}, version=None, actor=GRACE)
    assert count(customer_name="acme") == 2  # its creation and the edit
    assert count(customer_name="ANALYTICS") == 3
    assert count(customer_name="100%") == 2  # % and _ are the characters themselves
    assert count(customer_name="s_g") == 2
    assert count(customer_name="acme", actor=GRACE.email) == 1
    assert count(customer_name="zebra") == 0
    assert count(customer_name="bolt.example") == 0  # its contact's email, not its name
    assert count(customer_name="zeppelin") == 0  # its business name


def test_days_are_the_viewers_days():
    make_customer()
    (event,) = activity_page(ActivityFilter()).events
    east, west = ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")  # 25 h apart
    assert event.at.astimezone(east).date() != event.at.astimezone(west).date()
    for zone in (east, west):
        local_day = event.at.astimezone(zone).date()
        assert count(since=local_day, until=local_day, zone=zone) == 1
        assert count(until=local_day - timedelta(days=1), zone=zone) == 0
        assert count(since=local_day + timedelta(days=1), zone=zone) == 0


def terms(page) -> list[str]:
    return [c.new for e in page.events for c in e.changes]


def test_pages_hold_whole_events_older_and_newer_from_where_a_page_ends():
    customer = make_customer()
    for days in range(31, 36):
        update_customer(customer.id, {"payment_terms_days": days}, version=None, actor=GRACE)
    mine = ActivityFilter(actor=GRACE.email)
    first = activity_page(mine, page_size=2)
    second = activity_page(mine, older_than=first.older, page_size=2)
    last = activity_page(mine, older_than=second.older, page_size=2)
    assert [terms(p) for p in (first, second, last)] == [
        ["Net 35", "Net 34"], ["Net 33", "Net 32"], ["Net 31"]]
    assert (first.newer, last.older) == (None, None)
    back = activity_page(mine, newer_than=last.newer, page_size=2)
    assert (terms(back), back.newer) == (["Net 33", "Net 32"], second.newer)
    top = activity_page(mine, newer_than=back.newer, page_size=2)
    assert (terms(top), top.newer) == (["Net 35", "Net 34"], None)


def test_events_logged_in_the_same_instant_are_paged_by_id_none_lost_or_repeated():
    log_events(7, at=utcnow(), actor=GRACE.email)
    seen, page = [], activity_page(ActivityFilter(), page_size=3)
    while True:
        seen += [e.id for e in page.events]
        if page.older is None:
            break
        page = activity_page(ActivityFilter(), older_than=page.older, page_size=3)
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 7
    back = activity_page(ActivityFilter(), newer_than=page.newer, page_size=3)
    assert [e.id for e in back.events] == seen[3:6]


def test_past_the_cap_the_count_says_more_and_the_exact_count_is_on_request():
    log_events(6, actor=GRACE.email)
    log_events(2, actor="import")
    assert activity_page(ActivityFilter(), cap=5).count == Count(5, exact=False)
    assert activity_page(ActivityFilter(actor="import"), cap=5).count == Count(2)
    assert count_activity(ActivityFilter()) == Count(8)
    assert count_activity(ActivityFilter(actor=GRACE.email)) == Count(6)


def test_pages_go_on_past_the_cap_to_the_oldest_event():
    log_events(9, actor=GRACE.email)
    page, pages = activity_page(ActivityFilter(), page_size=2, cap=3), 1
    while page.older is not None:
        assert page.count.more
        page, pages = activity_page(ActivityFilter(), older_than=page.older, page_size=2,
                                    cap=3), pages + 1
    assert (pages, len(page.events)) == (5, 1)


def test_the_user_filter_lists_each_person_once_in_order():
    assert actors() == []
    for who in ("zoe@example.com", "api", "ada@example.com", "api", "import"):
        log_events(3, actor=who)
    assert actors() == ["ada@example.com", "api", "import", "zoe@example.com"]


def test_export_is_every_line_with_formulas_neutralised():
    customer = make_customer(name="=HYPERLINK(\"http://x\")")
    update_customer(customer.id, {"city": "@Munich"}, version=None, actor=GRACE)
    out = io.BytesIO()
    written = write_activity_csv(ActivityFilter(), out)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert rows[0][:3] == ["When (UTC)", "Who", "What"]
    assert len(rows) == written + 1
    city = next(r for r in rows if r[5] == "City")
    assert (city[6], city[7]) == ("Berlin", "'@Munich")
    assert city[4] == "'=HYPERLINK(\"http://x\")"
    assert date.fromisoformat(city[0][:10]) == utcnow().date()
