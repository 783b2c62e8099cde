"""Eight concurrent writers through the real API (uvicorn, two worker processes) on SQLite and
PostgreSQL for a bounded time: every acknowledged write is in the database afterwards, counter
edits with versions reconcile exactly (no lost update), and nothing answers 5xx.

LOAD_SECONDS (default 8) sets how long the writers run; the throughput is printed.
"""

import os
import threading
import time
from collections import Counter
from decimal import Decimal

import httpx
import pytest
from sqlmodel import select

from models import Alias, Customer
from services import db
from services.api_keys import create_api_key
from tests.databases import create_postgres_schema, drop_postgres_schema
from tests.unit.factories import admin
from tooling.api_server import running_api

WRITERS = 8
COUNTERS = 3
STEP = Decimal("0.01")
SECONDS = float(os.environ.get("LOAD_SECONDS", "8"))


class Tally:
    """What the server acknowledged, per writer thread, merged at the end."""

    def __init__(self):
        self.lock = threading.Lock()
        self.created: dict[str, int] = {}  # alias -> id
        self.increments: Counter[int] = Counter()
        self.statuses: Counter[int] = Counter()
        self.conflicts = 0


def _increment(client: httpx.Client, customer_id: int, tally: Tally) -> None:
    """Read the counter, write it back one step higher with the version read; on 409
    (someone else was first) read again. Only a 200 counts as acknowledged."""
    while True:
        current = client.get(f"/customers/{customer_id}")
        tally.statuses[current.status_code] += 1
        if current.status_code != 200:
            return
        body = current.json()
        answer = client.patch(f"/customers/{customer_id}",
                              json={"tax_rate": str(Decimal(body["tax_rate"]) + STEP)},
                              headers={"If-Match": f'"{body["version"]}"'})
        with tally.lock:
            tally.statuses[answer.status_code] += 1
            if answer.status_code == 200:
                tally.increments[customer_id] += 1
                return
            if answer.status_code != 409:
                return
            tally.conflicts += 1


def _writer(base: str, key: str, number: int, counters: list[int], tally: Tally,
            deadline: float) -> None:
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=60) as client:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            if n % 2:
                alias = f"load-{number}-{n}"
                answer = client.post("/customers", json={
                    "name": f"Load {number}-{n}", "currency": "EUR", "country": "DE",
                    "primary_contact": {"email": f"w{number}.{n}@load.example"},
                    "aliases": [alias]})
                with tally.lock:
                    tally.statuses[answer.status_code] += 1
                    if answer.status_code == 201:
                        tally.created[alias] = answer.json()["id"]
            else:
                _increment(client, counters[n // 2 % COUNTERS], tally)


@pytest.fixture(params=["sqlite", "postgres"])
def served_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'load.sqlite3'}"
        return
    url, schema = create_postgres_schema()
    yield url
    db.get_engine().dispose()
    drop_postgres_schema(schema)


def test_concurrent_writers_lose_nothing(served_database, tmp_path, capsys):
    with running_api(served_database, tmp_path / "api.log", workers=2) as base:
        db.configure(served_database)
        key = create_api_key("load", "write", actor=admin("load@example.com")).secret
        with httpx.Client(base_url=base, headers={"X-API-Key": key}) as client:
            counters = [client.post("/customers", json={
                "name": f"Counter {i}", "currency": "EUR", "country": "DE", "tax_rate": "0",
                "primary_contact": {"email": f"counter{i}@load.example"}}).json()["id"]
                for i in range(COUNTERS)]
        tally = Tally()
        start = time.monotonic()
        threads = [threading.Thread(target=_writer,
                                    args=(base, key, i, counters, tally, start + SECONDS))
                   for i in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start

    errors = {status: n for status, n in tally.statuses.items() if status >= 500}
    assert not errors, f"server errors: {errors}; see {tmp_path / 'api.log'}"
    assert set(tally.statuses) <= {200, 201, 409}, tally.statuses
    with db.read_session() as session:
        stored = dict(session.exec(select(Alias.value, Alias.customer_id)
                                   .where(Alias.value.startswith("load-"))).all())
        rates = {c.id: c.tax_rate for c in session.exec(
            select(Customer).where(Customer.id.in_(counters)))}
    assert stored == tally.created  # every acknowledged create, and nothing unacknowledged
    for customer_id in counters:
        assert rates[customer_id] == tally.increments[customer_id] * STEP, customer_id
    writes = len(tally.created) + sum(tally.increments.values())
    backend = served_database.split(":")[0].split("+")[0]
    with capsys.disabled():
        print(f"\n[load] {backend}: {WRITERS} writers for {elapsed:.1f} s: {writes:,} "
              f"acknowledged writes ({writes / elapsed:,.0f}/s): {len(tally.created):,} "
              f"creates, {sum(tally.increments.values()):,} counter edits, "
              f"{tally.conflicts:,} version conflicts retried, 0 lost, 0 5xx")
