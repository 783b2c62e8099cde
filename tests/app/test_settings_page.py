from services.legal_entities import list_legal_entities
from services.settings import tax_managed_by_integration
from tests.app.conftest import open_page, shown


def test_add_and_rename_a_legal_entity(app):
    open_page(app, "app_pages/settings.py")
    app.text_input(key="settings.new_entity").input("Meterly GmbH")
    app.button(key="settings.add").click().run()
    assert "Meterly GmbH" in list(app.dataframe[0].value["Legal Entity"])
    assert app.text_input(key="settings.new_entity").value == ""
    entity = next(e for e in list_legal_entities() if e.name == "Meterly GmbH")
    app.selectbox(key="settings.rename_entity").select(entity.id)
    app.text_input(key="settings.rename_to").input("Meterly Europe GmbH")
    app.button(key="settings.rename").click().run()
    assert "Meterly Europe GmbH" in [e.name for e in list_legal_entities()]


def test_duplicate_legal_entity_is_refused_with_a_message(app):
    open_page(app, "app_pages/settings.py")
    app.text_input(key="settings.new_entity").input("default legal entity")
    app.button(key="settings.add").click().run()
    assert shown(app.error, "already exists")
    assert len(list_legal_entities()) == 1


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
    app.text_input(key="settings.new_entity").input("Meterly GmbH")
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
