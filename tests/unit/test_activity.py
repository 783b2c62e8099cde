"""The activity log: every change as who, when, which customer, field, old -> new."""

import csv
import io
from datetime import date, timedelta

import pytest

from models.types import utcnow
from services.access import EDITOR, Actor
from services.activity import (
    ActivityFilter,
    actors,
    count_events,
    list_activity,
    write_activity_csv,
)
from services.customers import update_customer
from services.legal_entities import create_legal_entity
from tests.unit.factories import ACTOR, make_customer

pytestmark = pytest.mark.usefixtures("database")
GRACE = Actor("grace@example.com", EDITOR)


def test_every_change_is_a_line_per_field_newest_first():
    acme = make_customer()
    update_customer(acme.id, {"name": "Acme AG", "payment_terms_days": 45}, version=None,
                    actor=GRACE)
    lines = list_activity(ActivityFilter())
    newest = [line for line in lines if line.actor == GRACE.email]
    assert {(ln.field, ln.old, ln.new) for ln in newest} == {
        ("Customer Name", "Acme Analytics GmbH", "Acme AG"),
        ("Payment Terms", "Net 30", "Net 45")}
    assert all(ln.what == "Edited customer" and ln.customer == "Acme AG" for ln in newest)
    assert lines[0].actor == GRACE.email  # newest first
    assert lines[-1].what == "Created customer" and lines[-1].actor == ACTOR.email


def test_filters_by_user_customer_action_and_date():
    acme = make_customer()
    bolt = make_customer(name="Bolt", external_ids=["bolt-1"],
                         primary_contact_email="ap@bolt.example")
    update_customer(bolt.id, {"name": "Bolt Inc"}, version=None, actor=GRACE)
    create_legal_entity("Meterly Ltd", actor=ACTOR)
    assert actors() == sorted([ACTOR.email, GRACE.email])
    assert count_events(ActivityFilter()) == 4
    assert count_events(ActivityFilter(actor=GRACE.email)) == 1
    assert count_events(ActivityFilter(customer_id=acme.id)) == 1
    assert count_events(ActivityFilter(action="legal_entity.created")) == 1
    today = utcnow().date()
    assert count_events(ActivityFilter(since=today, until=today)) == 4
    assert count_events(ActivityFilter(until=today - timedelta(days=1))) == 0
    assert count_events(ActivityFilter(since=today + timedelta(days=1))) == 0
    (line,) = list_activity(ActivityFilter(action="legal_entity.created"))
    assert (line.what, line.customer_id, line.new) == ("Added legal entity", None,
                                                       "Meterly Ltd")


def test_pages_hold_whole_events():
    customer = make_customer()
    for terms in range(31, 36):
        update_customer(customer.id, {"payment_terms_days": terms}, version=None, actor=GRACE)
    first = list_activity(ActivityFilter(actor=GRACE.email), page=0, page_size=2)
    second = list_activity(ActivityFilter(actor=GRACE.email), page=1, page_size=2)
    assert [ln.new for ln in first + second] == ["Net 35", "Net 34", "Net 33", "Net 32"]


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
