"""The Customers page's export: a prepared file belongs to the filters that made it."""

import csv
import io
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import app_test

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


@pytest.fixture
def served(monkeypatch):
    """What a click on a download button gets from Streamlit: the button's deferred file,
    run and stored by the media file manager of the app's last run, as the server does."""
    managers = []

    class Kept(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", Kept)

    def click(app) -> tuple[bytes, int]:
        """The bytes served and how many files Streamlit then holds in memory."""
        manager = managers[-1]
        url = manager.execute_deferred(app.get("download_button")[0].proto.deferred_file_id)
        stored = manager._storage.get_file(url.rsplit("/", 1)[-1])
        return stored.content, len(manager._storage._files_by_id)

    return click


def test_the_export_shows_its_progress_and_serves_the_file_from_disk(app_db, app, served):
    three_customers(app)
    export(app)
    [bar] = app.get("progress")
    assert bar.proto.value == 100 and bar.proto.text == "Exported 3 customers"
    path = prepared(app)
    content, held = served(app)
    assert content == path.read_bytes()
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 4
    content_again, held_again = served(app)  # a second click: still one copy in memory
    assert content_again == content and held == held_again == 1


def test_a_new_export_removes_the_previous_file(app_db, app):
    three_customers(app)
    export(app)
    first = prepared(app)
    export(app, "Export Excel")
    assert not first.exists() and prepared(app).exists()
    assert downloads(app) == ["Download 3 customers (.xlsx)"]
    app.run()  # any other rerun: no bar, the file and its button stay
    assert app.get("progress") == [] and downloads(app) == ["Download 3 customers (.xlsx)"]
