"""Customers without a billing contact on the pages: the New Customer form still asks for the
contact's email, the profile flags a customer without one until a contact is added, the
Customers page filters them, and the import's dry run says where a currency came from."""

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from services.customer_queries import CustomerQuery, list_customers
from services.customers import create_customer
from tests.app.conftest import APP, open_page, shown
from tests.app.test_customers_page import grid, summary
from tests.app.test_import_page import upload
from tests.unit.factories import ACTOR, customer_input, make_customer

PROFILE = "app_pages/customer_profile.py"
IMPORT = "app_pages/import_customers.py"
NO_CONTACT_BADGE = ":red-badge[No billing contact]"


def emails(app) -> dict[str, str | None]:
    """The grid's rows as the page hands them to the component: name -> contact email."""
    (data,) = grid(app).proto.special_args
    frame = pa.ipc.open_stream(data.arrow_dataframe.data.data).read_all().to_pandas()
    return dict(zip(frame["name"], frame["primary_contact_email"], strict=True))


def without_contact(**overrides):
    values = {k: v for k, v in customer_input(**overrides).items()
              if not k.startswith("primary_contact_")}
    return create_customer(values, actor=ACTOR)


def test_the_new_customer_page_and_modal_still_require_the_contact_email(app):
    open_page(app, "app_pages/new_customer.py")
    app.text_input(key="new_customer_page.name").input("Initech")
    app.selectbox(key="new_customer_page.country").select("DE").run()
    app.button(key="new_customer_page.submit").click().run()
    assert shown(app.error, "Primary Contact Email is required.")
    open_page(app, "app_pages/customers.py")
    next(b for b in app.button if b.label == "New Customer").click().run()
    app.text_input(key="new_customer_modal.name").input("Initech")
    app.text_input(key="new_customer_modal.primary_contact_first_name").input("Bill")
    app.selectbox(key="new_customer_modal.country").select("DE").run()
    app.button(key="new_customer_modal.submit").click().run()
    assert shown(app.error, "Primary Contact Email is required.")
    assert list_customers(CustomerQuery()).total == 0


def test_the_profile_flags_a_customer_without_a_billing_contact_until_one_is_added(app_db):
    customer = without_contact()
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    open_page(app, PROFILE, customer=str(customer.id))
    assert NO_CONTACT_BADGE in [m.value for m in app.markdown]
    assert shown(app.caption, "No billing contact: invoices have nobody to go to.")
    assert shown(app.markdown, "No billing contact")  # the Primary contact fact
    assert shown(app.caption, "No contacts yet: the first one added becomes the primary")
    prefix = f"profile.{customer.id}.contacts"
    app.button(key=f"{prefix}.newbtn").click().run()
    app.text_input(key=f"{prefix}.new.email").input("ap@acme.example")
    next(b for b in app.button if b.label == "Add contact").click().run()
    assert not app.exception, app.exception
    assert NO_CONTACT_BADGE not in [m.value for m in app.markdown]
    assert shown(app.markdown, "ap@acme.example")
    assert any(":blue-badge[Primary]" in m.value for m in app.markdown)


def test_the_customers_page_filters_customers_without_a_billing_contact(app_db):
    make_customer(name="Has One", external_ids=["has"])
    without_contact(name="Bare", external_ids=["bare"])
    app = AppTest.from_file(APP, default_timeout=30)
    app.query_params["cols"] = ["name", "primary_contact_email"]
    app.run()
    assert summary(app) == "2 customers match"
    contact = app.selectbox(key="contact")
    assert contact.options == [
        "Any", "Has a billing contact", "No billing contact"]
    contact.select("no").run()
    assert summary(app) == "1 customer matches"
    assert emails(app) == {"Bare": None}
    assert app.query_params["contact"] == "no"  # a link a colleague can open


def test_a_link_with_the_filter_opens_filtered(app_db):
    make_customer(name="Has One", external_ids=["has"])
    without_contact(name="Bare", external_ids=["bare"])
    app = AppTest.from_file(APP, default_timeout=30)
    app.query_params["contact"] = ["yes"]
    app.query_params["cols"] = ["name", "primary_contact_email"]
    app.run()
    assert summary(app) == "1 customer matches"
    assert emails(app) == {"Has One": "billing@acme.example"}


def test_the_dry_run_says_which_currency_came_from_the_country(app, configured, tmp_path):
    configured(upload_dir=tmp_path / "uploads")
    path = tmp_path / "crm.csv"
    path.write_text("Customer Name,Country,Billing Currency,External IDs\n"
                    "Globex,DE,,crm-1\nInitech,US,USD,crm-2\nHooli,,,crm-3\n")
    open_page(app, IMPORT)
    upload(app, path)
    next(b for b in app.button if b.label == "Check file (dry run)").click().run()
    assert [m.value for m in app.metric] == ["2", "0", "0", "1"]
    assert shown(app.caption, "1 row without a Billing Currency takes its Country's currency")
    (preview,) = [d for d in app.dataframe if "Notes" in d.value.columns]
    notes = dict(zip(preview.value["Customer Name"], preview.value["Notes"], strict=True))
    assert notes["Globex"] == "Billing Currency EUR came from Country DE."
    assert notes["Initech"] == ""
    errors = dict(zip(preview.value["Customer Name"], preview.value["Errors"], strict=True))
    assert errors["Hooli"] == "Billing Currency is required."
