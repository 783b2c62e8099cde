from models.catalogue import form_fields
from models.sections import FORM_SECTIONS
from services.customer_queries import CustomerQuery, list_customers
from services.customers import get_customer
from services.legal_entities import create_legal_entity
from services.settings import set_tax_managed_by_integration
from tests.app.conftest import as_read, open_page, shown, texts
from tests.unit.factories import ACTOR, admin, make_customer

P = "new_customer_page"
M = "new_customer_modal"


def key(name: str, prefix: str = P) -> str:
    return f"{prefix}.{name}"


def labels(app) -> list[str]:
    return [as_read(w.label) for kind in (app.text_input, app.selectbox) for w in kind]


def test_form_shows_every_section_and_label_of_the_design(app):
    open_page(app, "app_pages/new_customer.py")
    assert texts(app.header) == [s.label for s in FORM_SECTIONS]
    shown_labels = set(labels(app))
    for section in FORM_SECTIONS:
        for spec in form_fields(section):
            if spec.key != "external_ids" and spec.only_if is None:
                assert spec.label_in_form + (" *" if spec.required else "") in shown_labels
    assert {"Customer Name *", "Primary Contact Email *", "First Name", "Last Name",
            "Country", "Billing Currency *", "Address Line 1", "Address Line 2", "City",
            "State", "Postal Code", "Legal Entity", "Tax Country", "Tax ID / VAT number",
            "Tax Rate", "External ID 1"} <= shown_labels
    assert app.text_input(key=key("tax_rate")).value == "0.00"


def test_required_fields_are_marked_before_anything_is_submitted(app):
    """DESIGN.md: a customer needs a name and a billing currency, and the form asks for the
    primary contact's email; exactly those three are marked."""
    open_page(app, "app_pages/new_customer.py")
    assert [label for label in labels(app) if label.endswith(" *")] == [
        "Customer Name *", "Primary Contact Email *", "Billing Currency *"]
    assert shown(app.caption, "Fields marked * are required.")
    assert not app.error


def in_order(app) -> list[str]:
    """Headings and field labels in the order the page shows them."""
    found = []
    for node in app.main:
        if getattr(node, "type", None) in ("header", "subheader"):
            found.append(as_read(node.value))
        elif getattr(node, "type", None) in ("text_input", "selectbox"):
            found.append(as_read(node.label))
    return found


def test_legal_entity_stands_under_business_information_not_external_identifiers(app):
    open_page(app, "app_pages/new_customer.py")
    order = in_order(app)
    at = order.index("Legal Entity")
    assert order[at - 1] == "Business Information"
    assert order.index("External Identifiers") > at


def test_choosing_a_country_prefills_its_currency_and_offers_its_states(app):
    open_page(app, "app_pages/new_customer.py")
    app.selectbox(key=key("country")).select("US").run()
    assert app.selectbox(key=key("currency")).value == "USD"
    state = app.selectbox(key=key("state:select"))
    assert "US-CA" in state.options or "California" in state.options
    app.selectbox(key=key("currency")).select("EUR").run()
    assert app.selectbox(key=key("currency")).value == "EUR"


def test_a_click_that_brings_back_an_empty_currency_still_gets_the_countrys(app):
    """The Create click left the browser before the Country rerun's prefill reached it: the
    click carries the country and an empty currency, and the form fills it again."""
    open_page(app, "app_pages/new_customer.py")
    app.selectbox(key=key("country")).select("DE").run()
    app.selectbox(key=key("currency")).select(None)
    app.text_input(key=key("name")).input("Initech")
    app.text_input(key=key("primary_contact_email")).input("nope")
    app.button(key=key("submit")).click().run()
    assert "Billing Currency is required" not in " ".join(texts(app.error))
    assert app.selectbox(key=key("currency")).value == "EUR"
    app.text_input(key=key("primary_contact_email")).input("bill@initech.example")
    app.selectbox(key=key("currency")).select(None)
    app.button(key=key("submit")).click().run()
    (row,) = list_customers(CustomerQuery()).rows
    assert get_customer(row.id).currency == "EUR"


def test_validation_messages_stand_under_fields_and_keep_what_was_typed(app):
    open_page(app, "app_pages/new_customer.py")
    app.text_input(key=key("name")).input("Initech")
    app.text_input(key=key("primary_contact_email")).input("nope")
    app.text_input(key=key("tax_rate")).input("150")
    app.button(key=key("submit")).click().run()
    errors = " ".join(texts(app.error))
    assert "Primary Contact Email is not a valid email address" in errors
    assert "Billing Currency is required" in errors
    assert "Tax Rate must be between 0 and 100" in errors
    assert shown(app.error, "Please correct the 3 fields marked below; nothing was saved.")
    assert app.text_input(key=key("name")).value == "Initech"
    assert app.text_input(key=key("primary_contact_email")).value == "nope"
    assert list_customers(CustomerQuery()).total == 0


def test_successful_create_shows_a_toast_and_opens_the_profile(app):
    open_page(app, "app_pages/new_customer.py")
    app.text_input(key=key("name")).input("Initech")
    app.text_input(key=key("primary_contact_email")).input("bill@initech.example")
    app.selectbox(key=key("country")).select("DE").run()
    app.text_input(key=key("tax_rate")).input("8.875")
    app.text_input(key=key("external_ids.0")).input("initech-1")
    app.button(key=key("add_alias")).click().run()
    app.text_input(key=key("external_ids.1")).input("initech-2")
    app.button(key=key("submit")).click().run()
    assert not app.exception
    (row,) = list_customers(CustomerQuery()).rows
    customer = get_customer(row.id)
    assert (customer.name, customer.currency, str(customer.tax_rate)) == ("Initech", "EUR",
                                                                         "8.875")
    assert [a.value for a in customer.aliases] == ["initech-1", "initech-2"]
    assert "Customer Initech created." in texts(app.toast)
    assert app.query_params["customer"] == str(customer.id)
    assert "Initech" in texts(app.title)


def test_tax_rate_is_read_only_when_an_integration_manages_it(app):
    set_tax_managed_by_integration(True, actor=admin("test"))
    open_page(app, "app_pages/new_customer.py")
    assert app.text_input(key=key("tax_rate")).disabled
    assert shown(app.caption, "managed by the tax integration")


def test_every_refusal_shows_at_once_under_its_field_uniqueness_included(app):
    holder = make_customer(name="Holder Inc", external_ids=["crm-7", "cus_ACME1"])
    open_page(app, "app_pages/new_customer.py")
    app.text_input(key=key("primary_contact_email")).input("nope")
    app.text_input(key=key("tax_id")).input("DE136695977")
    app.selectbox(key=key("country")).select("DE").run()
    app.text_input(key=key("external_ids.0")).input("crm-7")
    for row, typed in ((1, "CUS_ACME1"), (2, "fresh-1"), (3, "fresh-1")):
        app.button(key=key("add_alias")).click().run()
        app.text_input(key=key(f"external_ids.{row}")).input(typed)
    app.button(key=key("submit")).click().run()
    errors = texts(app.error)
    assert errors[0] == "Please correct the 6 fields marked below; nothing was saved."
    assert errors[1:] == [
        "Customer Name is required.",
        errors[2],
        "Tax ID / VAT number is not a valid tax ID for Germany: The number's checksum or "
        "check digit is invalid.",
        f'External ID "crm-7" already belongs to customer Holder Inc (#{holder.id}).',
        errors[5],
        'External ID "fresh-1" is listed twice.',
    ]
    assert "Primary Contact Email is not a valid email address" in errors[2]
    assert f'looks like "cus_ACME1", which belongs to customer Holder Inc (#{holder.id})' \
        in errors[5]
    assert list_customers(CustomerQuery()).total == 1


def test_each_external_id_row_is_labelled_and_removable(app):
    open_page(app, "app_pages/new_customer.py")
    app.text_input(key=key("external_ids.0")).input("first")
    app.button(key=key("add_alias")).click().run()
    app.text_input(key=key("external_ids.1")).input("second")
    app.button(key=key("add_alias")).click().run()
    app.text_input(key=key("external_ids.2")).input("third")
    app.run()
    assert [w.label for w in app.text_input if w.key.startswith(key("external_ids"))] == [
        "External ID 1", "External ID 2", "External ID 3"]
    app.button(key=key("remove_alias.0")).click().run()
    rows = [w for w in app.text_input if w.key.startswith(key("external_ids"))]
    assert [(w.label, w.value) for w in rows] == [("External ID 1", "second"),
                                                  ("External ID 2", "third")]
    app.text_input(key=key("name")).input("Initech")
    app.text_input(key=key("primary_contact_email")).input("bill@initech.example")
    app.selectbox(key=key("currency")).select("EUR")
    app.button(key=key("submit")).click().run()
    (row,) = list_customers(CustomerQuery()).rows
    assert [a.value for a in get_customer(row.id).aliases] == ["second", "third"]


def test_an_error_stays_with_its_row_when_a_row_above_is_removed(app):
    make_customer(name="Holder Inc", external_ids=["taken-1"])
    open_page(app, "app_pages/new_customer.py")
    app.text_input(key=key("external_ids.0")).input("fine-1")
    app.button(key=key("add_alias")).click().run()
    app.text_input(key=key("external_ids.1")).input("taken-1")
    app.button(key=key("submit")).click().run()
    assert shown(app.error, '"taken-1" already belongs to customer Holder Inc')
    app.button(key=key("remove_alias.0")).click().run()
    elements = [as_read(n.label if n.type == "text_input" else n.value)
                for n in app.main if getattr(n, "type", None) in ("text_input", "error")]
    at = elements.index("External ID 1")
    assert "already belongs to customer Holder Inc" in elements[at + 1]
    assert app.text_input(key=key("external_ids.1")).label == "External ID 1"


def test_a_tax_id_is_entered_validated_and_normalised_on_the_form(app):
    open_page(app, "app_pages/new_customer.py")
    app.text_input(key=key("name")).input("Initech")
    app.text_input(key=key("primary_contact_email")).input("bill@initech.example")
    app.selectbox(key=key("country")).select("US").run()
    app.selectbox(key=key("tax_country")).select("DE")
    app.text_input(key=key("tax_id")).input("DE 136,695 976")
    app.button(key=key("submit")).click().run()
    assert not app.error, texts(app.error)
    (row,) = list_customers(CustomerQuery()).rows
    customer = get_customer(row.id)
    assert (customer.country, customer.tax_country, customer.tax_id) == ("US", "DE",
                                                                         "DE136695976")


def test_a_legal_entity_is_chosen_under_business_information(app):
    entity = create_legal_entity("Acme Billing Ltd", actor=ACTOR)
    open_page(app, "app_pages/new_customer.py")
    app.text_input(key=key("name")).input("Initech")
    app.text_input(key=key("primary_contact_email")).input("bill@initech.example")
    app.selectbox(key=key("currency")).select("EUR")
    app.selectbox(key=key("legal_entity_id")).select(entity.id)
    app.button(key=key("submit")).click().run()
    (row,) = list_customers(CustomerQuery()).rows
    assert get_customer(row.id).legal_entity.name == "Acme Billing Ltd"


def open_modal(app):
    next(b for b in app.button if b.label == "New Customer").click().run()
    assert not app.exception, app.exception
    assert app.button(key=key("submit", M)).label == "Create Customer"


def asked_to_discard(app) -> bool:
    return shown(app.markdown, "Discard what you typed")


def test_cancelling_the_modal_with_a_draft_asks_and_keep_editing_brings_it_back(app):
    open_modal(app)
    app.text_input(key=key("name", M)).input("Initech")
    app.selectbox(key=key("country", M)).select("DE").run()
    app.button(key=key("cancel", M)).click().run()
    assert asked_to_discard(app)
    assert [b.label for b in app.button][-2:] == ["Keep editing", "Discard"]
    app.button(key="new_customer_discard.keep").click().run()
    assert not asked_to_discard(app)
    assert app.text_input(key=key("name", M)).value == "Initech"
    assert app.selectbox(key=key("country", M)).value == "DE"
    assert app.selectbox(key=key("currency", M)).value == "EUR"


def test_discarding_the_draft_closes_the_modal_and_the_next_one_starts_blank(app):
    open_modal(app)
    app.text_input(key=key("external_ids.0", M)).input("draft-1")
    app.button(key=key("cancel", M)).click().run()
    app.button(key="new_customer_discard.discard").click().run()
    assert not asked_to_discard(app)
    assert not [b for b in app.button if b.key == key("submit", M)]
    open_modal(app)
    assert app.text_input(key=key("external_ids.0", M)).value == ""
    assert list_customers(CustomerQuery()).total == 0


def test_cancelling_an_untouched_modal_closes_it_without_asking(app):
    open_modal(app)
    app.button(key=key("cancel", M)).click().run()
    assert not asked_to_discard(app)
    assert not [b for b in app.button if b.key == key("submit", M)]
