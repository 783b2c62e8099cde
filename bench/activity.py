"""The Activity page on a long log: python -m bench.activity --events 100000 --db sqlite|postgres

Fills an audit log of N events over 10,000 customers once per database (kept for the next
run), then prints the time to build the page's data (one page of events and the count of
all that match, plus the user filter's choices), unfiltered, deep in the log and under
each filter; the time the whole page takes to run in AppTest, as the server spends it
before the browser draws anything; and, where Chromium is installed, the time from
opening the page in it to the first event drawn.
"""

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select
from streamlit.testing.v1 import AppTest

from bench.__main__ import database_url, print_table
from bench.cases import Figure
from bench.generate import customer_count, generate
from bench.timing import median_ms
from models.audit import AuditEvent
from models.types import utcnow
from services import db
from services.activity import ActivityFilter, activity_page, actors
from tooling.app_server import CHROMIUM, CHROMIUM_ARGS, running_app

CUSTOMERS = 10_000
BATCH = 5_000
ACTORS = [f"user{n}@example.com" for n in range(20)] + ["import", "api"]
EDITS = {  # action -> the fields an event of it changes
    "customer.updated": ["name", "payment_terms_days", "city", "postal_code", "tax_id"],
    "contact.updated": ["first_name", "last_name", "email"],
    "customer.created": ["name", "currency", "invoicing_flow", "payment_terms_days",
                         "auto_pay", "country", "address_line1", "city", "postal_code",
                         "tax_rate", "legal_entity_id", "primary_contact_email"],
    "alias.added": ["external_ids"],
    "customer.archived": ["status"],
}
TARGET = "< 1 s"


def event_count() -> int:
    with db.get_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(AuditEvent))


def fill_log(count: int, *, seed: int = 13) -> None:
    """`count` events spread over two years, written in bulk like bench.generate's book."""
    rng = random.Random(seed)
    now = utcnow()
    engine = db.get_engine()
    for offset in range(0, count, BATCH):
        rows = []
        for _ in range(min(BATCH, count - offset)):
            action = rng.choice(list(EDITS))
            fields = EDITS[action]
            changed = fields if action == "customer.created" else rng.sample(
                fields, rng.randint(1, len(fields)))
            customer_id = rng.randint(1, CUSTOMERS)
            rows.append({
                "at": now - timedelta(seconds=rng.randint(0, 2 * 365 * 86400)),
                "actor": rng.choice(ACTORS), "action": action,
                "entity": action.split(".")[0], "entity_id": customer_id,
                "customer_id": customer_id,
                "changes": {key: [None if action == "customer.created" else f"old {key}",
                                  f"new {key} {rng.randint(1, 999)}"] for key in changed},
            })
        with engine.begin() as conn:
            conn.execute(insert(AuditEvent), rows)
        print(f"  logged {offset + len(rows):,} of {count:,} events")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE audit_event")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


def page_data(f: ActivityFilter, page: int = 0):
    """What the page asks the services for on every run."""
    return lambda: (activity_page(f, page=page), actors())


def render_ms(runs: int, **widgets: str) -> float:
    """The Activity page's whole script run in AppTest (app.py's sidebar and sign-in
    included), with `widgets` (key -> text) typed into its filters first."""
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"),
                           default_timeout=120)
    at.run()
    at.switch_page("app_pages/activity.py")
    at.run()
    for key, value in widgets.items():
        at.text_input(key=key).input(value)
    assert not at.exception, at.exception
    return median_ms(at.run, runs)


def browser_ms(url: str, runs: int) -> float | None:
    """Open the Activity page in a new tab until its newest event is drawn (the grid's
    table for assistive technology holds the row once the grid has drawn it)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return None
    log = Path(tempfile.mkdtemp()) / "streamlit.log"
    with running_app(url, log) as (app_url, _pid), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        samples = []
        for _ in range(runs + 1):  # the server's first run imports the app; users after it
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            start = time.perf_counter()
            page.goto(f"{app_url}/activity")
            page.get_by_test_id("stDataFrame").locator("td").first.wait_for(
                state="attached", timeout=60_000)
            samples.append((time.perf_counter() - start) * 1000)
            page.close()
        browser.close()
    return statistics.median(samples[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    url = database_url(args.db, args.events, "bench_activity")
    db.configure(url)
    db.migrate(url)
    if customer_count() < CUSTOMERS:
        generate(CUSTOMERS - customer_count(), progress=lambda _: None)
    if event_count() < args.events:
        started = time.perf_counter()
        fill_log(args.events - event_count())
        print(f"  done in {time.perf_counter() - started:.0f} s")

    runs = args.runs
    total = activity_page(ActivityFilter()).total
    cases = [
        ("page data: newest 100 events", ActivityFilter(), 0),
        ("page data: page 500 (events 50,001-50,100)", ActivityFilter(), 500),
        ("page data: one user", ActivityFilter(actor=ACTORS[3]), 0),
        ("page data: one customer by ID", ActivityFilter(customer_id=42), 0),
        ("page data: customer name contains 'acme'", ActivityFilter(customer_name="acme"), 0),
        ("page data: one action", ActivityFilter(action="customer.archived"), 0),
        ("page data: one month", ActivityFilter(since=utcnow().date() - timedelta(days=30)), 0),
    ]
    figures = [Figure(name, median_ms(page_data(f, page), runs), None, TARGET)
               for name, f, page in cases]
    figures.append(Figure("AppTest: Activity page run, unfiltered", render_ms(runs), None,
                          TARGET))
    figures.append(Figure("AppTest: Activity page run, customer name 'acme'",
                          render_ms(runs, **{"activity.customer_name": "acme"}), None,
                          TARGET))
    drawn = None if args.no_browser else browser_ms(url, runs)
    if drawn is not None:
        figures.append(Figure("Chromium: open Activity to the first event drawn", drawn, None,
                              "< 3 s"))
    print(f"{total:,} events over {CUSTOMERS:,} customers on {args.db}; median of {runs} runs")
    print()
    print_table(figures)


if __name__ == "__main__":
    main()
