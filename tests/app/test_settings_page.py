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


def test_tax_integration_switch(app):
    open_page(app, "app_pages/settings.py")
    app.toggle(key="settings.tax_managed").set_value(True).run()
    assert tax_managed_by_integration()
    assert shown(app.caption, "managed by the tax integration")
    app.toggle(key="settings.tax_managed").set_value(False).run()
    assert not tax_managed_by_integration()


def test_create_an_api_key_shows_it_once_and_revoke_it(app):
    from services.api_keys import authenticate, list_api_keys

    open_page(app, "app_pages/settings.py")
    app.text_input(key="keys.name").input("metering pipeline")
    app.selectbox(key="keys.role").select("write")
    app.button(key="keys.create").click().run()
    (secret,) = [c.value for c in app.code]
    assert authenticate(secret).name == "metering pipeline"
    app.run()
    assert not app.code  # shown once
    (key,) = list_api_keys()
    app.selectbox(key="keys.revoke_pick").select(key.id)
    app.button(key="keys.revoke").click().run()
    assert authenticate(secret) is None
