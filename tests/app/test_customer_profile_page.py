import pytest
from streamlit.testing.v1 import AppTest

from models import sections as S
from services import roles
from services.access import EDITOR
from services.aliases import add_alias
from services.customers import (
    archive_customer,
    get_customer,
    update_business_information,
    update_section,
)
from services.legal_entities import create_legal_entity
from services.settings import set_tax_managed_by_integration
from tests.app.conftest import APP, as_read, open_page, select_row, shown, texts
from tests.unit.factories import ACTOR, add_card, admin, make_customer

PROFILE = "app_pages/customer_profile.py"


@pytest.fixture
def customer(app_db):
    return make_customer()


def open_profile(app, customer_id: int):
    return open_page(app, PROFILE, customer=str(customer_id))


def k(customer_id: int, section: str, name: str) -> str:
    return f"profile.{customer_id}.{section}.{name}"


def edit(app, customer_id: int, section: str):
    return app.button(key=k(customer_id, section, "edit")).click().run()


def facts(app, section: str | None = None) -> dict[str, str]:
    """The label -> value pairs (a caption over its text) of the header, or of a section."""
    if section is not None:
        return _pairs(next(e for e in app.expander if as_read(e.label) == section))
    found = {}
    for block in app.main.children.values():
        if getattr(block, "type", None) != "expander":
            found.update(_pairs(block))
    return found


def _pairs(block) -> dict[str, str]:
    pairs = {}
    children = list(getattr(block, "children", {}).values())
    kinds = [getattr(c, "type", None) for c in children]
    if kinds == ["caption", "markdown"]:
        pairs[texts([children[0]])[0]] = texts([children[1]])[0]
    for child in children:
        pairs.update(_pairs(child))
    return pairs


def edit_buttons(app, customer_id: int) -> int:
    """How many sections offer Edit (the three of the customer's fields and External IDs)."""
    sections = ("business_information", "billing_address", "tax_settings", "aliases")
    keys = {k(customer_id, section, "edit") for section in sections}
    return sum(1 for b in app.button if b.key in keys)


def expander_labels(app) -> list[str]:
    return [as_read(e.label) for e in app.expander]


def test_header_and_one_expander_per_section(app, customer):
    open_profile(app, customer.id)
    assert app.title[0].value == "Acme Analytics GmbH"
    assert expander_labels(app) == [
        "Business Information", "Billing Address", "Shipping Address", "Tax Settings",
        "External Identifiers (Aliases)", "Family", "Contacts", "Payment Methods", "History"]
    assert shown(app.markdown, "Active")
    read = facts(app)
    assert {key: read[key] for key in ("Primary contact", "Country", "Currency", "Legal Entity",
                                       "Tax ID", "External IDs", "Customer ID")} == {
        "Primary contact": "billing@acme.example", "Country": "Germany",
        "Currency": "EUR · Euro", "Legal Entity": "Default Legal Entity", "Tax ID": "—",
        "External IDs": "Other · acme-001", "Customer ID": f"#{customer.id}"}
    assert read["Created"] == customer.created_at.strftime("%Y-%m-%d")


def test_the_header_names_the_legal_entity_and_its_country(app):
    create_legal_entity({"name": "Acme GmbH", "country": "DE"}, actor=ACTOR)
    customer = make_customer(country="DE")  # its country's one entity, by default
    open_profile(app, customer.id)
    assert facts(app)["Legal Entity"] == "Acme GmbH · Germany"


def test_sections_read_as_text_until_edit(app, customer):
    open_profile(app, customer.id)
    read = facts(app, "Business Information")
    assert (read["Customer Name"], read["Business Name"], read["Payment Terms"],
            read["Auto Pay"], read["Invoicing Flow"], read["Legal Entity"]) == (
        "Acme Analytics GmbH", "—", "Net 30", "No", "Customer Desk", "Default Legal Entity")
    read = facts(app, "Billing Address")
    assert (read["Country"], read["State"], read["Postal Code"], read["Address Line 2"]) == (
        "Germany", "Berlin", "10117", "—")
    assert facts(app, "Tax Settings") == {
        "Country": "Germany", "Tax ID / VAT number": "—", "Tax ID Status": "Not checked",
        "Tax Exemption": "None", "Tax Rate": "19.00 %"}
    assert not app.text_input  # no field to type in until Edit
    assert edit_buttons(app, customer.id) == 4
    edit(app, customer.id, "business_information")
    assert app.text_input(key=k(customer.id, "business_information", "name")).value == \
        "Acme Analytics GmbH"
    app.text_input(key=k(customer.id, "business_information", "name")).input("Not kept")
    app.button(key=k(customer.id, "business_information", "cancel")).click().run()
    assert facts(app, "Business Information")["Customer Name"] == "Acme Analytics GmbH"
    assert get_customer(customer.id).name == "Acme Analytics GmbH"
    edit(app, customer.id, "business_information")
    assert app.text_input(key=k(customer.id, "business_information", "name")).value == \
        "Acme Analytics GmbH"


def test_business_information_save(app, customer):
    add_card(customer.id)  # for Auto Pay
    open_profile(app, customer.id)
    edit(app, customer.id, "business_information")
    app.selectbox(key=k(customer.id, "business_information", "payment_terms_days")).select(45)
    app.selectbox(key=k(customer.id, "business_information", "invoicing_flow")).select("xero")
    app.checkbox(key=k(customer.id, "business_information", "auto_pay")).check()
    app.button(key=k(customer.id, "business_information", "save")).click().run()
    assert "Business Information saved." in texts(app.toast)
    saved = get_customer(customer.id)
    assert (saved.payment_terms_days, saved.invoicing_flow, saved.auto_pay) == (45, "xero", True)
    read = facts(app, "Business Information")  # back to the read view
    assert (read["Payment Terms"], read["Invoicing Flow"], read["Auto Pay"]) == (
        "Net 45", "Xero", "Yes")
    assert not app.text_input


def test_billing_address_save_and_field_error(app, customer):
    open_profile(app, customer.id)
    edit(app, customer.id, "billing_address")
    app.text_input(key=k(customer.id, "billing_address", "city")).input("")
    app.button(key=k(customer.id, "billing_address", "save")).click().run()
    assert shown(app.error, "City is required")
    assert get_customer(customer.id).city == "Berlin"
    assert "Billing Address · Unsaved changes" in expander_labels(app)
    assert shown(app.caption, "Unsaved changes")
    app.text_input(key=k(customer.id, "billing_address", "city")).input("Potsdam")
    app.selectbox(key=k(customer.id, "billing_address", "state:select")).select("DE-BB")
    app.button(key=k(customer.id, "billing_address", "save")).click().run()
    assert "Billing Address saved." in texts(app.toast)
    saved = get_customer(customer.id)
    assert (saved.city, saved.state) == ("Potsdam", "DE-BB")


def test_tax_settings_save(app, customer):
    open_profile(app, customer.id)
    edit(app, customer.id, "tax_settings")
    app.text_input(key=k(customer.id, "tax_settings", "tax_id")).input("DE 136 695 976")
    app.text_input(key=k(customer.id, "tax_settings", "tax_rate")).input("8.875")
    app.button(key=k(customer.id, "tax_settings", "save")).click().run()
    assert "Tax Settings saved." in texts(app.toast)
    saved = get_customer(customer.id)
    assert (saved.tax_id, str(saved.tax_rate)) == ("DE136695976", "8.875")
    assert facts(app, "Tax Settings")["Tax ID / VAT number"] == "DE136695976"
    # the header too, with the status the format earned and its date
    assert facts(app)["Tax ID"] == (
        f"DE136695976 · Valid format {saved.tax_id_checked_at:%-d %b %Y}")


def test_an_empty_tax_country_reads_and_fills_in_as_the_billing_country(app, customer):
    update_section(customer.id, S.TAX_SETTINGS, {"tax_country": None},
                   version=customer.version, actor=admin("test"))
    open_profile(app, customer.id)
    assert facts(app)["Country"] == "Germany"  # the header's
    assert facts(app, "Tax Settings")["Country"] == "Germany (the billing country)"
    edit(app, customer.id, "tax_settings")
    assert app.selectbox(key=k(customer.id, "tax_settings", "tax_country")).value == "DE"
    assert not shown(app.caption, "Unsaved changes")  # the default is no change of the user's
    app.button(key=k(customer.id, "tax_settings", "save")).click().run()
    assert get_customer(customer.id).tax_country == "DE"


def test_unsaved_edits_are_marked_while_another_section_is_used(app, customer):
    open_profile(app, customer.id)
    edit(app, customer.id, "business_information")
    assert "Business Information" in expander_labels(app)
    app.text_input(key=k(customer.id, "business_information", "business_name")).input("Acme")
    edit(app, customer.id, "billing_address")  # the typing reaches the page with this click
    assert "Business Information · Unsaved changes" in expander_labels(app)
    assert "Billing Address" in expander_labels(app)
    app.button(key=k(customer.id, "business_information", "save")).click().run()
    assert "Business Information" in expander_labels(app)
    assert get_customer(customer.id).business_name == "Acme"


def test_tax_rate_is_read_only_with_a_note_when_managed(app, customer):
    set_tax_managed_by_integration(True, actor=admin("test"))
    open_profile(app, customer.id)
    assert shown(app.caption, "managed by the tax integration")  # in the read view too
    edit(app, customer.id, "tax_settings")
    assert app.text_input(key=k(customer.id, "tax_settings", "tax_rate")).disabled
    assert shown(app.caption, "managed by the tax integration")
    app.text_input(key=k(customer.id, "tax_settings", "tax_id")).input("DE136695976")
    app.button(key=k(customer.id, "tax_settings", "save")).click().run()
    assert get_customer(customer.id).tax_id == "DE136695976"


def test_contacts_add_make_primary_and_remove(app, customer):
    open_profile(app, customer.id)
    prefix = f"profile.{customer.id}.contacts"
    app.button(key=f"{prefix}.newbtn").click().run()
    app.text_input(key=f"{prefix}.new.first_name").input("Not added")
    app.button(key=f"FormSubmitter:{prefix}.new-Cancel").click().run()
    assert not app.text_input  # the form closed, nothing added
    assert len(get_customer(customer.id).contacts) == 1
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
    assert shown(app.markdown, "Remove Ada Lovelace (billing@acme.example) from Acme "
                               "Analytics GmbH's contacts?")
    app.button(key=f"{prefix}.removing.cancel").click().run()
    assert len(get_customer(customer.id).contacts) == 2
    app.button(key=f"{prefix}.remove{old_primary.id}").click().run()
    app.button(key=f"{prefix}.removing.go").click().run()
    assert "Contact removed." in texts(app.toast)
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
    app.button(key=f"{prefix}.edit").click().run()
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
    app.button(key=f"{prefix}.edit").click().run()
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
    app.button(key=f"profile.{customer.id}.aliases.edit").click().run()
    app.text_input(key=f"profile.{customer.id}.aliases.new").input("mine")
    app.button(key=f"profile.{customer.id}.aliases.add").click().run()
    assert shown(app.error, "changed by someone else")
    assert "mine" not in [a.value for a in get_customer(customer.id).aliases]


def test_an_external_id_is_removed_after_confirming(app, customer):
    open_profile(app, customer.id)
    prefix = f"profile.{customer.id}.aliases"
    assert not [b for b in app.button if b.label == "Remove"]  # only once editing
    app.button(key=f"{prefix}.edit").click().run()
    app.text_input(key=f"{prefix}.new").input("half-typed")
    app.run()
    assert "External Identifiers (Aliases) · Unsaved changes" in expander_labels(app)
    alias = customer.aliases[0]
    app.button(key=f"{prefix}.remove{alias.id}").click().run()
    assert shown(app.markdown, "Remove the External ID Other · acme-001 from Acme Analytics GmbH? "
                               "Usage events that carry it no longer find this customer.")
    app.button(key=f"{prefix}.removing.go").click().run()
    assert "External ID removed." in texts(app.toast)
    assert get_customer(customer.id).aliases == []
    app.button(key=f"{prefix}.done").click().run()
    assert not app.text_input
    assert shown(app.caption, "No external identifiers yet.")


def test_archive_asks_then_makes_the_profile_read_only_until_restored(app, customer):
    open_profile(app, customer.id)
    app.button(key=f"profile.{customer.id}.status").click().run()
    assert shown(app.markdown, "Archive Acme Analytics GmbH? It leaves the default Customers "
                               "grid and its profile is read-only until an admin restores it.")
    app.button(key=f"profile.{customer.id}.archiving.cancel").click().run()
    assert get_customer(customer.id).status == "active"
    app.button(key=f"profile.{customer.id}.status").click().run()
    app.button(key=f"profile.{customer.id}.archiving.go").click().run()
    assert get_customer(customer.id).status == "archived"
    assert "Customer archived." in texts(app.toast)
    assert shown(app.info, "read-only until it is restored. Restore it to edit it.")
    assert shown(app.markdown, "Archived")
    assert [b.label for b in app.button] == ["Restore"]  # no Edit, Remove, + New Contact
    app.button(key=f"profile.{customer.id}.status").click().run()
    assert get_customer(customer.id).status == "active"
    assert edit_buttons(app, customer.id) == 4


def test_archiving_while_a_section_is_edited_shows_it_read_only(app, customer):
    open_profile(app, customer.id)
    edit(app, customer.id, "business_information")
    archive_customer(customer.id, actor=admin("colleague@example.com"))
    app.run()
    assert not app.text_input
    assert "Save Business Information" not in [b.label for b in app.button]


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


def test_an_editor_sees_an_archived_customer_read_only_and_who_may_restore_it(app_db,
                                                                              configured):
    customer = archive_customer(make_customer().id, actor=admin("test"))
    roles.grant_role("eddie@example.com", EDITOR, actor=roles.local_actor())
    configured(local_user="eddie@example.com")
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    open_profile(at, customer.id)
    assert shown(at.info, "read-only until it is restored. An admin can restore it.")
    assert [b.label for b in at.main.button] == []
    assert facts(at, "Business Information")["Customer Name"] == "Acme Analytics GmbH"
