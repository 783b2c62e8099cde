"""The Customer Profile in the browser: a header with the customer's facts, each section read
as text until Edit, saved or cancelled on its own; unsaved edits marked; confirmations before
archiving and removing; an archived customer read-only; and the page stacked at 390 px."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from services import db
from services.contacts import add_contact
from services.customers import get_customer
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import edit, expander, fill, wait_ready
from tests.e2e.test_accessibility import blocking_violations
from tests.unit.factories import ACTOR, make_customer


@pytest.fixture
def customer(app_server, request):
    db.configure(app_server.db_url)
    name = f"Profile {request.node.name[5:40]}"
    return make_customer(name=name, external_ids=[f"ext-{request.node.name[:60]}"],
                         primary_contact_email=f"{request.node.name[5:40]}@acme.example")


def open_profile(page: Page, url: str, customer) -> None:
    page.goto(f"{url}/customer?customer={customer.id}")
    expect(page.get_by_role("heading", name=customer.name)).to_be_visible()
    wait_ready(page)


def assert_accessible(page: Page) -> None:
    """No serious or critical axe violation. Pointer and focus leave first: a help tooltip
    they open (Tab from a field lands on the next field's help) fades in, and axe measures
    its text mid-fade."""
    page.mouse.move(0, 0)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    expect(page.locator(".stTooltipContent")).to_have_count(0)
    violations = blocking_violations(page)
    assert not violations, "\n".join(violations)


def fact(scope: Page | Locator, label: str) -> Locator:
    """The value shown under `label` (a caption over its text)."""
    caption = scope.get_by_test_id("stCaptionContainer").filter(
        has_text=re.compile(f"^{re.escape(label)}$"))
    return caption.locator(
        "xpath=ancestor::div[@data-testid='stElementContainer'][1]/following-sibling::div[1]")


def test_header_and_sections_read_as_text_and_edit_one_at_a_time(page, app_server, customer):
    open_profile(page, app_server.url, customer)
    header = page.get_by_test_id("stMain")
    # An email is shown with an invisible word joiner after "@", so it is never made a link.
    email = customer.primary_contact.email.replace("@", "@\u2060")
    for label, value in {"Primary contact": email,
                         "Country": "Germany", "Currency": "EUR · Euro",
                         "Legal Entity": "Default Legal Entity", "Tax ID": "—",
                         "External IDs": f"Other · {customer.aliases[0].value}",
                         "Created": customer.created_at.strftime("%Y-%m-%d")}.items():
        expect(fact(header, label).first).to_have_text(value)
    expect(page.get_by_text("Active", exact=True)).to_be_visible()

    business = expander(page, "Business Information")
    expect(fact(business, "Payment Terms")).to_have_text("Net 30")
    expect(fact(business, "Auto Pay")).to_have_text("No")
    expect(fact(business, "Business Name")).to_have_text("—")
    expect(business.get_by_role("textbox")).to_have_count(0)
    tax = expander(page, "Tax Settings")
    expect(fact(tax, "Tax Rate")).to_have_text("19.00 %")
    page.set_viewport_size({"width": 1440, "height": 2400})  # the whole page in one picture
    screenshot(page, "profile-read-view")
    assert_accessible(page)
    page.set_viewport_size({"width": 1440, "height": 1000})

    business = edit(page, "Business Information")
    fill(business, "Business Name", "Typed Then Cancelled")
    business.get_by_role("button", name="Cancel").click()
    expect(fact(business, "Business Name")).to_have_text("—")

    business = edit(page, "Business Information")
    expect(business.get_by_role("textbox", name="Business Name")).to_have_value("")
    fill(business, "Business Name", "Profile Holding")
    screenshot(page, "profile-edit-business")
    assert_accessible(page)
    business.get_by_role("button", name="Save Business Information").click()
    expect(page.get_by_test_id("stToast").filter(
        has_text="Business Information saved.")).to_be_visible()
    expect(fact(business, "Business Name")).to_have_text("Profile Holding")
    expect(business.get_by_role("button", name="Edit")).to_be_visible()
    assert get_customer(customer.id).business_name == "Profile Holding"


def test_unsaved_edits_are_marked_and_an_old_toast_leaves_with_a_new_error(page, app_server,
                                                                          customer):
    open_profile(page, app_server.url, customer)
    business = edit(page, "Business Information")
    fill(business, "Business Name", "Not Saved Yet")
    edit(page, "Billing Address")  # the click carries what was typed above
    expect(page.locator("summary", has_text="Business Information · Unsaved changes")
           ).to_be_visible()
    expect(business.get_by_text("Unsaved changes", exact=True)).to_be_visible()
    expect(business.get_by_role("textbox", name="Business Name")).to_have_value("Not Saved Yet")
    screenshot(page, "profile-unsaved-changes")

    business.get_by_role("button", name="Save Business Information").click()
    saved = page.get_by_test_id("stToast").filter(has_text="Business Information saved.")
    expect(saved).to_be_visible()
    expect(page.locator("summary", has_text="Unsaved changes")).to_have_count(0)

    address = expander(page, "Billing Address")
    fill(address, "City", "")
    address.get_by_role("button", name="Save Billing Address").click()
    expect(address.get_by_text("City is required when an address is given.")).to_be_visible()
    expect(saved).to_have_count(0)
    expect(page.locator("summary", has_text="Billing Address · Unsaved changes")).to_be_visible()
    screenshot(page, "profile-error-without-old-toast")


def test_removing_a_contact_or_an_external_id_asks_first(page, app_server, customer):
    added = add_contact(customer.id, {"first_name": "Grace", "last_name": "Hopper",
                                      "email": "grace.profile@acme.example"},
                        version=customer.version, actor=ACTOR)
    grace = next(c for c in added.contacts if c.email == "grace.profile@acme.example")
    open_profile(page, app_server.url, customer)
    contacts = expander(page, "Contacts")
    contacts.get_by_role("button", name="Remove").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Remove Grace Hopper (grace.profile@\u2060acme.example) from "
                                   f"{customer.name}'s contacts?")
    screenshot(page, "profile-remove-contact-confirm")
    assert_accessible(page)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    assert grace.id in [c.id for c in get_customer(customer.id).contacts]
    contacts.get_by_role("button", name="Remove").click()
    page.get_by_role("dialog").get_by_role("button", name="Remove contact").click()
    expect(page.get_by_test_id("stToast").filter(has_text="Contact removed.")).to_be_visible()
    expect(contacts.get_by_text("Grace Hopper")).to_have_count(0)

    alias = customer.aliases[0].value
    aliases = expander(page, "External Identifiers (Aliases)")
    expect(aliases.get_by_role("button", name="Remove")).to_have_count(0)  # until Edit
    aliases = edit(page, "External Identifiers (Aliases)")
    aliases.get_by_role("button", name="Remove").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Remove the External ID Other · {alias} from "
                                   f"{customer.name}? "
                                   "Usage events that carry it no longer find this customer.")
    dialog.get_by_role("button", name="Remove External ID").click()
    expect(page.get_by_test_id("stToast").filter(has_text="External ID removed.")
           ).to_be_visible()
    expect(aliases.get_by_text("No external identifiers yet.")).to_be_visible()
    aliases.get_by_role("button", name="Done").click()
    expect(aliases.get_by_role("button", name="Edit")).to_be_visible()
    assert get_customer(customer.id).aliases == []


def test_archive_asks_and_leaves_the_profile_read_only_until_restored(page, app_server,
                                                                     customer):
    open_profile(page, app_server.url, customer)
    page.get_by_role("button", name="Archive").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Archive {customer.name}? It leaves the default Customers "
                                   "grid and its profile is read-only until an admin restores")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    assert get_customer(customer.id).status == "active"

    page.get_by_role("button", name="Archive").click()
    page.get_by_role("dialog").get_by_role("button", name="Archive").click()
    expect(page.get_by_text("read-only until it is restored. Restore it to edit it.")
           ).to_be_visible()
    expect(page.get_by_text("Archived", exact=True)).to_be_visible()
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("button", name="Restore")).to_be_visible()
    for hidden in ("Edit", "Remove", "+ New Contact", "Make primary", "Add"):
        expect(main.get_by_role("button", name=hidden, exact=True)).to_have_count(0)
    screenshot(page, "profile-archived")

    main.get_by_role("button", name="Restore").click()
    expect(page.get_by_test_id("stToast").filter(has_text="Customer restored.")).to_be_visible()
    expect(main.get_by_role("button", name="Edit", exact=True).first).to_be_visible()
    assert get_customer(customer.id).status == "active"


def test_the_profile_stacks_at_390_px(page, app_server, customer):
    page.set_viewport_size({"width": 390, "height": 844})
    open_profile(page, app_server.url, customer)
    main = page.get_by_test_id("stMain")
    archive = main.get_by_role("button", name="Archive")
    country, currency = fact(main, "Country").first, fact(main, "Currency").first
    expect(country).to_be_visible()
    screenshot(page, "profile-390")
    assert_accessible(page)
    for shown in (archive, country, currency):  # the header wraps: nothing off the screen
        box = shown.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    external_id = main.get_by_test_id("stCode").locator("pre").first  # wraps, not cut off
    assert external_id.evaluate("e => e.scrollWidth <= e.clientWidth")

    business = edit(page, "Business Information")
    name = business.get_by_role("textbox", name="Customer Name")
    business_name = business.get_by_role("textbox", name="Business Name")
    assert business_name.bounding_box()["y"] > name.bounding_box()["y"]  # one field a row
    box = name.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    expect(business.get_by_text("Auto Pay", exact=True)).to_be_visible()
    screenshot(page, "profile-390-edit")
    business.get_by_role("button", name="Cancel").click()
    wait_ready(page)
    page.set_viewport_size({"width": 390, "height": 4200})  # the whole page in one picture
    screenshot(page, "profile-390-whole")
