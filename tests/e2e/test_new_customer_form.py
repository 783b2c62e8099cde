"""The New Customer modal in real Chromium: every refusal at once under its field, numbered
and removable External ID rows, the Legal Entity under Business Information, and a draft
never dropped unasked. (The required marks and a Tax ID entered on the form are checked by
tests/app/test_new_customer_page.py.)"""

import uuid

import pytest
from playwright.sync_api import Locator, Page, expect

from services import db
from services.aliases import resolve_alias
from services.customer_queries import CustomerQuery, list_customers
from services.customers import get_customer
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, fill, wait_ready
from tests.e2e.test_accessibility import blocking_violations
from tests.unit.factories import make_customer


@pytest.fixture
def desk(app_server):
    db.configure(app_server.db_url)
    return app_server.url


def tag() -> str:
    return uuid.uuid4().hex[:8]


def open_modal(page: Page, url: str) -> Locator:
    page.goto(url)
    wait_ready(page)
    page.get_by_role("button", name="New Customer").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Customer Information")).to_be_visible()
    wait_ready(page)
    return dialog


def top(locator: Locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return box["y"]


def matching(name: str) -> int:
    return list_customers(CustomerQuery(search=name)).total


def test_every_refusal_shows_at_once_under_its_field(page, desk):
    run = tag()
    holder = make_customer(name=f"Holder {run}", external_ids=[f"crm-{run}", f"cus_A{run}"])
    dialog = open_modal(page, desk)
    fill(dialog, "Primary Contact Email *", "not-an-email")
    choose(page, dialog, "Country", "Germany")
    fill(dialog, "Tax ID / VAT number", "DE136695977")
    fill(dialog, "External ID 1", f"crm-{run}")
    for number, typed in ((2, f"CUS_a{run}"), (3, f"new-{run}"), (4, f"new-{run}")):
        dialog.get_by_role("button", name="+ Add External ID").click()
        fill(dialog, f"External ID {number}", typed)
    dialog.get_by_role("button", name="Create Customer").click()

    expect(dialog.get_by_text("Please correct the 6 fields marked below; nothing was saved.")
           ).to_be_visible()
    # Until the run ends, the form of the run before may still stand beside the new one.
    wait_ready(page)
    messages = {
        "Customer Name *": "Customer Name is required.",
        "Primary Contact Email *": "Primary Contact Email is not a valid email address",
        "Tax ID / VAT number": "Tax ID / VAT number is not a valid tax ID for Germany",
        "External ID 1": f"already belongs to customer Holder {run} (#{holder.id})",
        "External ID 2": f'looks like "cus_A{run}", which belongs to customer Holder {run}',
        "External ID 4": f'External ID "new-{run}" is listed twice.',
    }
    for label, message in messages.items():
        field = dialog.get_by_label(label, exact=True)
        error = dialog.get_by_test_id("stAlert").filter(has_text=message)
        expect(error).to_be_visible()
        # right under its own field: below it, and above the next row of fields
        assert 0 < top(error) - top(field) < 120, (label, top(field), top(error))
    expect(dialog.get_by_label("External ID 3", exact=True)).to_have_value(f"new-{run}")
    screenshot(page, "new-customer-all-errors")
    dialog.get_by_text("Please correct the 6 fields").scroll_into_view_if_needed()
    screenshot(page, "new-customer-all-errors-top")
    assert not blocking_violations(page)
    assert matching(f"new-{run}") == 0


def test_external_id_rows_are_numbered_and_each_can_be_removed(page, desk):
    run = tag()
    dialog = open_modal(page, desk)
    fill(dialog, "Customer Name *", f"Rows {run}")
    fill(dialog, "Primary Contact Email *", f"ap@{run}.example")
    choose(page, dialog, "Country", "Germany")
    for number in (1, 2, 3):
        if number > 1:
            dialog.get_by_role("button", name="+ Add External ID").click()
        fill(dialog, f"External ID {number}", f"id{number}-{run}")
    removes = dialog.get_by_role("button", name="Remove")
    expect(removes).to_have_count(3)
    screenshot(page, "new-customer-external-id-rows")
    removes.first.click()
    expect(removes).to_have_count(2)
    expect(dialog.get_by_label("External ID 1", exact=True)).to_have_value(f"id2-{run}")
    expect(dialog.get_by_label("External ID 2", exact=True)).to_have_value(f"id3-{run}")
    expect(dialog.get_by_label("External ID 3", exact=True)).to_have_count(0)
    dialog.get_by_role("button", name="Create Customer").scroll_into_view_if_needed()
    screenshot(page, "new-customer-external-id-removed")
    dialog.get_by_role("button", name="Create Customer").click()
    expect(page.get_by_role("heading", name=f"Rows {run}")).to_be_visible()
    customer = get_customer(resolve_alias(f"id2-{run}").id)
    assert [a.value for a in customer.aliases] == [f"id2-{run}", f"id3-{run}"]


def test_legal_entity_has_its_place_under_business_information(page, desk):
    dialog = open_modal(page, desk)
    entity = dialog.get_by_role("combobox", name="Legal Entity", exact=True)
    business = dialog.get_by_role("heading", name="Business Information")
    following = dialog.get_by_role("heading", name="Tax Information")
    identifiers = dialog.get_by_role("heading", name="External Identifiers")
    entity.scroll_into_view_if_needed()
    assert top(business) < top(entity) < top(following) < top(identifiers)
    screenshot(page, "new-customer-legal-entity")


def asked(page: Page) -> Locator:
    question = page.get_by_role("dialog").filter(has_text="Discard this draft?")
    expect(question).to_be_visible()
    return question


def test_closing_with_a_draft_asks_before_discarding_it(page, desk):
    run = tag()
    dialog = open_modal(page, desk)
    fill(dialog, "Customer Name *", f"Draft {run}")
    choose(page, dialog, "Country", "Germany")
    fill(dialog, "External ID 1", f"draft-{run}")

    page.keyboard.press("Escape")
    question = asked(page)
    screenshot(page, "new-customer-discard-question")
    assert not blocking_violations(page)
    question.get_by_role("button", name="Keep editing").click()
    expect(dialog.get_by_label("Customer Name *", exact=True)).to_have_value(f"Draft {run}")
    expect(dialog.get_by_role("combobox", name="Country", exact=True)).to_have_value("Germany")
    expect(dialog.get_by_label("External ID 1", exact=True)).to_have_value(f"draft-{run}")
    wait_ready(page)

    dialog.get_by_role("button", name="Close").click()
    asked(page).get_by_role("button", name="Discard").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    wait_ready(page)
    dialog = open_modal(page, page.url)
    expect(dialog.get_by_label("Customer Name *", exact=True)).to_have_value("")
    expect(dialog.get_by_label("External ID 1", exact=True)).to_have_value("")
    assert matching(f"Draft {run}") == 0

    fill(dialog, "First Name", "Ada")
    dialog.get_by_role("button", name="Cancel").click()
    asked(page)
    page.keyboard.press("Escape")  # closing the question is not an answer: back to the form
    expect(dialog.get_by_label("First Name", exact=True)).to_have_value("Ada")


def test_closing_an_untouched_form_just_closes(page, desk):
    open_modal(page, desk)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    wait_ready(page)
    expect(page.get_by_text("Discard this draft?")).to_have_count(0)
