"""The Import page picks the preset from the file's headers and says why; an admin turns an
unmapped column into a custom field that the same run imports into."""

import pytest
from streamlit.testing.v1 import AppTest

from services import custom_fields as cf
from services import roles
from services.access import EDITOR
from services.aliases import resolve_alias
from services.customers import get_customer
from services.import_new_fields import add_field_for_column
from tests.app.conftest import APP, open_page, shown, texts
from tests.app.test_import_page import PAGE, upload
from tests.hostile_files import HEADERS, rows, write_csv
from tests.unit.factories import admin

STRIPE_HEADERS = ["id", "Name", "Email", "Description", "Created (UTC)", "Currency",
                  "Delinquent", "Balance"]


def stripe_rows() -> list[list[str]]:
    return [STRIPE_HEADERS,
            ["cus_Nff1", "Globex", "ap@globex.example", "Globex Corporation",
             "2024-01-02 10:00", "usd", "true", "1200"],
            ["cus_Nff2", "Initech", "ap@initech.example", "", "2024-02-03 11:30", "usd",
             "false", "0"]]


@pytest.fixture
def uploads(tmp_path, configured):
    configured(upload_dir=tmp_path / "uploads")
    return tmp_path / "uploads"


def mapped(app) -> dict[str, str]:
    """The mapping step's table: column in file -> the field shown for it."""
    table = app.dataframe[1].value  # after the first rows of the file
    return dict(zip(table["Column in file"], table["Field"], strict=True))


def test_the_preset_is_detected_said_and_can_be_changed(app, uploads, tmp_path):
    open_page(app, PAGE)
    upload(app, write_csv(tmp_path / "stripe.csv", stripe_rows()))
    assert app.selectbox(key="import.preset").value == "stripe"
    assert shown(app.caption, 'Detected — Stripe customer export: the file has its columns '
                              '"id", "Created (UTC)"')
    assert mapped(app)["Email"] == "Primary Contact Email"
    app.selectbox(key="import.preset").set_value("customer_desk").run()
    app.run()  # the user's choice stays for this upload
    assert app.selectbox(key="import.preset").value == "customer_desk"
    assert shown(app.caption, "You chose Customer Desk template instead.")
    assert mapped(app)["Email"] == "— ignore —"
    upload(app, write_csv(tmp_path / "ours.csv", [HEADERS, *rows(1)]))  # a new upload
    assert app.selectbox(key="import.preset").value == "customer_desk"
    assert shown(app.caption, "Customer Desk template: 4 of the file's 4 columns carry our "
                              "field labels.")
    upload(app, write_csv(tmp_path / "stripe2.csv", stripe_rows()))
    assert app.selectbox(key="import.preset").value == "stripe"


def test_an_admin_makes_a_field_from_a_column_and_the_run_imports_into_it(app, uploads,
                                                                         tmp_path):
    open_page(app, PAGE)
    upload(app, write_csv(tmp_path / "stripe.csv", stripe_rows()))
    assert mapped(app)["Delinquent"] == "— ignore —"
    app.selectbox(key="import.new_field.column").set_value("Delinquent").run()
    index = STRIPE_HEADERS.index("Delinquent")
    assert app.text_input(key=f"import.new_field.label.{index}").value == "Delinquent"
    assert app.selectbox(key=f"import.new_field.kind.{index}").value == "bool"
    assert shown(app.caption, "Type guessed from the column's first 2 rows (2 with a value): "
                              "Yes/no.")
    app.text_input(key=f"import.new_field.label.{index}").set_value("Past due")
    app.button(key="import.new_field.create").click().run()
    assert not app.exception, app.exception
    assert shown(app.toast, "Custom field Past due created; the column Delinquent is mapped")
    assert [(f.label, f.kind) for f in cf.definitions()] == [("Past due", "bool")]
    assert mapped(app)["Delinquent"] == "Past due"
    assert "Delinquent" not in app.selectbox(key="import.new_field.column").options
    next(b for b in app.button if b.label == "Check file (dry run)").click().run()
    assert [m.value for m in app.metric] == ["2", "0", "0", "0"]
    app.button(key="import.run").click().run()
    assert not app.exception, app.exception
    past = app.dataframe[-1].value.iloc[0]  # Past imports
    assert (past["File"], past["Preset"], past["New"]) == ("stripe.csv",
                                                           "Stripe customer export", 2)
    assert get_customer(resolve_alias("cus_Nff1").id).custom_fields == {"past_due": True}
    assert get_customer(resolve_alias("cus_Nff2").id).custom_fields == {"past_due": False}


def test_a_taken_label_is_named_and_nothing_is_made(app, uploads, tmp_path):
    add_field_for_column("Balance", "integer", actor=admin("ada@example.com"))
    open_page(app, PAGE)
    upload(app, write_csv(tmp_path / "stripe.csv", stripe_rows()))
    assert mapped(app)["Balance"] == "— ignore —"  # the Stripe preset does not map it
    app.selectbox(key="import.new_field.column").set_value("Balance").run()
    index = STRIPE_HEADERS.index("Balance")
    assert app.selectbox(key=f"import.new_field.kind.{index}").value == "integer"
    app.button(key="import.new_field.create").click().run()
    assert shown(app.error, 'Label: a custom field labelled "Balance" exists already')
    assert not app.toast
    assert [f.label for f in cf.definitions()] == ["Balance"]


def test_an_editor_is_told_an_admin_can_make_fields(app_db, uploads, tmp_path, configured):
    roles.grant_role("eddie@example.com", EDITOR, actor=roles.local_actor())
    configured(local_user="eddie@example.com")
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    open_page(app, PAGE)
    upload(app, write_csv(tmp_path / "stripe.csv", stripe_rows()))
    assert "Mapping" in texts(app.header)
    assert shown(app.caption, "An admin can turn a column no field reads into a custom field")
    assert not [b for b in app.button if b.key == "import.new_field.create"]
    assert not [s for s in app.selectbox if s.key == "import.new_field.column"]
