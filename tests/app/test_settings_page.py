from services.legal_entities import (
    create_legal_entity,
    get_legal_entity,
    list_legal_entities,
    update_legal_entity,
)
from services.settings import tax_managed_by_integration
from tests.app.conftest import open_page, shown
from tests.unit.factories import ACTOR, make_customer


def _entities_table(app) -> dict[str, list]:
    return {k: list(v) for k, v in app.dataframe[0].value.items()}


def test_add_a_legal_entity_with_its_details(app):
    open_page(app, "app_pages/settings.py")
    app.text_input(key="settings.entity_new.name").input("Meterly GmbH")
    app.selectbox(key="settings.entity_new.country").select("DE").run()
    assert app.selectbox(key="settings.entity_new.default_currency").value == "EUR"
    app.text_input(key="settings.entity_new.address_line1").input("Friedrichstraße 1")
    app.text_input(key="settings.entity_new.city").input("Berlin")
    app.selectbox(key="settings.entity_new.state:select").select("DE-BE")
    app.text_input(key="settings.entity_new.postal_code").input("10117")
    app.text_input(key="settings.entity_new.tax_id").input("de 136 695 976")
    assert app.selectbox(key="settings.entity_new.timezone").value == "Europe/Berlin"
    app.selectbox(key="settings.entity_new.timezone").select("Europe/Busingen")
    app.button(key="settings.add").click().run()
    table = _entities_table(app)
    row = table["Legal Entity"].index("Meterly GmbH")
    assert (table["Country"][row], table["Tax ID"][row], table["Currency"][row],
            table["Timezone"][row]) == ("Germany", "DE136695976", "EUR", "Europe/Busingen")
    assert app.text_input(key="settings.entity_new.name").value == ""  # ready for the next


def test_each_refused_field_is_named_and_what_was_typed_stays(app):
    open_page(app, "app_pages/settings.py")
    app.text_input(key="settings.entity_new.name").input("Meterly GmbH")
    app.selectbox(key="settings.entity_new.country").select("DE").run()
    app.text_input(key="settings.entity_new.tax_id").input("DE123")
    app.text_input(key="settings.entity_new.address_line1").input("Friedrichstraße 1")
    app.button(key="settings.add").click().run()
    assert shown(app.error, "Tax ID / VAT number is not a valid tax ID for Germany")
    assert shown(app.error, "City is required when an address is given")
    assert app.text_input(key="settings.entity_new.tax_id").value == "DE123"
    assert app.text_input(key="settings.entity_new.name").value == "Meterly GmbH"
    assert len(list_legal_entities()) == 1


def test_duplicate_legal_entity_is_refused_with_a_message(app):
    open_page(app, "app_pages/settings.py")
    app.text_input(key="settings.entity_new.name").input("default legal entity")
    app.button(key="settings.add").click().run()
    assert shown(app.error, "already exists")
    assert len(list_legal_entities()) == 1


def test_edit_a_legal_entity_and_a_stale_edit_is_refused(app):
    entity = create_legal_entity({"name": "Meterly Ltd", "country": "GB"}, actor=ACTOR)
    open_page(app, "app_pages/settings.py")
    app.selectbox(key="settings.edit_entity").select(entity.id).run()
    assert app.text_input(key="settings.entity_edit.name").value == "Meterly Ltd"
    assert app.selectbox(key="settings.entity_edit.default_currency").value == "GBP"
    app.text_input(key="settings.entity_edit.city").input("London")
    app.text_input(key="settings.entity_edit.address_line1").input("1 Long Acre")
    app.button(key="settings.save_entity").click().run()
    assert get_legal_entity(entity.id).city == "London"
    assert shown(app.toast, "Legal entity Meterly Ltd saved.")
    # Another admin saves in between: this form's save is refused, what it holds stays.
    update_legal_entity(entity.id, {"postal_code": "WC2E 9LH"}, version=2, actor=ACTOR)
    app.text_input(key="settings.entity_edit.city").input("Manchester")
    app.button(key="settings.save_entity").click().run()
    assert shown(app.error, "changed by someone else")
    assert app.text_input(key="settings.entity_edit.city").value == "Manchester"
    assert get_legal_entity(entity.id).city == "London"


def test_delete_asks_first_and_an_entity_in_use_cannot_be_deleted(app):
    used = create_legal_entity("Meterly Ltd", actor=ACTOR)
    spare = create_legal_entity("Spare Inc.", actor=ACTOR)
    make_customer(legal_entity_id=used.id)
    open_page(app, "app_pages/settings.py")
    app.selectbox(key="settings.edit_entity").select(used.id).run()
    assert app.button(key="settings.delete_entity").disabled
    assert shown(app.caption, "Meterly Ltd bills customers, so it cannot be deleted")
    app.selectbox(key="settings.edit_entity").select(spare.id).run()
    assert not app.button(key="settings.delete_entity").disabled
    app.button(key="settings.delete_entity").click().run()
    assert shown(app.markdown, "Delete Spare Inc.? No customer is billed under it.")
    app.button(key="settings.entity_deleting.cancel").click().run()
    assert spare.id in [e.id for e in list_legal_entities()]
    app.button(key="settings.delete_entity").click().run()
    app.button(key="settings.entity_deleting.go").click().run()
    assert spare.id not in [e.id for e in list_legal_entities()]
    assert "Spare Inc." not in _entities_table(app)["Legal Entity"]


def test_tax_integration_switch_asks_first(app):
    open_page(app, "app_pages/settings.py")
    app.toggle(key="settings.tax_managed").set_value(True).run()
    assert not tax_managed_by_integration()  # only asked so far
    assert shown(app.markdown, "Tax Rate becomes read-only on every customer")
    app.button(key="settings.tax_switch.cancel").click().run()
    assert not tax_managed_by_integration()
    assert not shown(app.markdown, "Tax Rate becomes read-only")
    assert not app.toggle(key="settings.tax_managed").value
    app.toggle(key="settings.tax_managed").set_value(True).run()
    app.button(key="settings.tax_switch.go").click().run()
    assert tax_managed_by_integration()
    assert shown(app.caption, "managed by the tax integration")
    app.toggle(key="settings.tax_managed").set_value(False).run()
    assert shown(app.markdown, "Tax Rate is entered by hand on each customer again")
    app.button(key="settings.tax_switch.go").click().run()
    assert not tax_managed_by_integration()


def test_a_new_api_keys_secret_stays_until_dismissed(app):
    from services.api_keys import authenticate

    open_page(app, "app_pages/settings.py")
    app.text_input(key="keys.name").input("metering pipeline")
    app.selectbox(key="keys.role").select("write")
    app.button(key="keys.create").click().run()
    (secret,) = [c.value for c in app.code]
    assert authenticate(secret).name == "metering pipeline"
    app.text_input(key="settings.entity_new.name").input("Meterly GmbH")
    app.button(key="settings.add").click().run()  # another action on the page
    assert [c.value for c in app.code] == [secret]
    app.button(key="keys.secret_done").click().run()
    assert not app.code
    app.run()
    assert not app.code  # shown once


def test_revoking_an_api_key_asks_first(app):
    from services.api_keys import authenticate, create_api_key
    from tests.unit.factories import admin

    secret = create_api_key("metering", "read", actor=admin("t")).secret
    open_page(app, "app_pages/settings.py")
    app.button(key="keys.revoke").click().run()
    assert shown(app.markdown, "Revoke metering (")
    assert shown(app.markdown, "refused (401) from its next request on")
    app.button(key="keys.revoking.cancel").click().run()
    assert authenticate(secret) is not None
    assert not shown(app.markdown, "Revoke metering (")
    app.button(key="keys.revoke").click().run()
    app.button(key="keys.revoking.go").click().run()
    assert authenticate(secret) is None
    assert "Revoked" in list(app.dataframe[1].value["Status"])
