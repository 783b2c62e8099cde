"""An import never writes over a change committed after it read the customer (both databases).

The import keeps the customers it read locked until it commits (SQLite: its write lock), so a
save in between waits and is then refused as a conflict, and a save that came first is read
by the import and kept. Contacts are updated by id: the import's primary-contact change never
lands on another person.
"""

import csv
import random
import threading
from pathlib import Path

import pytest
from sqlmodel import select

from models.contact import Contact
from services.aliases import resolve_alias
from services.contacts import add_contact, set_primary_contact
from services.customers import get_customer, update_customer
from services.db import read_session
from services.errors import ConflictError
from services.imports import VALID_ONLY, ImportReport, default_mapping, pipeline, run_import
from tests.unit.factories import admin

HEADERS = ["External IDs", "Customer Name", "Billing Currency", "Country",
           "Primary Contact Email", "First Name"]
EDITOR = admin("editor@example.com")


def write_file(path: Path, count: int, *, name: str, first_name: str = "Ada") -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for i in range(count):
            writer.writerow([f"crm-{i}", f"{name} {i}", "EUR", "DE", f"billing{i}@example.com",
                             first_name])
    return path


def do_import(path: Path, **kwargs):
    return run_import(path, default_mapping(path), mode=VALID_ONLY,
                      actor=admin("importer@example.com"), **kwargs)


def customer_ids() -> list[int]:
    with read_session() as session:
        return [c for c, in session.execute(select(Contact.customer_id).distinct())]


def import_meeting(path: Path, action) -> tuple[ImportReport, dict[str, object]]:
    """Import `path` and run `action` in another thread once the import has read (and locked)
    its second chunk but not yet written it: the first chunk's progress report comes between
    the two. Returns the report and what the action did ("done", or "refused" with the
    conflict message) and whether it was still waiting a second after it started."""
    outcome: dict[str, object] = {}

    def act():
        try:
            action()
            outcome["done"] = True
        except ConflictError as exc:
            outcome["refused"] = str(exc)

    other = threading.Thread(target=act)

    def meet_mid_import(done_rows: int) -> None:
        if "started_after" not in outcome:
            outcome["started_after"] = done_rows
            other.start()
            other.join(timeout=1.0)
            outcome["waited"] = other.is_alive()

    report = do_import(path, progress=meet_mid_import)
    other.join(timeout=180)
    assert outcome["started_after"] == 3
    return report, outcome


def test_a_save_between_the_imports_read_and_write_waits_and_is_refused(database, tmp_path,
                                                                        monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK", 3)
    do_import(write_file(tmp_path / "first.csv", 6, name="Old"))
    target = get_customer(_id_of("crm-4"))  # in the second chunk
    report, outcome = import_meeting(
        write_file(tmp_path / "second.csv", 6, name="New"),
        lambda: update_customer(target.id, {"name": "Saved by hand", "business_name": "Hand"},
                                version=target.version, actor=EDITOR))
    assert outcome["waited"], "the save did not wait for the import that had read the customer"
    assert "refused" in outcome and "done" not in outcome
    after = get_customer(target.id)
    assert (after.name, after.business_name) == ("New 4", None)
    assert report.counts == {"new": 0, "updated": 6, "unchanged": 0, "invalid": 0}


def test_a_save_committed_before_the_import_reads_is_kept(database, tmp_path):
    do_import(write_file(tmp_path / "first.csv", 3, name="Old"))
    customer = get_customer(_id_of("crm-1"))
    update_customer(customer.id, {"business_name": "Kept GmbH"}, version=customer.version,
                    actor=EDITOR)
    do_import(write_file(tmp_path / "second.csv", 3, name="New"))
    after = get_customer(customer.id)
    assert (after.name, after.business_name) == ("New 1", "Kept GmbH")


def test_the_primary_contact_update_lands_on_the_contact_the_import_read(database, tmp_path,
                                                                         monkeypatch):
    """Someone makes another person primary while the import holds the customer: the import's
    new first name goes to the contact it read, never onto the other person."""
    monkeypatch.setattr(pipeline, "CHUNK", 3)
    do_import(write_file(tmp_path / "first.csv", 6, name="Acme"))
    customer = get_customer(_id_of("crm-4"))
    grace = add_contact(customer.id, {"email": "grace@example.com", "first_name": "Grace"},
                        actor=EDITOR)
    grace_id = next(c.id for c in grace.contacts if c.email == "grace@example.com")
    import_meeting(write_file(tmp_path / "second.csv", 6, name="Acme", first_name="Adele"),
                   lambda: set_primary_contact(grace_id, actor=EDITOR))
    contacts = {c.email: c for c in get_customer(customer.id).contacts}
    assert contacts["grace@example.com"].first_name == "Grace"
    assert contacts["billing4@example.com"].first_name == "Adele"


@pytest.mark.parametrize("rows", [3000])
def test_every_acknowledged_edit_survives_a_concurrent_reimport(api, tmp_path, rows):
    """Threads save versioned edits through the services and the API while thousands of
    customers are re-imported; afterwards every edit that was acknowledged is there."""
    do_import(write_file(tmp_path / "first.csv", rows, name="Old"))
    ids = customer_ids()
    acknowledged: dict[int, tuple[int, str]] = {}  # customer -> (version saved, value)
    conflicts = []
    lock = threading.Lock()
    stop = threading.Event()

    saved = threading.Semaphore(0)

    def keep(customer_id: int, version: int, value: str) -> None:
        saved.release()
        with lock:
            if acknowledged.get(customer_id, (0, ""))[0] < version:
                acknowledged[customer_id] = (version, value)

    def edit_through_services(seed: int) -> None:
        pick = random.Random(seed)
        n = 0
        while not stop.is_set():
            customer = get_customer(pick.choice(ids))
            value = f"service {seed}-{n}"
            n += 1
            try:
                saved = update_customer(customer.id, {"business_name": value},
                                        version=customer.version, actor=EDITOR)
            except ConflictError:
                conflicts.append(customer.id)
                continue
            keep(customer.id, saved.version, value)

    def edit_through_api(seed: int) -> None:
        pick = random.Random(seed)
        n = 0
        while not stop.is_set():
            customer_id = pick.choice(ids)
            read = api.client.get(f"/api/v1/customers/{customer_id}", headers=api.read)
            value = f"api {seed}-{n}"
            n += 1
            answer = api.client.patch(f"/api/v1/customers/{customer_id}",
                                      json={"business_name": value},
                                      headers={**api.write, "If-Match": read.headers["ETag"]})
            if answer.status_code == 409:
                conflicts.append(customer_id)
                continue
            assert answer.status_code == 200, answer.text
            keep(customer_id, answer.json()["version"], value)

    editors = [threading.Thread(target=edit_through_services, args=(1,)),
               threading.Thread(target=edit_through_api, args=(2,))]
    for editor in editors:
        editor.start()
    try:
        saves_beside(saved, 2)  # edits are under way when the import reads
        report = do_import(write_file(tmp_path / "second.csv", rows, name="New"))
        saves_beside(saved, 2)  # and go on after it: those waiting on it were refused
    finally:
        stop.set()
        for editor in editors:
            editor.join(timeout=300)
    assert report.rows == rows
    assert report.counts["updated"] == rows and report.counts["invalid"] == 0
    assert acknowledged, "no edit was acknowledged while the import ran"
    for customer_id, (_, value) in acknowledged.items():
        customer = get_customer(customer_id)
        assert customer.business_name == value
        assert customer.name.startswith("New ")


def saves_beside(saved: threading.Semaphore, count: int) -> None:
    """Wait until the editing threads have had `count` more saves acknowledged."""
    for _ in range(count):
        assert saved.acquire(timeout=120), "the editors saved nothing for two minutes"


def _id_of(alias: str) -> int:
    return resolve_alias(alias).id
