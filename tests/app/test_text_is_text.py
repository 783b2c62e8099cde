"""Markdown, HTML and addresses in names, labels, options and links reach Streamlit escaped
in every place they are shown, so the page shows them as typed (the Chromium test
tests/e2e/test_text_is_text.py shows what the browser makes of them)."""

from urllib.parse import unquote

import pytest

from components.text import md_escape
from services import custom_fields as cf
from services.legal_entities import create_legal_entity
from services.saved_views import save_view
from tests.app.conftest import as_read, open_page, select_row, texts
from tests.unit.factories import ACTOR, make_customer

MARKUP = ("[x](http://evil) ![i](http://127.0.0.1:9/x.png) <img src=x onerror=alert(1)> "
          "**b** :red[x] $x$")
ADDRESSES = "www.evil.example me@evil.example http://evil.example/a :smile:"
PAYLOADS = pytest.mark.parametrize("payload", [MARKUP, ADDRESSES], ids=["markup", "addresses"])
PROFILE = "app_pages/customer_profile.py"


def escaped_in(payload: str, markdown: list[str] | str) -> bool:
    """`payload` is in the markdown only in its escaped form, and reads as typed."""
    sources = [markdown] if isinstance(markdown, str) else markdown
    return any(md_escape(payload) in s and payload in as_read(s) for s in sources)


def values(elements) -> list[str]:
    return [str(e.value) for e in elements]


def labels(app) -> list[str]:
    widgets = [*app.text_input, *app.selectbox, *app.multiselect, *app.checkbox,
               *app.date_input, *app.text_area]
    return [w.label for w in widgets]


def helps(app) -> list[str]:
    return [w.help or "" for w in [*app.text_input, *app.selectbox, *app.multiselect]]


@PAYLOADS
def test_a_customer_link_with_markup_is_named_as_typed(app, payload):
    open_page(app, PROFILE, customer=payload)
    (message,) = values(app.error)
    assert escaped_in(payload, message)


@PAYLOADS
def test_a_customer_name_is_a_title_and_a_toast_as_typed(app, payload):
    open_page(app, "app_pages/new_customer.py")
    prefix = "new_customer_page"
    app.text_input(key=f"{prefix}.name").input(payload)
    app.text_input(key=f"{prefix}.primary_contact_email").input("ada@example.com")
    app.selectbox(key=f"{prefix}.country").select("DE").run()
    app.button(key=f"{prefix}.submit").click().run()
    assert escaped_in(payload, values(app.toast))
    assert f"Customer {payload} created." in texts(app.toast)
    assert values(app.title) == [md_escape(payload)]


@PAYLOADS
def test_a_legal_entity_and_contact_on_the_profile_as_typed(app, payload):
    entity = create_legal_entity(payload, actor=ACTOR)
    customer = make_customer(legal_entity_id=entity.id, primary_contact_first_name=payload,
                             primary_contact_last_name="")
    open_page(app, PROFILE, customer=str(customer.id))
    # the header's Legal Entity, Business Information's and the contact's name
    assert sum(escaped_in(payload, v) for v in values(app.markdown)) == 3


@PAYLOADS
def test_a_saved_view_name_reaches_its_toasts_as_typed(app, payload):
    make_customer()
    app.run()
    app.text_input(key="views.name").input(payload)
    next(b for b in app.button if b.label == "Save view").click().run()
    assert f"View {payload} saved." in texts(app.toast)
    assert escaped_in(payload, values(app.toast))


@PAYLOADS
def test_a_saved_view_picked_is_named_as_typed(app, payload):
    view = save_view(payload, {"country": ["DE"]}, actor=ACTOR)
    app.run()
    app.selectbox(key="views.pick").select(view.id).run()
    assert f"Showing the view {payload}." in texts(app.toast)
    assert escaped_in(payload, values(app.toast))


@PAYLOADS
def test_custom_field_label_help_and_options_everywhere_as_typed(app, payload):
    cf.add_custom_field({"key": "tier", "label": payload[:100], "kind": "choice",
                         "options": [payload, "plain"], "help": payload,
                         "section": "Business Information"}, actor=ACTOR)
    cf.add_custom_field({"key": "seats", "label": payload[:95] + " n", "kind": "integer",
                         "section": "Billing Address"}, actor=ACTOR)
    customer = make_customer()
    label = payload[:100]
    open_page(app, PROFILE, customer=str(customer.id))
    app.button(key=f"profile.{customer.id}.business_information.edit").click().run()
    app.button(key=f"profile.{customer.id}.billing_address.edit").click().run()
    assert md_escape(label) in labels(app)
    assert md_escape(payload) in helps(app)
    tier = app.selectbox(key=f"profile.{customer.id}.business_information.cf_tier")
    assert tier.options == [payload, "plain"]  # a select shows its options as plain text
    del app.query_params["customer"]
    open_page(app, "app_pages/new_customer.py")
    assert md_escape(label) in labels(app)
    open_page(app, "app_pages/customers.py")
    assert md_escape(label) in labels(app)  # its filter
    assert f"{md_escape(payload[:95] + ' n')} from" in labels(app)


@PAYLOADS
def test_settings_toasts_name_a_custom_field_as_typed(app, payload):
    open_page(app, "app_pages/settings.py")
    app.text_input(key="custom.add.key").input("tier")
    app.text_input(key="custom.add.label").input(payload[:100])
    app.button(key="custom.add.submit").click().run()
    assert f"Custom field {payload[:100]} added." in texts(app.toast)
    assert escaped_in(payload[:100], values(app.toast))


@PAYLOADS
def test_history_and_activity_cells_as_typed(app, payload):
    customer = make_customer(name=payload)
    open_page(app, PROFILE, customer=str(customer.id))
    (history,) = select_row(app, 0).table
    assert md_escape(payload) in history.value["New"].tolist()
    open_page(app, "app_pages/activity.py")
    link = app.dataframe[0].value["Customer"][0]
    assert unquote(link.split("#", 1)[1]) == f"{payload} (#{customer.id})"
    select_row(app, 0)
    assert escaped_in(payload, [e.proto.label for e in app.get("page_link")])
