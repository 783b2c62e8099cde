"""What each role sees, the local-mode banner, Settings -> Roles and the Activity page."""


import pytest
from streamlit.testing.v1 import AppTest

from services import roles
from services.access import EDITOR, Actor
from services.activity import PAGE_SIZE
from services.capped_counts import CAP
from services.customers import update_customer
from services.saved_views import list_views, save_view
from tests.app.conftest import APP, as_read, open_page, select_row, shown
from tests.unit.factories import log_events, make_customer

PROFILE = "app_pages/customer_profile.py"


def start(configured, email: str | None) -> AppTest:
    configured(local_user=email)
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def enabled_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button if not b.disabled]


def enabled_inputs(at: AppTest) -> list:
    widgets = [*at.text_input, *at.number_input, *at.checkbox, *at.toggle, *at.text_area]
    return [w.label for w in widgets if not w.disabled]


def test_local_mode_says_sign_in_is_off(app_db, configured):
    at = start(configured, None)
    assert shown(at.info, "Sign-in is off: everyone who opens Customer Desk acts as "
                          "admin@localhost (admin)")
    assert shown(at.sidebar.caption, "Signed in as admin@localhost · admin")


def test_a_viewer_sees_customers_but_no_edit_control(app_db, configured):
    customer = make_customer()
    at = start(configured, "vera@example.com")
    assert shown(at.sidebar.caption, "vera@example.com · viewer")
    assert "New Customer" not in enabled_buttons(at)
    open_page(at, PROFILE, customer=str(customer.id))
    assert at.title[0].value == "Acme Analytics GmbH"
    assert enabled_buttons(at) == []
    assert enabled_inputs(at) == []
    assert all(s.disabled for s in at.selectbox)


def test_an_editor_edits_but_cannot_archive(app_db, configured):
    customer = make_customer()
    roles.grant_role("eddie@example.com", EDITOR, actor=roles.local_actor())
    at = start(configured, "eddie@example.com")
    open_page(at, PROFILE, customer=str(customer.id))
    buttons = enabled_buttons(at)
    assert "Edit" in buttons and "+ New Contact" in buttons
    assert "Archive" not in buttons
    at.button(key=f"profile.{customer.id}.business_information.edit").click().run()
    assert "Save Business Information" in enabled_buttons(at)


@pytest.mark.parametrize("verified", [True, False])
def test_an_email_the_provider_has_not_verified_earns_no_role(app_db, configured, verified):
    configured(local_user=None)
    roles.grant_role("@example.com", EDITOR, actor=roles.local_actor())
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback",
                          "cookie_secret": "s", "client_id": "desk", "client_secret": "s",
                          "server_metadata_url": "https://login.example/.well-known"}
    at.user = {"is_logged_in": True, "email": "mallory@example.com", "email_verified": verified}
    at.run()
    assert not at.exception, at.exception
    if verified:
        assert shown(at.sidebar.caption, "mallory@example.com · editor")
    else:
        assert shown(at.warning, "Your identity provider has not verified mallory@example.com")
        assert not shown(at.sidebar.caption, "mallory@example.com")
        assert [b.label for b in at.button] == ["Sign out"]


def test_only_who_saved_a_view_or_an_admin_may_delete_it(app_db, configured):
    roles.grant_role("eddie@example.com", EDITOR, actor=roles.local_actor())
    at = start(configured, "eddie@example.com")
    at.text_input(key="views.name").input("Eddie's view")
    next(b for b in at.button if b.label == "Save view").click().run()
    (mine,) = list_views()
    theirs = save_view("Grace's view", {**mine.state, "country": ["DE"]},
                       actor=Actor("grace@example.com", EDITOR))
    at.run()
    at.selectbox(key="views.pick").select(theirs.id).run()
    delete = next(b for b in at.button if b.label == "Delete view")
    assert delete.disabled
    assert "Only grace@example.com, who saved it" in as_read(delete.help)
    at.selectbox(key="views.pick").select(mine.id).run()
    next(b for b in at.button if b.label == "Delete view").click().run()
    assert [v.name for v in list_views()] == ["Grace's view"]


def test_settings_gives_and_takes_back_roles(app):
    open_page(app, "app_pages/settings.py")
    app.text_input(key="roles.subject").input("@example.com")
    app.selectbox(key="roles.role").select("editor")
    app.button(key="roles.grant").click().run()
    assert roles.role_for("grace@example.com") == "editor"
    app.text_input(key="roles.subject").input("not an email")
    app.button(key="roles.grant").click().run()
    assert shown(app.error, "not a valid email address")
    app.button(key="roles.revoke").click().run()
    assert roles.role_for("grace@example.com") is None


@pytest.fixture
def history(app_db):
    acme = make_customer()
    update_customer(acme.id, {"name": "Acme AG"}, version=None,
                    actor=Actor("grace@example.com", EDITOR))
    return acme


def test_activity_is_one_row_per_event_with_its_changes_on_selection(app, history):
    open_page(app, "app_pages/activity.py")
    table = app.dataframe[0].value
    assert list(table.columns) == ["When (UTC)", "Who", "What", "Customer", "Changes"]
    assert len(table) == 2  # the creation and the edit, whatever fields each changed
    edit = table.iloc[0]
    assert (edit["Who"], edit["What"]) == ("grace@example.com", "Edited customer")
    assert edit["Changes"] == "Customer Name: Acme Analytics GmbH → Acme AG"
    assert edit["Customer"] == f"customer?customer={history.id}#Acme%20AG%20%28%23{history.id}%29"
    created = table.iloc[1]["Changes"]
    assert created.split(" fields: ")[1].startswith("Customer Name, ")
    assert shown(app.caption, "2 events match · page 1 of 1")
    assert not app.table
    select_row(app, 0)
    changes = app.table[0].value
    assert [as_read(c) for c in changes.iloc[0]] == ["Customer Name", "Acme Analytics GmbH",
                                                     "Acme AG"]
    assert shown(app.markdown, "Edited customer")


def test_activity_filters_pages_and_exports(app, history):
    open_page(app, "app_pages/activity.py")
    app.selectbox(key="activity.who").select("grace@example.com").run()
    assert len(app.dataframe[0].value) == 1
    app.selectbox(key="activity.who").set_value(None).run()
    app.text_input(key="activity.customer_name").input("ACME ag").run()
    assert len(app.dataframe[0].value) == 2
    app.text_input(key="activity.customer_name").input("Bolt").run()
    assert shown(app.info, "No changes match these filters")
    app.text_input(key="activity.customer_name").input("").run()
    app.text_input(key="activity.customer").input("abc").run()
    assert shown(app.error, "Customer ID is a number")
    app.text_input(key="activity.customer").input(str(history.id + 1)).run()
    assert shown(app.info, "No changes match these filters")
    app.text_input(key="activity.customer").input(str(history.id)).run()
    export = next(b for b in app.button if b.label == "Export CSV")
    export.click().run()
    assert not app.exception


def test_activity_pages_through_a_long_log(app, history):
    for terms in range(31, 31 + PAGE_SIZE):
        update_customer(history.id, {"payment_terms_days": terms}, version=None,
                        actor=Actor("grace@example.com", EDITOR))
    open_page(app, "app_pages/activity.py")
    assert shown(app.caption, f"{PAGE_SIZE + 2} events match · page 1 of 2")
    assert len(app.dataframe[0].value) == PAGE_SIZE
    select_row(app, 0)
    assert app.table
    next(b for b in app.button if b.label == "Older →").click().run()
    assert shown(app.caption, "page 2 of 2")
    assert list(app.dataframe[0].value["What"]) == ["Edited customer", "Created customer"]
    assert not app.table  # the selection was of the other page's events


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_activity_past_the_cap_says_more_and_counts_all_on_request(app, history):
    log_events(CAP + 1)
    open_page(app, "app_pages/activity.py")
    assert shown(app.caption, f"More than {CAP:,} events match · page 1")
    button(app, "Count all").click().run()
    assert shown(app.caption, f"{CAP + 3:,} events match · page 1 of {CAP // PAGE_SIZE + 1}")
    assert "Count all" not in [b.label for b in app.button]
    app.text_input(key="activity.customer_name").input("acme").run()
    assert shown(app.caption, "2 events match · page 1 of 1")
    app.text_input(key="activity.customer_name").input("").run()  # the same filter again
    assert shown(app.caption, f"{CAP + 3:,} events match · page 1 of {CAP // PAGE_SIZE + 1}")


def test_activity_pages_past_the_cap_to_the_oldest_event(app, history):
    log_events(CAP + 1)
    open_page(app, "app_pages/activity.py")
    last = CAP // PAGE_SIZE + 1
    for _ in range(last - 1):
        button(app, "Older →").click().run()
    assert shown(app.caption, f"More than {CAP:,} events match · page {last}")
    assert list(app.dataframe[0].value["What"]) == ["Archived", "Edited customer",
                                                    "Created customer"]
    assert button(app, "Older →").disabled
    button(app, "← Newer").click().run()
    assert shown(app.caption, f"page {last - 1}")
    assert len(app.dataframe[0].value) == PAGE_SIZE


def test_profile_history_reads_the_same_log(app, history):
    open_page(app, PROFILE, customer=str(history.id))
    table = app.dataframe[0].value
    assert "Customer" not in table.columns
    assert table.iloc[0]["Who"] == "grace@example.com"
    select_row(app, 0)
    assert [as_read(c) for c in app.table[0].value.iloc[0]] == [
        "Customer Name", "Acme Analytics GmbH", "Acme AG"]
