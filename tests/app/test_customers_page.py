import json

from streamlit.testing.v1 import AppTest

from bench.generate import generate
from services.capped_counts import CAP
from services.customers import archive_customer, get_customer, update_customer
from services.saved_views import list_views
from tests.app.conftest import APP, open_page, shown, texts
from tests.unit.factories import ACTOR, make_customer


def grid(app):
    (component,) = app.get("component_instance")
    return component


def summary(app) -> str:
    return next(t for t in texts(app.markdown) if "match" in t).strip("*")


def test_empty_book_invites_the_first_customer(app):
    assert app.title[0].value == "Customers"
    assert shown(app.info, "No customers here yet")
    assert summary(app) == "0 customers match"


def test_grid_shows_the_columns_of_the_design(app_db, app):
    make_customer()
    app.run()
    assert summary(app) == "1 customer matches"
    spec = grid(app).proto.json_args
    for header in ("Customer Name", "Primary Contact Email", "Country", "Billing Currency",
                   "Legal Entity", "Payment Terms", "Auto Pay", "Tax Rate", "Created"):
        assert f'"headerName": "{header}"' in spec


def test_search_narrows_the_grid(app_db, app):
    make_customer(name="Acme", external_ids=["a"])
    make_customer(name="Bolt", external_ids=["b"], primary_contact_email="x@bolt.example")
    app.run()
    assert summary(app) == "2 customers match"
    app.text_input(key="q").input("bolt.example").run()
    assert summary(app) == "1 customer matches"
    app.text_input(key="q").input("nothing").run()
    assert shown(app.info, "No customer matches these filters")


def test_filters_combine(app_db, app):
    make_customer(name="Acme", external_ids=["a"])
    make_customer(name="Bolt", external_ids=["b"], country="US", currency="USD", state="CA")
    make_customer(name="Cafe", external_ids=["c"], country="FR", currency="EUR", state=None)
    app.run()
    app.multiselect(key="country").select("US").select("FR").run()
    assert summary(app) == "2 customers match"
    app.multiselect(key="currency").select("EUR").run()
    assert summary(app) == "1 customer matches"
    assert "Filters (2 active)" in [e.label for e in app.expander]


def test_archived_customers_leave_the_default_grid(app_db, app):
    customer = make_customer()
    archive_customer(customer.id, actor=ACTOR)
    app.run()
    assert summary(app) == "0 customers match"
    app.selectbox(key="status").select("archived").run()
    assert summary(app) == "1 customer matches"


def test_names_link_to_profiles_from_a_pinned_column(app_db, app):
    make_customer()
    app.run()
    options = json.loads(grid(app).proto.json_args)["gridOptions"]
    (name,) = [c for c in options["columnDefs"] if c["field"] == "name"]
    assert name["pinned"] == "left"
    assert "customer?customer=" in name["cellRenderer"] and "textContent" in name["cellRenderer"]
    assert options["rowSelection"]["enableClickSelection"] is False
    assert shown(app.caption, "Click a name (or press Enter on a row) to open its profile")


def two_of_three_selected_for_net_60(app) -> list[int]:
    """Three customers; the first two selected in the grid, Set Payment Terms to Net 60
    chosen but not yet applied. Returns the three ids."""
    ids = [make_customer(name=f"C{i}", external_ids=[f"c{i}"]).id for i in range(3)]
    app.run()
    app.session_state["customers.grid"] = {"selected": ids[:2]}
    app.run()
    app.selectbox(key="bulk.action").select("set_payment_terms").run()
    app.selectbox(key="bulk.payment_terms_days").select(60)
    return ids


def test_bulk_action_on_selected_rows(app_db, app):
    ids = two_of_three_selected_for_net_60(app)
    app.button(key="bulk.apply").click().run()
    assert [get_customer(i).payment_terms_days for i in ids] == [60, 60, 30]
    assert shown(app.markdown, "Set Payment Terms: 2 customers changed.")


def test_a_bulk_action_over_a_row_saved_by_someone_else_changes_nothing(app_db, app):
    ids = two_of_three_selected_for_net_60(app)
    update_customer(ids[1], {"payment_terms_days": "Net 15"}, version=1, actor=ACTOR)
    app.button(key="bulk.apply").click().run()
    assert [get_customer(i).payment_terms_days for i in ids] == [30, 15, 30]
    assert any("changed by someone else since the list was loaded" in e.value
               for e in app.error)


def test_save_and_pick_a_view(app_db, app):
    make_customer(name="Acme", external_ids=["a"])
    make_customer(name="Bolt", external_ids=["b"], country="US", currency="USD", state="CA")
    app.run()
    app.multiselect(key="country").select("US").run()
    app.text_input(key="views.name").input("US customers")
    app.button[[b.label for b in app.button].index("Save view")].click().run()
    (view,) = list_views()
    assert view.state["country"] == ["US"]
    app.multiselect(key="country").unselect("US").run()
    assert summary(app) == "2 customers match"
    app.selectbox(key="views.pick").select(view.id).run()
    assert summary(app) == "1 customer matches"


def test_deep_link_opens_the_profile(app_db, app):
    customer = make_customer()
    open_page(app, "app_pages/customers.py", customer=str(customer.id))
    assert app.title[0].value == "Acme Analytics GmbH"


def test_no_bulk_action_is_chosen_until_the_user_picks_one(app_db, app):
    ids = [make_customer(name=f"C{i}", external_ids=[f"c{i}"]).id for i in range(2)]
    app.run()
    app.session_state["customers.grid"] = {"selected": ids}
    app.run()
    assert app.selectbox(key="bulk.action").value is None
    assert app.button(key="bulk.apply").disabled
    app.selectbox(key="bulk.action").select("restore").run()
    assert not app.button(key="bulk.apply").disabled


def test_archive_asks_naming_the_count_and_undo_brings_them_back(app_db, app):
    ids = [make_customer(name=f"C{i}", external_ids=[f"c{i}"]).id for i in range(3)]
    app.run()
    app.session_state["customers.grid"] = {"selected": ids[:2]}
    app.run()
    app.selectbox(key="bulk.action").select("archive").run()
    app.button(key="bulk.apply").click().run()
    assert [get_customer(i).status for i in ids] == ["active"] * 3  # asked, not yet done
    assert shown(app.markdown, "2 customers will leave the default grid")
    (go,) = [b for b in app.button if b.label == "Archive 2 customers"]
    go.click().run()
    assert [get_customer(i).status for i in ids] == ["archived", "archived", "active"]
    assert summary(app) == "1 customer matches"
    assert shown(app.markdown, "Archive: 2 customers changed.")

    app.button(key="bulk.undo").click().run()
    assert [get_customer(i).status for i in ids] == ["active"] * 3
    assert "Undo: 2 customers put back." in texts(app.toast)
    assert summary(app) == "3 customers match"


def test_undo_keeps_a_change_someone_made_since_and_says_so(app_db, app):
    ids = two_of_three_selected_for_net_60(app)
    app.button(key="bulk.apply").click().run()
    update_customer(ids[0], {"payment_terms_days": "Net 15"},
                    version=get_customer(ids[0]).version, actor=ACTOR)
    app.button(key="bulk.undo").click().run()
    assert [get_customer(i).payment_terms_days for i in ids] == [15, 30, 30]
    assert shown(app.warning, "1 could not be undone: changed since by someone else")


def test_a_link_s_columns_show_on_its_first_run(app_db):
    make_customer()
    app = AppTest.from_file(APP, default_timeout=30)
    app.query_params["cols"] = ["name", "tax_rate"]
    app.run()
    columns = json.loads(grid(app).proto.json_args)["gridOptions"]["columnDefs"]
    assert [c["field"] for c in columns if not c["hide"]] == ["name", "tax_rate"]


def url(app, key: str) -> list[str]:
    value = app.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def test_a_link_carries_codes_not_labels(app_db):
    """A shared link names choices by code (?status=archived, ?sort=created_at,
    ?country=FR), and choosing in the widgets writes codes back, never what they show."""
    make_customer()
    app = AppTest.from_file(APP, default_timeout=30)
    app.query_params.update({"status": "archived", "sort": "created_at", "desc": "true",
                             "country": ["FR", "France", "XX"], "cols": ["name", "Tax Rate"]})
    app.run()
    assert app.selectbox(key="status").value == "archived"
    assert app.selectbox(key="sort").value == "created_at"
    assert app.multiselect(key="country").value == ["FR"]  # a label or an unknown code: ignored
    assert app.multiselect(key="cols").value == ["name"]
    assert url(app, "country") == ["FR"]

    app.selectbox(key="status").select("all").run()
    app.multiselect(key="country").select("DE").run()
    app.selectbox(key="sort").select("tax_rate").run()
    assert url(app, "status") == ["all"]
    assert url(app, "country") == ["FR", "DE"]
    assert url(app, "sort") == ["tax_rate"]
    app.selectbox(key="status").select("active").run()
    assert "status" not in app.query_params  # a default leaves the link


def test_a_book_past_ten_thousand_is_counted_on_request(app_db, app):
    generate(CAP + 50, progress=lambda _: None)
    app.selectbox(key="status").select("all").run()
    assert summary(app) == "More than 10,000 customers match"
    assert shown(app.caption, "Rows 1–1,000 of more than 10,000")
    assert app.get("pagination")[0].proto.num_pages == 11  # the page after the cap too
    app.button(key="customers.count_all").click().run()
    assert summary(app) == "10,050 customers match"
    assert shown(app.caption, "Rows 1–1,000 of 10,050")
    assert not [b for b in app.button if b.key == "customers.count_all"]
    app.text_input(key="q").input("Acme").run()  # a new search is counted afresh
    assert "match" in summary(app)
