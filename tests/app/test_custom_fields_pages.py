"""Custom fields in the pages: defined in Settings, filled on the New Customer form, edited
in their profile section."""

from datetime import date

from services import custom_fields as cf
from services.customer_queries import CustomerQuery, list_customers
from services.customers import get_customer
from tests.app.conftest import open_page, shown, texts
from tests.unit.factories import ACTOR, make_customer

NEW = "new_customer_page"


def define_segment_and_contract_end() -> None:
    cf.add_custom_field({"key": "contract_end", "label": "Contract end", "kind": "date",
                         "section": "Business Information"}, actor=ACTOR)
    cf.add_custom_field({"key": "segment", "label": "Segment", "kind": "choice",
                         "options": ["SMB", "Enterprise"], "section": "Business Information",
                         "grid_default": True}, actor=ACTOR)


def test_settings_adds_a_field_and_names_a_bad_key(app):
    open_page(app, "app_pages/settings.py")
    app.text_input(key="custom.add.key").input("Contract End")
    app.text_input(key="custom.add.label").input("Contract end")
    app.selectbox(key="custom.add.kind").select("date")
    app.button(key="custom.add.submit").click().run()
    assert shown(app.error, "Key must start with a lower-case letter")
    app.text_input(key="custom.add.key").input("contract_end")
    app.button(key="custom.add.submit").click().run()
    assert [d.label for d in cf.definitions()] == ["Contract end"]
    app.text_input(key="custom.edit.label").input("Contract ends")
    app.button(key="custom.edit.save").click().run()
    assert [d.label for d in cf.definitions()] == ["Contract ends"]
    app.button(key="custom.edit.retire").click().run()
    assert cf.definitions() == [] and len(cf.definitions(retired=True)) == 1
    app.button(key="custom.restore").click().run()
    assert [d.key for d in cf.definitions()] == ["contract_end"]


def test_settings_refuses_a_label_of_a_built_in_field_or_another_fields(app):
    cf.add_custom_field({"key": "segment", "label": "Segment", "kind": "text"}, actor=ACTOR)
    open_page(app, "app_pages/settings.py")
    app.text_input(key="custom.add.key").input("shadow")
    app.text_input(key="custom.add.label").input("customer name")
    app.button(key="custom.add.submit").click().run()
    assert shown(app.error, '"customer name" is the label of a built-in field')
    app.text_input(key="custom.add.label").input("SEGMENT")
    app.button(key="custom.add.submit").click().run()
    assert shown(app.error, 'a custom field labelled "SEGMENT" exists already')
    assert [d.key for d in cf.definitions()] == ["segment"]
    assert app.text_input(key="custom.add.key").value == "shadow"


def test_the_new_customer_form_asks_for_custom_fields(app):
    define_segment_and_contract_end()
    open_page(app, "app_pages/new_customer.py")
    assert "Additional Fields" in texts(app.header)
    app.text_input(key=f"{NEW}.name").input("Initech")
    app.text_input(key=f"{NEW}.primary_contact_email").input("ap@initech.example")
    app.selectbox(key=f"{NEW}.currency").select("USD")
    app.selectbox(key=f"{NEW}.cf_segment").select("Enterprise")
    app.date_input(key=f"{NEW}.cf_contract_end").set_value(date(2027, 3, 31))
    app.button(key=f"{NEW}.submit").click().run()
    (row,) = list_customers(CustomerQuery(search="Initech")).rows
    assert get_customer(row.id).custom_fields == {"segment": "Enterprise",
                                                  "contract_end": "2027-03-31"}


def test_a_profile_section_edits_its_custom_fields(app):
    define_segment_and_contract_end()
    customer = make_customer(cf_segment="SMB")
    open_page(app, "app_pages/customer_profile.py", customer=str(customer.id))
    prefix = f"profile.{customer.id}.business_information"
    app.button(key=f"{prefix}.edit").click().run()
    assert app.selectbox(key=f"{prefix}.cf_segment").value == "SMB"
    app.selectbox(key=f"{prefix}.cf_segment").select("Enterprise")
    app.button(key=f"{prefix}.save").click().run()
    assert get_customer(customer.id).custom_fields == {"segment": "Enterprise"}


def test_the_grid_filters_by_a_custom_field_and_a_saved_view_keeps_it(app):
    define_segment_and_contract_end()
    make_customer(name="Small One", cf_segment="SMB", external_ids=["s-1"],
                  primary_contact_email="s1@acme.example")
    make_customer(name="Big One", cf_segment="Enterprise", external_ids=["b-1"],
                  primary_contact_email="b1@acme.example")
    open_page(app, "app_pages/customers.py")
    assert shown(app.markdown, "2 customers match")
    app.multiselect(key="cf_segment").select("SMB").run()
    assert shown(app.markdown, "1 customer matches")
    app.text_input(key="views.name").input("Small ones")
    next(b for b in app.button if b.label == "Save view").click().run()
    from services.saved_views import list_views
    (view,) = list_views()
    assert view.state["cf_segment"] == ["SMB"]


def test_a_yes_no_field_never_set_shows_unticked_and_saves(app):
    customer = make_customer()
    cf.add_custom_field({"key": "vip", "label": "VIP", "kind": "bool",
                         "section": "Business Information"}, actor=ACTOR)
    open_page(app, "app_pages/customer_profile.py", customer=str(customer.id))
    app.button(key=f"profile.{customer.id}.business_information.edit").click().run()
    box = app.checkbox(key=f"profile.{customer.id}.business_information.cf_vip")
    assert box.value is False
    box.check()
    app.button(key=f"profile.{customer.id}.business_information.save").click().run()
    assert get_customer(customer.id).custom_fields == {"vip": True}


def test_a_number_range_end_no_value_can_be_compared_with_is_named_and_left_out(app):
    cf.add_custom_field({"key": "seats", "label": "Seats", "kind": "integer"}, actor=ACTOR)
    make_customer(name="Small One", cf_seats="5", external_ids=["s-1"],
                  primary_contact_email="s1@acme.example")
    open_page(app, "app_pages/customers.py")
    for typed in ("nan", "1e999999", "٣", "0.0000001"):
        app.text_input(key="cf_seats_from").input(typed).run()
        assert not app.exception, app.exception
        assert shown(app.caption, "Seats from must be a number from -1,000,000,000,000,000")
        assert shown(app.markdown, "1 customer matches")
    app.text_input(key="cf_seats_from").input("6").run()
    assert shown(app.markdown, "0 customers match")
