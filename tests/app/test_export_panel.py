"""The Customers page's export: a prepared file belongs to the filters that made it."""

import csv
import io
from pathlib import Path

from tests.unit.factories import make_customer


def downloads(app) -> list[str]:
    return [e.proto.label for e in app.get("download_button")]


def export(app, label: str = "Export CSV"):
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception, app.exception
    return app


def prepared(app) -> Path:
    return Path(app.session_state["export.ready"].path)


def three_customers(app):
    make_customer(name="Acme One", external_ids=["acme-1"], country="FR", state=None)
    make_customer(name="Acme Two", external_ids=["acme-2"])
    make_customer(name="Bolt", external_ids=["bolt-1"], primary_contact_email="ap@bolt.example")
    app.run()


def test_the_export_holds_the_filtered_set_with_ids_and_labels(app_db, app):
    three_customers(app)
    app.text_input(key="q").input("Acme").run()
    export(app)
    assert downloads(app) == ["Download 2 customers (.csv)"]
    rows = list(csv.reader(io.StringIO(prepared(app).read_text(encoding="utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[0] == "ID" and header[-1] == "External IDs"
    named = {r[header.index("Customer Name")]: r for r in body}
    assert set(named) == {"Acme One", "Acme Two"}
    assert named["Acme One"][header.index("Country")] == "France"
    assert named["Acme One"][header.index("Country code")] == "FR"
    assert named["Acme One"][-1] == "acme-1"


def test_a_filter_change_clears_the_prepared_file(app_db, app):
    three_customers(app)
    export(app, "Export Excel")
    assert downloads(app) == ["Download 3 customers (.xlsx)"]
    path = prepared(app)
    app.toggle(key="charts").set_value(True).run()  # not a filter: the file stays
    assert downloads(app) == ["Download 3 customers (.xlsx)"]
    app.text_input(key="q").input("Bolt").run()
    assert downloads(app) == []
    assert not path.exists()
    assert "export.ready" not in app.session_state
    export(app)
    assert downloads(app) == ["Download 1 customer (.csv)"]


def test_a_column_or_status_change_clears_it_too(app_db, app):
    three_customers(app)
    export(app)
    app.multiselect(key="cols").select("name").run()
    assert downloads(app) == []
    export(app)
    app.selectbox(key="status").select("all").run()
    assert downloads(app) == []


def test_a_customer_added_meanwhile_clears_it(app_db, app):
    three_customers(app)
    export(app)
    make_customer(name="Late", external_ids=["late-1"])
    app.run()
    assert downloads(app) == []
