"""Usage attribution through the API: python -m bench.alias_resolve --customers 1000000
--db sqlite|postgres [--runs 5] [--connections 4]

Starts uvicorn with one worker on a free 127.0.0.1 port over the bench book and sends
POST /api/v1/aliases/resolve batches of 1,000 random existing External IDs from several
keep-alive httpx connections at once (one thread each), and prints the resolutions a
second beside the floor: the same IN query with the same IDs on a bare DB-API cursor, one
batch after another. Each answer is checked (200, nothing missing).

The server needs a read key: one is created in the book's api_key table (and revoked when
done); the customers are left untouched.

Target (issue #17): ≥ 100,000 resolutions/s on one worker.
"""

import argparse
import json
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.books import database_url
from bench.cases import Figure
from bench.report import print_table
from services import db
from services.access import COMMAND_LINE
from services.alias_batches import lookup_query
from services.api_keys import create_api_key, revoke_api_key
from tooling.api_server import running_api

BATCH = 1_000
BATCHES_PER_RUN = 300
TARGET = "≥ 100,000/s"


def _batches(customers: int, count: int, seed: int) -> list[list[str]]:
    """`count` batches of BATCH distinct bench IDs (bench.generate gives customer n cus_<n>)."""
    rng = random.Random(seed)
    return [[f"cus_{n:08d}" for n in rng.sample(range(1, customers + 1), BATCH)]
            for _ in range(count)]


def _send(base: str, secret: str, bodies: list[bytes], failures: list[str]) -> None:
    headers = {"X-API-Key": secret, "Content-Type": "application/json"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for body in bodies:
            answer = client.post("/aliases/resolve", content=body)
            if answer.status_code != 200 or not answer.content.endswith(b'"missing":[]}'):
                failures.append(f"{answer.status_code} {answer.text[:200]}")


def _api_rate(base: str, secret: str, bodies: list[bytes], connections: int) -> float:
    """Resolutions a second with `bodies` spread over `connections` concurrent clients."""
    failures: list[str] = []
    shares = [bodies[n::connections] for n in range(connections)]
    threads = [threading.Thread(target=_send, args=(base, secret, share, failures))
               for share in shares]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} answers failed, e.g. {failures[0]}")
    return len(bodies) * BATCH / elapsed


def _floor_rate(batches: list[list[str]]) -> float:
    """The statement the service runs, with the same IDs, on one bare DB-API connection."""
    engine = db.get_engine()
    statement, _ = lookup_query(batches[0])  # one shape serves batches of one size
    compiled = statement.compile(dialect=engine.dialect)
    sql, order = str(compiled), compiled.positiontup if engine.dialect.positional else None
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        start = time.perf_counter()
        for batch in batches:
            _, values = lookup_query(batch)
            cursor.execute(sql, values if order is None else tuple(values[k] for k in order))
            assert len(cursor.fetchall()) == BATCH
        elapsed = time.perf_counter() - start
        cursor.close()
    finally:
        connection.close()
    return len(batches) * BATCH / elapsed


def figures(url: str, customers: int, runs: int, connections: int = 4) -> list[Figure]:
    """The median of `runs` runs of BATCHES_PER_RUN batches through the API, and the floor."""
    db.configure(url)
    key = create_api_key("bench alias resolve", "read", actor=COMMAND_LINE)
    try:
        with tempfile.TemporaryDirectory() as tmp, \
                running_api(url, Path(tmp) / "api.log", workers=1) as base:
            api_rates, floor_rates = [], []
            for run in range(runs + 1):  # the first warms the caches and is left out
                batches = _batches(customers, BATCHES_PER_RUN, seed=run)
                bodies = [json.dumps({"aliases": b}).encode() for b in batches]
                api = _api_rate(base, key.secret, bodies, connections)
                floor = _floor_rate(batches)
                if run:
                    api_rates.append(api)
                    floor_rates.append(floor)
    finally:
        revoke_api_key(key.key.id, actor=COMMAND_LINE)
    return [Figure(f"alias batch resolution via API, {connections} connections "
                   "(per second, higher is better)", statistics.median(api_rates),
                   statistics.median(floor_rates), TARGET, unit="/s")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    print_table(figures(database_url(args.db, args.customers), args.customers, args.runs,
                        args.connections))


if __name__ == "__main__":
    main()
