"""python -m bench --customers 100000 --db sqlite|postgres [--runs 5] [--only filters,sorts]

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
    parser.add_argument("--only", help="comma-separated groups of figures to measure: grid, "
                        "searches, filters, sorts, deep, count, aliases, exports, activity, "
                        "browser, import (all when left out)")
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

    runs, count = args.runs, args.customers
    groups = {
        "grid": lambda: [cases.grid_page(CustomerQuery(limit=cases.GRID_PAGE),
                                         "grid first page (1,000 rows)", runs,
                                         "< 150 ms, ≤ 3× floor")],
        "searches": lambda: cases.searches(count, runs),
        "filters": lambda: cases.filters(runs),
        "sorts": lambda: cases.sorts(runs),
        "deep": lambda: cases.deep_pages(count, runs),
        "count": lambda: [cases.counting(runs)],
        "aliases": lambda: [cases.alias_rate(count),
                            *alias_resolve.figures(url, count, runs)],
        "exports": lambda: exports.figures(url, count, max(1, min(runs, 3))),
        "activity": lambda: activity.figures(url, activity.CUSTOMERS, runs),
        "browser": lambda: [] if args.no_browser else browser.browser_figures(url, count, runs),
        "import": lambda: [] if args.no_import else imports.figures(url, count, runs),
    }
    chosen = args.only.split(",") if args.only else list(groups)
    unknown = set(chosen) - set(groups)
    if unknown:
        parser.error(f"--only takes {', '.join(groups)}; not {', '.join(sorted(unknown))}")
    figures = []
    generated = generation_seconds(url)
    if generated is not None:
        figures.append(cases.Figure("generate the book (customers, contacts, External IDs, "
                                    "payment methods, families)", generated, target="< 300 s",
                                    unit="s"))
    for name in chosen:
        figures += groups[name]()

    print()
    print(f"{args.customers:,} customers on {args.db}; median of {runs} runs; "
          f"{os.cpu_count()} cores, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.machine()}")
    print()
    print_table(figures)


if __name__ == "__main__":
    main()
