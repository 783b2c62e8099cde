"""python -m bench --customers 100000 --db sqlite|postgres [--runs 5]

Generates the book once per database (kept for the next run), then prints one table
of medians, each beside its floor measured in the same run where one exists; last, the
import of as many rows into a book of its own (bench.imports.figures; --no-import skips it).
"""

import argparse
import os
import platform
import time

from bench import activity, alias_resolve, browser, cases, exports, imports
from bench.books import database_url, generation_seconds, record_generation
from bench.generate import (
    customer_count,
    family_count,
    generate,
    generate_families,
    generate_methods,
    method_count,
)
from bench.report import print_table
from services import db
from services.customer_queries import CustomerQuery


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-import", action="store_true",
                        help="skip the import of as many rows (into a book of its own)")
    args = parser.parse_args()

    url = database_url(args.db, args.customers)
    db.configure(url)
    db.migrate(url)
    have = customer_count()
    if have < args.customers:
        started = time.perf_counter()
        print(f"Generating {args.customers - have:,} customers on {args.db}…")
        generate(args.customers - have)
        print(f"  done in {time.perf_counter() - started:.0f} s")
    if not method_count():  # a book generated before payment methods existed gets them too
        generate_methods()
    if not family_count():  # and one generated before families
        generate_families()
    if have == 0:
        record_generation(url, time.perf_counter() - started)

    runs = args.runs
    figures = []
    generated = generation_seconds(url)
    if generated is not None:
        figures.append(cases.Figure("generate the book (customers, contacts, External IDs, "
                                    "payment methods, families)", generated, target="< 300 s",
                                    unit="s"))
    figures.append(cases.grid_page(CustomerQuery(limit=cases.GRID_PAGE),
                                   "grid first page (1,000 rows)", runs, "< 150 ms, ≤ 3× floor"))
    figures += cases.searches(args.customers, runs)
    figures += cases.filters(runs)
    figures += cases.sorts(runs)
    figures += cases.deep_pages(args.customers, runs)
    figures.append(cases.counting(runs))
    figures.append(cases.alias_rate(args.customers))
    figures += alias_resolve.figures(url, args.customers, runs)
    figures += exports.figures(url, args.customers, max(1, min(runs, 3)))
    figures += activity.figures(url, activity.CUSTOMERS, runs)
    if not args.no_browser:
        figures += browser.browser_figures(url, args.customers, runs)
    if not args.no_import:
        figures += imports.figures(url, args.customers, runs)

    print()
    print(f"{args.customers:,} customers on {args.db}; median of {runs} runs; "
          f"{os.cpu_count()} cores, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.machine()}")
    print()
    print_table(figures)


if __name__ == "__main__":
    main()
