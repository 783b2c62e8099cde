"""The profile while someone else edits the same customer: another section's change is no
conflict; a change to the same fields is shown with who, what and when, keeps what was
typed, and is resolved with "Keep mine" or "Take theirs"."""

import pytest
from streamlit.testing.v1 import AppTest

from services.customers import get_customer, update_billing_address, update_business_information
from tests.app.conftest import APP, as_read, open_page, shown, texts
from tests.unit.factories import admin, customer_history, make_customer

PROFILE = "app_pages/customer_profile.py"
COLLEAGUE = admin("colleague@example.com")


@pytest.fixture
def customer(app_db):
    return make_customer()


def k(customer_id: int, section: str, name: str) -> str:
    return f"profile.{customer_id}.{section}.{name}"


def open_profile(customer_id: int) -> AppTest:
    """The profile with Business Information and Billing Address opened for editing."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    open_page(at, PROFILE, customer=str(customer_id))
    for section in ("business_information", "billing_address"):
        at.button(key=k(customer_id, section, "edit")).click().run()
    return at


def _table(at: AppTest) -> list[dict]:
    """The conflict's rows as a user reads them."""
    return at.table[0].value.map(as_read).to_dict("records")


def test_two_sessions_saving_different_sections_both_succeed(customer):
    mine, theirs = open_profile(customer.id), open_profile(customer.id)
    theirs.text_input(key=k(customer.id, "billing_address", "city")).input("Hamburg")
    theirs.button(key=k(customer.id, "billing_address", "save")).click().run()
    mine.selectbox(key=k(customer.id, "business_information", "payment_terms_days")).select(45)
    mine.button(key=k(customer.id, "business_information", "save")).click().run()

    assert "Business Information saved." in texts(mine.toast)
    assert not mine.warning
    saved = get_customer(customer.id)
    assert (saved.city, saved.payment_terms_days) == ("Hamburg", 45)


def test_a_conflict_names_who_changed_what_and_keeps_what_was_typed(customer):
    at = open_profile(customer.id)
    update_business_information(customer.id, {"name": "Renamed Elsewhere"},
                                version=customer.version, actor=COLLEAGUE)
    at.text_input(key=k(customer.id, "business_information", "name")).input("Acme Mine")
    at.selectbox(key=k(customer.id, "business_information", "payment_terms_days")).select(60)
    at.button(key=k(customer.id, "business_information", "save")).click().run()

    assert shown(at.warning, "colleague@example.com changed Business Information")
    (row,) = _table(at)
    assert (row["Field"], row["Their value"], row["Your value"], row["Changed by"]) == (
        "Customer Name", "Renamed Elsewhere", "Acme Mine", "colleague@example.com")
    assert row["When"].endswith("UTC (just now)")
    assert at.text_input(key=k(customer.id, "business_information", "name")).value == \
        "Acme Mine"
    assert at.selectbox(key=k(customer.id, "business_information",
                              "payment_terms_days")).value == 60
    saved = get_customer(customer.id)
    assert (saved.name, saved.payment_terms_days) == ("Renamed Elsewhere", 30)


def test_keep_mine_saves_over_theirs(customer):
    at = open_profile(customer.id)
    update_business_information(customer.id, {"name": "Renamed Elsewhere"},
                                version=customer.version, actor=COLLEAGUE)
    at.text_input(key=k(customer.id, "business_information", "name")).input("Acme Mine")
    at.button(key=k(customer.id, "business_information", "save")).click().run()
    at.button(key=k(customer.id, "business_information", "keep_mine")).click().run()

    assert "Business Information saved." in texts(at.toast)
    assert not at.warning and not at.table
    assert get_customer(customer.id).name == "Acme Mine"
    latest = customer_history(customer.id)[0]
    assert latest.action == "customer.overwritten"
    assert latest.changes == {"name": ["Renamed Elsewhere", "Acme Mine"]}


def test_take_theirs_fills_their_value_and_keeps_the_other_typed_fields(customer):
    at = open_profile(customer.id)
    update_business_information(customer.id, {"name": "Renamed Elsewhere"},
                                version=customer.version, actor=COLLEAGUE)
    at.text_input(key=k(customer.id, "business_information", "name")).input("Acme Mine")
    at.selectbox(key=k(customer.id, "business_information", "payment_terms_days")).select(60)
    at.button(key=k(customer.id, "business_information", "save")).click().run()
    at.button(key=k(customer.id, "business_information", "take_theirs")).click().run()

    assert not at.warning
    assert at.text_input(key=k(customer.id, "business_information", "name")).value == \
        "Renamed Elsewhere"
    assert at.selectbox(key=k(customer.id, "business_information",
                              "payment_terms_days")).value == 60
    assert get_customer(customer.id).payment_terms_days == 30  # nothing saved yet
    at.button(key=k(customer.id, "business_information", "save")).click().run()
    assert "Business Information saved." in texts(at.toast)
    saved = get_customer(customer.id)
    assert (saved.name, saved.payment_terms_days) == ("Renamed Elsewhere", 60)


def test_each_section_is_judged_by_what_it_showed(customer):
    """A save merged over someone's change elsewhere does not count that change as seen by
    the section still showing the old value."""
    at = open_profile(customer.id)
    update_billing_address(customer.id, {"city": "Hamburg"}, version=customer.version,
                           actor=COLLEAGUE)
    at.text_input(key=k(customer.id, "business_information", "business_name")).input("Acme")
    at.button(key=k(customer.id, "business_information", "save")).click().run()
    assert "Business Information saved." in texts(at.toast)

    at.text_input(key=k(customer.id, "billing_address", "postal_code")).input("10119")
    at.button(key=k(customer.id, "billing_address", "save")).click().run()

    (row,) = _table(at)
    assert (row["Field"], row["Their value"], row["Your value"]) == ("City", "Hamburg", "Berlin")
    assert get_customer(customer.id).city == "Hamburg"


def test_keep_mine_with_a_refused_field_keeps_the_conflict_until_it_is_fixed(customer):
    at = open_profile(customer.id)
    update_business_information(customer.id, {"name": "Renamed Elsewhere"},
                                version=customer.version, actor=COLLEAGUE)
    at.text_input(key=k(customer.id, "business_information", "name")).input("Acme Mine")
    at.button(key=k(customer.id, "business_information", "save")).click().run()
    at.text_input(key=k(customer.id, "business_information", "name")).input("")
    at.button(key=k(customer.id, "business_information", "keep_mine")).click().run()

    assert shown(at.error, "Customer Name is required")
    assert shown(at.warning, "changed Business Information")
    at.text_input(key=k(customer.id, "business_information", "name")).input("Acme Fixed")
    at.button(key=k(customer.id, "business_information", "keep_mine")).click().run()
    assert "Business Information saved." in texts(at.toast)
    assert get_customer(customer.id).name == "Acme Fixed"
