from services.customers import archive_customer
from tests.app.conftest import open_page, shown, texts
from tests.unit.factories import ACTOR, make_customer


def grid(app):
    (component,) = app.get("component_instance")
    return component


def test_empty_book_invites_the_first_customer(app):
    assert app.title[0].value == "Customers"
    assert shown(app.info, "No customers here yet")
    assert texts(app.caption)[0] == "0 customers match"


def test_grid_shows_the_columns_of_the_design(app_db, app):
    make_customer()
    app.run()
    assert texts(app.caption)[0] == "1 customer matches"
    spec = grid(app).proto.json_args
    for header in ("Customer Name", "Primary Contact Email", "Country", "Billing Currency",
                   "Legal Entity", "Payment Terms", "Auto Pay", "Tax Rate", "Created"):
        assert f'"headerName": "{header}"' in spec


def test_search_narrows_the_grid(app_db, app):
    make_customer(name="Acme", external_ids=["a"])
    make_customer(name="Bolt", external_ids=["b"], primary_contact_email="x@bolt.example")
    app.run()
    assert texts(app.caption)[0] == "2 customers match"
    app.text_input(key="customers.search").input("bolt.example").run()
    assert texts(app.caption)[0] == "1 customer matches"
    app.text_input(key="customers.search").input("nothing").run()
    assert shown(app.info, "No customer matches this search")


def test_archived_customers_leave_the_default_grid(app_db, app):
    customer = make_customer()
    archive_customer(customer.id, actor=ACTOR)
    app.run()
    assert texts(app.caption)[0] == "0 customers match"
    app.selectbox(key="customers.status").select("archived").run()
    assert texts(app.caption)[0] == "1 customer matches"


def test_selecting_a_row_offers_open_profile(app_db, app):
    customer = make_customer()
    app.run()
    app.session_state["customers.grid"] = {"selected": [customer.id]}
    app.run()
    (button,) = [b for b in app.button if b.label == "Open profile"]
    button.click().run()
    assert app.title[0].value == "Acme Analytics GmbH"


def test_deep_link_opens_the_profile(app_db, app):
    customer = make_customer()
    open_page(app, "app_pages/customers.py", customer=str(customer.id))
    assert app.title[0].value == "Acme Analytics GmbH"
