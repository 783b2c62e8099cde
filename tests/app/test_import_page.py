import pytest

from services.aliases import resolve_alias
from services.imports import list_runs, run_import
from services.imports.report import WRITTEN_KEPT
from tests.app.conftest import as_read, open_page, shown, texts
from tests.hostile_files import CASES, HEADERS, REFUSED, rows, write_csv
from tests.unit.factories import admin, make_customer

PAGE = "app_pages/import_customers.py"


@pytest.fixture
def uploads(tmp_path, configured):
    configured(upload_dir=tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return {case.name: case.build(folder) for case in CASES}


def upload(app, path, name: str | None = None):
    app.file_uploader(key="import.file").set_value(
        (name or path.name, path.read_bytes(), "application/octet-stream"))
    app.run()
    assert not app.exception, app.exception
    return app


def test_import_page_offers_the_template_and_lists_past_imports(app, tmp_path):
    open_page(app, PAGE)
    assert app.title[0].value == "Import customers"
    assert shown(app.info, "Choose a file")
    assert app.selectbox(key="import.preset").options == [
        "Customer Desk template", "Chargebee customers (bulk operation)",
        "Chargebee customers export", "HubSpot companies export", "Lago customers",
        "Salesforce Accounts (Data Loader)", "Salesforce Accounts report",
        "Stripe customer export"]
    assert shown(app.caption, "No imports yet.")
    path = tmp_path / "one.csv"
    path.write_text("Customer Name,Billing Currency,Primary Contact Email,External IDs\n"
                    "Acme,EUR,ap@acme.example,acme-1\n")
    run_import(path, {"Customer Name": "name", "Billing Currency": "currency",
                      "Primary Contact Email": "primary_contact_email",
                      "External IDs": "external_ids"}, mode="valid_only", actor=admin("t"))
    app.run()
    (table,) = app.dataframe
    assert table.value.iloc[0]["File"] == "one.csv" and table.value.iloc[0]["New"] == 1
    assert "Past imports" in texts(app.header)


@pytest.mark.parametrize("case", REFUSED, ids=str)
def test_the_page_names_what_is_wrong_with_each_hostile_file(case, app, uploads, corpus):
    open_page(app, PAGE)
    if case.encoding:
        upload(app, corpus[case.name])
        app.selectbox(key="import.encoding").set_value(case.encoding).run()
    else:
        upload(app, corpus[case.name])
    assert shown(app.error, case.refusal), texts(app.error)
    assert "Mapping" not in texts(app.header)
    assert "Past imports" in texts(app.header)  # the rest of the page is still there


def test_an_encoding_is_detected_and_can_be_chosen(app, uploads, corpus):
    open_page(app, PAGE)
    upload(app, corpus["Windows-1252 with semicolons"])
    assert shown(app.caption, "1 row and 4 columns, read as Windows-1252 text separated by "
                              "semicolons.")
    app.selectbox(key="import.encoding").set_value("utf-8-sig").run()
    assert shown(app.error, "The file is not UTF-8 text")
    app.selectbox(key="import.encoding").set_value("cp1252").run()
    assert not app.error and "Mapping" in texts(app.header)


def test_a_file_is_read_once_per_upload_not_on_every_rerun(app, uploads, tmp_path):
    open_page(app, PAGE)
    upload(app, write_csv(tmp_path / "book.csv", [HEADERS, *rows(3)]))
    (stored,) = uploads.glob("*/upload.csv")
    stored.write_text("Something else entirely\n")  # a reread would show this header
    app.selectbox(key="import.preset").set_value("stripe").run()
    assert shown(app.caption, "3 rows and 4 columns")
    mapping = app.dataframe[1].value  # after the first rows of the file
    assert list(mapping["Column in file"]) == HEADERS
    upload(app, write_csv(tmp_path / "other.csv", [["Name"], ["Acme"]]))
    assert shown(app.caption, "1 row and 1 column")


def test_the_same_file_uploaded_twice_is_kept_twice(app, uploads, tmp_path):
    open_page(app, PAGE)
    path = write_csv(tmp_path / "book.csv", [HEADERS, *rows(1)])
    upload(app, path)
    upload(app, path)
    assert len(list(uploads.glob("*/upload.csv"))) == 2


def test_check_and_import_a_file_through_the_page(app, uploads, tmp_path):
    open_page(app, PAGE)
    upload(app, write_csv(tmp_path / "book.csv", [HEADERS, *rows(2), ["Bad", "EURO", "b@x.io",
                                                                       "hf-bad"]]))
    next(b for b in app.button if b.label == "Check file (dry run)").click().run()
    assert "Dry run" in texts(app.header)
    assert [m.value for m in app.metric] == ["2", "0", "0", "1"]
    app.button(key="import.run").click().run()
    assert not app.exception, app.exception
    (invalid,) = uploads.glob("*/invalid-rows.csv")
    assert "hf-bad" in invalid.read_text(encoding="utf-8-sig")


def downloads(app) -> list[str]:
    return [d.proto.label for d in app.get("download_button")]


def links(app) -> dict[str, str]:
    """Each page link's text -> its page and query."""
    return {as_read(link.proto.label): (link.proto.page, link.proto.query_string)
            for link in app.get("page_link")}


def profile(customer_id: int) -> tuple[str, str]:
    return "customer", f"customer={customer_id}"


def test_the_invalid_rows_are_offered_right_after_the_dry_run(app, uploads, tmp_path):
    open_page(app, PAGE)
    upload(app, write_csv(tmp_path / "book.csv", [HEADERS, *rows(1), ["Bad", "EURO", "b@x.io",
                                                                       "hf-bad"]]))
    next(b for b in app.button if b.label == "Check file (dry run)").click().run()
    assert downloads(app) == ["Download the Customer Desk template",
                              "Download the 1 invalid rows with their errors"]
    (checked,) = uploads.glob("*/checked-*-invalid-rows.csv")
    assert "hf-bad" in checked.read_text(encoding="utf-8-sig")
    assert list_runs() == []  # nothing imported


def test_an_imports_result_stays_with_links_until_another_file(app, uploads, tmp_path):
    make_customer(name="Held", external_ids=["hf-0"])
    open_page(app, PAGE)
    upload(app, write_csv(tmp_path / "book.csv", [
        HEADERS, ["Held [renamed](http://evil.example)", "EUR", "ap0@acme.example", "hf-0"],
        *rows(3, start=1), ["Bad", "EURO", "b@x.io", "hf-bad"]]))
    next(b for b in app.button if b.label == "Check file (dry run)").click().run()
    app.button(key="import.run").click().run()
    assert "Import result" in texts(app.subheader)
    assert [m.value for m in app.metric] == ["2", "1", "0", "1"]
    expected = {"Held [renamed](http://evil.example)": profile(resolve_alias("hf-0").id),
                **{f"Acme {n}": profile(resolve_alias(f"hf-{n}").id) for n in (1, 2)}}
    assert links(app) == expected
    app.selectbox(key="import.preset").set_value("stripe").run()  # any other rerun
    assert "Import result" in texts(app.subheader) and links(app) == expected
    assert "Download the 1 invalid rows with their errors" in downloads(app)
    upload(app, write_csv(tmp_path / "other.csv", [HEADERS, *rows(1)]))
    assert "Import result" not in texts(app.subheader) and not links(app)


def test_a_large_imports_links_are_bounded(app, uploads, tmp_path):
    open_page(app, PAGE)
    upload(app, write_csv(tmp_path / "book.csv", [HEADERS, *rows(WRITTEN_KEPT + 5)]))
    next(b for b in app.button if b.label == "Check file (dry run)").click().run()
    app.button(key="import.run").click().run()
    assert len(links(app)) == WRITTEN_KEPT
    assert shown(app.caption, "and 5 more: Activity lists every one.")
