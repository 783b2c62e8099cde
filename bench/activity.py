"""The Activity page on a long log:
python -m bench.activity --events 10000000 --db sqlite|postgres

Fills an audit log of N events over 10,000 customers once per database, in a book of its
own (kept for the next run; bench.activity_fill says how), then prints beside its target:
the time to build the page's data (one page of events, the count up to the cap, the user
filter's choices) unfiltered, a page on and halfway down the log, and under each filter;
the user filter's choices alone; the exact count "Count all" runs (on request, no target);
the whole page's run in AppTest, as the server spends it before the browser draws
anything; and, where Chromium is installed, the time from opening the page in it to the
first event drawn. `figures()` gives the same figures to `python -m bench`.
"""

import argparse
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from bench.activity_fill import ACTORS, RARE_ACTION, RARE_ACTOR, event_count, fill_log
from bench.books import database_url
from bench.cases import Figure
from bench.generate import customer_count, generate
from bench.report import print_table
from bench.timing import median_ms, raw_fetch, raw_sql
from models.audit import AuditEvent
from models.types import utcnow
from services import db
from services.activity import (
    ActivityFilter,
    Position,
    activity_page,
    actors,
    count_activity,
)
from tooling.app_server import CHROMIUM, CHROMIUM_ARGS, running_app

EVENTS = 10_000_000
CUSTOMERS = 10_000
TARGET = "< 300 ms"


def book(kind: str, customers: int, events: int) -> str:
    """The benchmark's own book of `customers` customers and `events` events, filled the
    first time; the services are left pointed at it."""
    url = database_url(kind, events, f"activity_{customers}")
    db.configure(url)
    db.migrate(url)
    db.optimize()  # as the app does at start: statistics for an index a migration added
    if customer_count() < customers:
        generate(customers - customer_count(), progress=lambda _: None)
    missing = events - event_count()
    if missing > 0:
        started = time.perf_counter()
        print(f"Logging {missing:,} events on {kind}…")
        fill_log(missing, customers)
        print(f"  filled in {time.perf_counter() - started:.0f} s")
    return url


def page_data(f: ActivityFilter, **where: Position):
    """What the page asks the services for on every run."""
    return lambda: (activity_page(f, **where), actors())


def _halfway() -> Position:
    """The event in the middle of the log's time span: a page older than it lies some
    millions of events deep."""
    with db.get_engine().connect() as conn:
        first = conn.scalar(select(func.min(AuditEvent.at)))
        last = conn.scalar(select(func.max(AuditEvent.at)))
        middle = first + (last - first) / 2
        event = conn.execute(select(AuditEvent.at, AuditEvent.id).where(AuditEvent.at <= middle)
                             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1)).one()
    return Position(event.at, event.id)


def _offset_floor(offset: int):
    """The same page by OFFSET, as the page read it before keyset paging: for comparison."""
    ids = select(AuditEvent.id).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return raw_fetch(raw_sql(ids.offset(offset).limit(101)))


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


def _service_figures(runs: int) -> list[Figure]:
    newest = activity_page(ActivityFilter())
    halfway = _halfway()
    today = utcnow().date()
    a_year_ago = today - timedelta(days=365)
    month = ActivityFilter(since=today - timedelta(days=30))
    cases = [
        ("page data: newest 100 events", ActivityFilter(), {}),
        ("page data: the next 100 (Older)", ActivityFilter(), {"older_than": newest.older}),
        ("page data: a page halfway down the log (Older, keyset)", ActivityFilter(),
         {"older_than": halfway}),
        ("page data: the page before it (Newer, keyset)", ActivityFilter(),
         {"newer_than": halfway}),
        ("page data: one user (1 event in 22)", ActivityFilter(actor=ACTORS[3]), {}),
        ("page data: a user with ~100 events", ActivityFilter(actor=RARE_ACTOR), {}),
        ("page data: one customer by ID", ActivityFilter(customer_id=42), {}),
        ("page data: customer name contains 'acme' (~6% of customers)",
         ActivityFilter(customer_name="acme"), {}),
        ("page data: customer name contains '4242' (one customer)",
         ActivityFilter(customer_name="4242"), {}),
        ("page data: one action (Edited customer, 40%)",
         ActivityFilter(action="customer.updated"), {}),
        ("page data: a rare action (Restored, 1 in 10,000)",
         ActivityFilter(action=RARE_ACTION), {}),
        ("page data: the last 30 days", month, {}),
        ("page data: one day a year ago", ActivityFilter(since=a_year_ago, until=a_year_ago),
         {}),
        ("page data: one user in the last 30 days",
         ActivityFilter(actor=ACTORS[3], since=month.since), {}),
    ]
    figures = [Figure(name, median_ms(page_data(f, **where), runs), None, TARGET)
               for name, f, where in cases]
    offset = event_count() // 2
    figures.append(Figure(f"the halfway page by OFFSET {offset:,} (not used; for comparison)",
                          median_ms(_offset_floor(offset), 1)))
    figures.append(Figure("user filter's choices (actors)", median_ms(actors, runs), None,
                          TARGET))
    for name, f in [("Count all: every event", ActivityFilter()),
                    ("Count all: one user", ActivityFilter(actor=ACTORS[3]))]:
        figures.append(Figure(name, median_ms(lambda f=f: count_activity(f), 1), None,
                              "on request"))
    return figures


def measure(url: str, runs: int, browser: bool) -> list[Figure]:
    """Every figure on the book at `url`, where the services point."""
    figures = _service_figures(runs)
    figures.append(Figure("AppTest: Activity page run, unfiltered", render_ms(runs), None,
                          TARGET))
    figures.append(Figure("AppTest: Activity page run, customer name 'acme'",
                          render_ms(runs, **{"activity.customer_name": "acme"}), None,
                          TARGET))
    drawn = browser_ms(url, runs) if browser else None
    if drawn is not None:
        figures.append(Figure("Chromium: open Activity to the first event drawn", drawn, None,
                              "< 3 s"))
    return figures


def figures(url: str, customers: int, runs: int) -> list[Figure]:
    """For `python -m bench`: the figures on a 10,000,000-event log over `customers`
    customers, in a book of its own on `url`'s database (filled the first time); the
    services are pointed back at `url` after."""
    kind = "sqlite" if make_url(url).get_backend_name() == "sqlite" else "postgres"
    try:
        return measure(book(kind, customers, EVENTS), runs, browser=False)
    finally:
        db.configure(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--customers", type=int, default=CUSTOMERS)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    url = book(args.db, args.customers, args.events)
    shown = measure(url, args.runs, not args.no_browser)
    print()
    print(f"{event_count():,} events over {args.customers:,} customers on {args.db}; "
          f"median of {args.runs} runs")
    print()
    print_table(shown)


if __name__ == "__main__":
    main()
