from services.imports import run_import
from tests.app.conftest import open_page, shown, texts
from tests.unit.factories import admin


def test_import_page_offers_the_template_and_lists_past_imports(app, tmp_path):
    open_page(app, "app_pages/import_customers.py")
    assert app.title[0].value == "Import customers"
    assert shown(app.info, "Choose a file")
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
    assert "Past imports" in texts(app.subheader)
