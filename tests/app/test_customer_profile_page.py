import pytest

from services.aliases import add_alias
from services.customers import get_customer, update_business_information
from services.settings import set_tax_managed_by_integration
from tests.app.conftest import open_page, select_row, shown, texts
from tests.unit.factories import admin, make_customer

PROFILE = "app_pages/customer_profile.py"


@pytest.fixture
def customer(app_db):
    return make_customer()


def open_profile(app, customer_id: int):
    return open_page(app, PROFILE, customer=str(customer_id))


def k(customer_id: int, section: str, name: str) -> str:
    return f"profile.{customer_id}.{section}.{name}"


def test_header_and_one_expander_per_section(app, customer):
    open_profile(app, customer.id)
    assert app.title[0].value == "Acme Analytics GmbH"
    assert [e.label for e in app.expander] == [
        "Business Information", "Billing Address", "Tax Settings",
        "External Identifiers (Aliases)", "Contacts", "History"]
    assert app.text_input(key=k(customer.id, "business_information", "name")).value == \
        "Acme Analytics GmbH"


def test_business_information_save(app, customer):
    open_profile(app, customer.id)
    app.selectbox(key=k(customer.id, "business_information", "payment_terms_days")).select(45)
    app.selectbox(key=k(customer.id, "business_information", "invoicing_flow")).select("xero")
    app.checkbox(key=k(customer.id, "business_information", "auto_pay")).check()
    app.button(key=k(customer.id, "business_information", "save")).click().run()
    assert "Business Information saved." in texts(app.toast)
    saved = get_customer(customer.id)
    assert (saved.payment_terms_days, saved.invoicing_flow, saved.auto_pay) == (45, "xero", True)


def test_billing_address_save_and_field_error(app, customer):
    open_profile(app, customer.id)
    app.text_input(key=k(customer.id, "billing_address", "city")).input("")
    app.button(key=k(customer.id, "billing_address", "save")).click().run()
    assert shown(app.error, "City is required")
    assert get_customer(customer.id).city == "Berlin"
    app.text_input(key=k(customer.id, "billing_address", "city")).input("Potsdam")
    app.selectbox(key=k(customer.id, "billing_address", "state:select")).select("DE-BB")
    app.button(key=k(customer.id, "billing_address", "save")).click().run()
    assert "Billing Address saved." in texts(app.toast)
    saved = get_customer(customer.id)
    assert (saved.city, saved.state) == ("Potsdam", "DE-BB")


def test_tax_settings_save(app, customer):
    open_profile(app, customer.id)
    app.text_input(key=k(customer.id, "tax_settings", "tax_id")).input("DE 136 695 976")
    app.text_input(key=k(customer.id, "tax_settings", "tax_rate")).input("8.875")
    app.button(key=k(customer.id, "tax_settings", "save")).click().run()
    assert "Tax Settings saved." in texts(app.toast)
    saved = get_customer(customer.id)
    assert (saved.tax_id, str(saved.tax_rate)) == ("DE136695976", "8.875")
    assert app.text_input(key=k(customer.id, "tax_settings", "tax_id")).value == "DE136695976"


def test_tax_rate_is_read_only_with_a_note_when_managed(app, customer):
    set_tax_managed_by_integration(True, actor=admin("test"))
    open_profile(app, customer.id)
    assert app.text_input(key=k(customer.id, "tax_settings", "tax_rate")).disabled
    assert shown(app.caption, "managed by the tax integration")
    app.text_input(key=k(customer.id, "tax_settings", "tax_id")).input("DE136695976")
    app.button(key=k(customer.id, "tax_settings", "save")).click().run()
    assert get_customer(customer.id).tax_id == "DE136695976"


def test_contacts_add_make_primary_and_remove(app, customer):
    open_profile(app, customer.id)
    prefix = f"profile.{customer.id}.contacts"
    app.button(key=f"{prefix}.newbtn").click().run()
    app.text_input(key=f"{prefix}.new.first_name").input("Grace")
    app.text_input(key=f"{prefix}.new.email").input("grace@acme.example")
    app.checkbox(key=f"{prefix}.new.email_legal").check()
    app.button(key=f"FormSubmitter:{prefix}.new-Add contact").click().run()
    assert "Contact added." in texts(app.toast)
    added = [c for c in get_customer(customer.id).contacts if c.email == "grace@acme.example"]
    assert added and added[0].email_legal
    app.button(key=f"{prefix}.primary{added[0].id}").click().run()
    assert get_customer(customer.id).primary_contact.email == "grace@acme.example"
    old_primary = next(c for c in customer.contacts)
    app.button(key=f"{prefix}.remove{old_primary.id}").click().run()
    assert [c.email for c in get_customer(customer.id).contacts] == ["grace@acme.example"]


def test_duplicate_contact_email_is_refused_under_the_field(app, customer):
    open_profile(app, customer.id)
    prefix = f"profile.{customer.id}.contacts"
    app.button(key=f"{prefix}.newbtn").click().run()
    app.text_input(key=f"{prefix}.new.email").input("billing@acme.example")
    app.button(key=f"FormSubmitter:{prefix}.new-Add contact").click().run()
    assert shown(app.error, "already a contact")
    assert app.text_input(key=f"{prefix}.new.email").value == "billing@acme.example"


def test_alias_add_and_taken_message(app, customer):
    other = make_customer(name="Other Co", external_ids=["taken-id"])
    open_profile(app, customer.id)
    prefix = f"profile.{customer.id}.aliases"
    app.text_input(key=f"{prefix}.new").input("taken-id")
    app.button(key=f"{prefix}.add").click().run()
    assert shown(app.error, f"already belongs to customer Other Co (#{other.id})")
    app.text_input(key=f"{prefix}.new").input("fresh-id")
    app.button(key=f"{prefix}.add").click().run()
    assert "External ID added." in texts(app.toast)
    assert "fresh-id" in [a.value for a in get_customer(customer.id).aliases]


def test_a_look_alike_or_invisible_character_is_refused_and_the_typing_kept(app, customer):
    other = make_customer(name="Other Co", external_ids=["cus_ACME1"])
    open_profile(app, customer.id)
    prefix = f"profile.{customer.id}.aliases"
    app.text_input(key=f"{prefix}.new").input("cus_АСМЕ1")
    app.button(key=f"{prefix}.add").click().run()
    assert shown(app.error, f'looks like "cus_ACME1", which belongs to customer Other Co '
                            f"(#{other.id})")
    assert app.text_input(key=f"{prefix}.new").value == "cus_АСМЕ1"
    app.text_input(key=f"{prefix}.new").input("cus_\u200b42")
    app.button(key=f"{prefix}.add").click().run()
    assert shown(app.error, "ZERO WIDTH SPACE (U+200B)")
    assert [a.value for a in get_customer(customer.id).aliases] == ["acme-001"]


def test_alias_removed_elsewhere_leads_to_a_conflict_not_an_overwrite(app, customer):
    open_profile(app, customer.id)
    add_alias(customer.id, "someone-else", actor=admin("colleague@example.com"))
    app.text_input(key=f"profile.{customer.id}.aliases.new").input("mine")
    app.button(key=f"profile.{customer.id}.aliases.add").click().run()
    assert shown(app.error, "changed by someone else")
    assert "mine" not in [a.value for a in get_customer(customer.id).aliases]


def test_archive_and_restore(app, customer):
    open_profile(app, customer.id)
    app.button(key=f"profile.{customer.id}.status").click().run()
    assert get_customer(customer.id).status == "archived"
    assert "Customer archived." in texts(app.toast)
    assert app.button(key=f"profile.{customer.id}.status").label == "Restore"
    app.button(key=f"profile.{customer.id}.status").click().run()
    assert get_customer(customer.id).status == "active"


def test_history_lists_changes(app, customer):
    update_business_information(customer.id, {"payment_terms_days": 45},
                                version=customer.version, actor=admin("grace@example.com"))
    open_profile(app, customer.id)
    assert app.dataframe[0].value.iloc[0]["Who"] == "grace@example.com"
    select_row(app, 0)
    (table,) = app.table
    frame = table.value
    row = frame[frame["Field"] == "Payment Terms"].iloc[0]
    assert (row["Old"], row["New"]) == ("Net 30", "Net 45")


def test_unknown_customer_says_so(app):
    open_profile(app, 4242)
    assert "Customer #4242 does not exist." in texts(app.error)
