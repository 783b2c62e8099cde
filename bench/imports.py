"""Import throughput: python -m bench.imports --rows 100000 --db sqlite|postgres
                                            [--preset customer_desk|hubspot] [--import-only]

Writes a CSV in the Customer Desk template (or, with --preset hubspot, a HubSpot
companies export: countries and states as people type them, streets over two lines, one
company in 20 a subsidiary naming its parent, no currency or billing contact), imports
it into an empty database with its preset (dry run and import), re-imports it (every
row unchanged), and prints rows per second beside a floor: the same customers, contacts
and aliases inserted with a bare DB-API executemany, no validation. The import runs in a
process of its own (bench.import_process), which gives its peak resident memory.
--import-only measures the import alone (a million rows: --rows 1000000).

`figures` gives `python -m bench` the import of as many rows as the book has customers,
into a book of its own (bench_import), never into the benchmark's shared book.
"""

import argparse
import csv
import os
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, text

from bench import import_process
from services import db
from services.access import COMMAND_LINE
from services.identifiers import match_key
from services.import_mapping import CUSTOMER_DESK, template_headers
from services.imports import VALID_ONLY, default_mapping, dry_run, run_import

if TYPE_CHECKING:  # bench.cases imports the grid's page code, which the import needs not
    from bench.cases import Figure

PG_BASE = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
COUNTRIES = [("US", "USD", "CA"), ("DE", "EUR", "BE"), ("GB", "GBP", None), ("FR", "EUR", None)]
HUBSPOT = "hubspot_companies"
PRESETS = {"customer_desk": CUSTOMER_DESK, "hubspot": HUBSPOT}
HUBSPOT_HEADERS = ["Record ID", "Company name", "Company Domain Name", "Phone Number",
                   "Street Address", "Street Address 2", "City", "State/Region", "Postal Code",
                   "Country/Region", "Time Zone", "Industry", "Company owner", "Create Date",
                   "Parent Company ID", "Lifecycle Stage"]
# How HubSpot users type a country (code, currency the import gives it), with its states,
# a city, a postal code, a time zone and a dialling prefix.
HUBSPOT_PLACES = [
    (("United States", "USA", "US", "United States of America"), "US", "USD",
     ("California", "New York", "Texas", "WA"), "Springfield", "94105",
     "America/Los_Angeles", "+1 415 555 01"),
    (("Germany", "DEU", "DE"), "DE", "EUR", ("Bayern", "Berlin", "Hessen"), "Berlin", "10117",
     "Europe/Berlin", "+49 30 9018"),
    (("United Kingdom", "UK", "GB"), "GB", "GBP", ("",), "London", "NW1 6XE", "Europe/London",
     "+44 20 7946 09"),
    (("Canada", "CA"), "CA", "CAD", ("Ontario", "Québec", "BC"), "Toronto", "M5X 1A9",
     "America/Toronto", "+1 416 555 01"),
    (("France", "FRA"), "FR", "EUR", ("",), "Paris", "75002", "Europe/Paris", "+33 1 42 68 53 "),
]


def write_hubspot_file(path: Path, rows: int) -> None:
    """A HubSpot companies export as HubSpot writes it (UTF-8 with a BOM): one company in
    20 a subsidiary naming its parent (the one before it); a street over two lines now
    and then."""
    rng = random.Random(5)
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(HUBSPOT_HEADERS)
        for n in range(rows):
            forms, _, _, states, city, postal, zone, phone = rng.choice(HUBSPOT_PLACES)
            street = f"{n} Main Street" + ("\nBuilding 2" if n % 7 == 0 else "")
            writer.writerow([
                f"{9_000_000_000 + n}", f"HubSpot Company {n}", f"company{n}.example",
                f"{phone}{rng.randint(10, 99)}" if n % 5 else "", street,
                "Suite 100" if n % 3 == 0 else "", city, rng.choice(states), postal,
                rng.choice(forms), zone, "COMPUTER_SOFTWARE", "Dana Whitfield",
                "2024-03-05 10:22", f"{9_000_000_000 + n - 1}" if n % 20 == 1 else "",
                "customer"])


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(5)
    headers = template_headers()

    def row(n: int) -> list[str]:
        country, currency, state = rng.choice(COUNTRIES)
        values = {
            "Customer Name": f"Imported Customer {n}", "Billing Currency": currency,
            "Country": country, "Address Line 1": f"{n} Main Street", "City": "Springfield",
            "State": state or "", "Postal Code": "12345", "Tax Rate": "8.875",
            "Payment Terms": "30", "Primary Contact Email": f"billing{n}@imported.example",
            "First Name": "Pat", "Last Name": f"Payer{n}", "External IDs": f"imp_{n:08d}",
        }
        return [values.get(header, "") for header in headers]

    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(map(row, range(rows)))


def fresh_database(kind: str, name: str) -> str:
    if kind == "sqlite":
        path = Path(tempfile.mkdtemp()) / f"{name}.sqlite3"
        return f"sqlite:///{path}"
    engine = create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    engine.dispose()
    return f"{PG_BASE}?options=-csearch_path%3D{name}"


def discard(url: str, path: Path) -> None:
    """Drop a book `fresh_database` made, and the file imported into it."""
    path.unlink(missing_ok=True)
    if url.startswith("sqlite"):
        shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)
        return
    schema = url.rsplit("%3D", 1)[1]
    engine = create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def hubspot_as_template(path: Path) -> Path:
    """The HubSpot file's rows in the template's columns, for the floor: the same customers
    and aliases (currency from the country, no contacts), nothing cleaned."""
    codes = {form: (code, currency) for forms, code, currency, *_ in HUBSPOT_PLACES
             for form in forms}
    target = path.with_name("floor.csv")
    with path.open(encoding="utf-8-sig", newline="") as source, \
            target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=template_headers())
        writer.writeheader()
        for r in csv.DictReader(source):
            code, currency = codes[r["Country/Region"]]
            writer.writerow({"Customer Name": r["Company name"], "Billing Currency": currency,
                             "Country": code, "Address Line 1": r["Street Address"],
                             "City": r["City"], "State": r["State/Region"],
                             "Postal Code": r["Postal Code"], "External IDs": r["Record ID"]})
    return target


def raw_floor(path: Path, contacts: bool = True) -> float:
    """Seconds to insert the file's rows with executemany, three statements, no checks."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    connection = db.get_engine().raw_connection()
    mark = "?" if db.get_engine().dialect.name == "sqlite" else "%s"
    start = time.perf_counter()
    cursor = connection.cursor()
    if mark == "?":
        cursor.execute("BEGIN")  # one transaction, as the import uses
    cursor.executemany(
        "INSERT INTO customer (id, name, currency, invoicing_flow, payment_terms_days, auto_pay,"
        " legal_entity_id, country, address_line1, city, state, postal_code, tax_rate, version,"
        f" created_at, updated_at) VALUES ({', '.join([mark] * 16)})",
        [(n + 1, r["Customer Name"], r["Billing Currency"], "customer_desk", 30, False, 1,
          r["Country"], r["Address Line 1"], r["City"], r["State"] or None, r["Postal Code"],
          88750, 1, "2026-01-01", "2026-01-01") for n, r in enumerate(rows)])
    cursor.executemany(
        "INSERT INTO contact (customer_id, first_name, last_name, email, email_billing,"
        f" email_updates, email_legal, is_primary, created_at) VALUES ({', '.join([mark] * 9)})",
        [(n + 1, r["First Name"], r["Last Name"], r["Primary Contact Email"], True, True, False,
          True, "2026-01-01") for n, r in enumerate(rows) if contacts])
    keys = [match_key(r["External IDs"]) for r in rows]
    cursor.executemany(f"INSERT INTO alias_key (key, customer_id) VALUES ({mark}, {mark})",
                       [(key, n + 1) for n, key in enumerate(keys)])
    cursor.executemany(
        "INSERT INTO alias (customer_id, value, match_key, created_at)"
        f" VALUES ({mark}, {mark}, {mark}, {mark})",
        [(n + 1, r["External IDs"], key, "2026-01-01")
         for n, (r, key) in enumerate(zip(rows, keys, strict=True))])
    connection.commit()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def prepared(kind: str, name: str, rows: int, preset: str) -> tuple[str, Path]:
    """A fresh book named `name` (configured), and the file of `rows` rows to import."""
    url = fresh_database(kind, name)
    db.configure(url)
    db.migrate(url)  # first: the template's columns and mapping read the custom fields
    path = Path(tempfile.mkdtemp()) / "import.csv"
    (write_hubspot_file if preset == HUBSPOT else write_file)(path, rows)
    return url, path


def figures(url: str, customers: int, runs: int) -> "list[Figure]":
    """The import of `customers` rows of the template into an empty book of its own on the
    database of the book at `url`, which the services point at again afterwards. Measured
    once: `runs` is not used, a million rows take minutes."""
    from bench.cases import Figure

    kind = "sqlite" if url.startswith("sqlite") else "postgres"
    own, path = prepared(kind, "bench_import", customers, CUSTOMER_DESK)
    db.get_engine().dispose()
    done = import_process.measure(own, path, CUSTOMER_DESK)
    discard(own, path)
    db.configure(url)
    return [Figure(f"import {customers:,} rows (rows/s)", customers / done["seconds"],
                   target="≥ 10,000/s", unit="/s"),
            Figure("import peak RSS (MB)", max(done["rss_mb"], done["worker_rss_mb"]),
                   unit="MB")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--preset", choices=list(PRESETS), default="customer_desk")
    parser.add_argument("--import-only", action="store_true")
    args = parser.parse_args()
    preset = PRESETS[args.preset]
    url, path = prepared(args.db, "bench_import", args.rows, preset)
    if not args.import_only:
        mapping = default_mapping(path, preset)
        start = time.perf_counter()
        checked = dry_run(path, mapping)
        dry = time.perf_counter() - start
    done = import_process.measure(url, path, preset)
    first = done["seconds"]
    rate = args.rows / first
    memory = (f"peak RSS {done['rss_mb']:,.0f} MB (validating worker ≤ "
              f"{done['worker_rss_mb']:,.0f} MB)")
    print(f"{args.rows:,} rows ({args.preset}) on {args.db}, {os.cpu_count()} cores")
    print()
    print("| step | seconds | rows per second | note |")
    print("| --- | ---: | ---: | --- |")
    if args.import_only:
        print(f"| import into an empty database | {first:.1f} | {rate:,.0f} | "
              f"{done['counts']['new']:,} new, {memory} |")
        discard(url, path)
        return
    start = time.perf_counter()
    again = run_import(path, mapping, mode=VALID_ONLY, actor=COMMAND_LINE, preset=preset)
    second = time.perf_counter() - start

    floor_url = fresh_database(args.db, "bench_import_floor")
    db.configure(floor_url)
    db.migrate(floor_url)
    floor = (raw_floor(hubspot_as_template(path), contacts=False) if preset == HUBSPOT
             else raw_floor(path))

    print(f"| dry run (validate every row) | {dry:.1f} | {args.rows / dry:,.0f} | "
          f"{checked.counts['new']:,} new, {checked.counts['invalid']:,} invalid |")
    print(f"| import into an empty database | {first:.1f} | {rate:,.0f} | "
          f"{done['counts']['new']:,} new, {memory}; target ≥ 10,000 rows/s |")
    print(f"| re-import of the same file | {second:.1f} | {args.rows / second:,.0f} | "
          f"{again.counts['unchanged']:,} unchanged, 0 new |")
    print(f"| floor: raw executemany, no checks | {floor:.1f} | {args.rows / floor:,.0f} | "
          f"import is {first / floor:.1f}× the floor |")
    discard(floor_url, path)
    discard(url, path)


if __name__ == "__main__":
    main()
