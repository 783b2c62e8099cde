"""Many External IDs in one API request: python -m bench.external_ids --db sqlite|postgres

POSTs a new customer with N External IDs to the API (in process, over the app's own
ASGI stack, no network) on a fresh database that already holds 10,000 customers, and
prints the time to check the IDs alone (cleaning, NFC, invisible characters, repeats,
look-alike keys against the database) and the whole request (check and write), for N =
1,000, 10,000 and 80,000: the work grows linearly. Then the same 10,000 IDs with the last
one a look-alike of a stored ID: refused, and how long the refusal takes.

Target (issue #11): 10,000 IDs in one request validate in under 1 s.
"""

import argparse
import statistics
import time

from fastapi.testclient import TestClient

from api.main import create_app
from bench.generate import generate
from bench.imports import fresh_database
from services import db
from services.access import COMMAND_LINE
from services.alias_keys import taken_error
from services.api_keys import create_api_key
from services.rules import clean_aliases

SIZES = (1_000, 10_000, 80_000)


def body(count: int, tag: str, last: str | None = None) -> dict:
    ids = [f"{tag}-{n:06d}" for n in range(count)]
    if last is not None:
        ids[-1] = last
    return {"name": f"Many IDs {tag}", "currency": "EUR", "country": "DE",
            "primary_contact": {"email": f"{tag}@many.example"}, "aliases": ids}


def check_seconds(count: int, tag: str) -> float:
    """Median of three: cleaning every ID and asking the database for look-alikes."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        values = clean_aliases(body(count, tag)["aliases"])
        with db.read_session() as session:
            assert taken_error(session, values) is None
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    url = fresh_database(args.db, "bench_external_ids")
    db.configure(url)
    db.migrate(url)
    generate(10_000, progress=lambda _: None)
    key = create_api_key("bench", "write", actor=COMMAND_LINE)
    client = TestClient(create_app())
    headers = {"Authorization": f"Bearer {key.secret}"}
    print(f"{args.db}: a new customer with N External IDs in one POST /api/v1/customers")
    print(f"{'N':>8} {'check s':>9} {'request s':>10} {'status':>7}")
    for count in SIZES:
        tag = f"n{count}"
        checked = check_seconds(count, tag)
        start = time.perf_counter()
        answer = client.post("/api/v1/customers", json=body(count, tag), headers=headers)
        elapsed = time.perf_counter() - start
        print(f"{count:>8,} {checked:>9.3f} {elapsed:>10.3f} {answer.status_code:>7}")
    start = time.perf_counter()
    refused = client.post("/api/v1/customers", json=body(10_000, "late", "CUS_0000000l"),
                          headers=headers)
    elapsed = time.perf_counter() - start
    print(f"10,000 IDs, the last a look-alike of cus_00000001: {refused.status_code} in "
          f"{elapsed:.3f} s: {refused.json().get('detail', '')}")


if __name__ == "__main__":
    main()
