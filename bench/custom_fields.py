"""Custom fields at scale: python -m bench.custom_fields --customers 100000 --db sqlite|postgres

On the benchmark book (generated once, as `python -m bench` does), defines a Segment
(select) and a Contract end (date) field, gives every customer values, then prints the
grid page filtered by each and a CSV export with both columns, each beside the raw SQL
floor of the same query.
"""

import argparse
import io

from sqlalchemy import text

from bench.books import database_url
from bench.cases import GRID_PAGE, Figure, grid_page
from bench.generate import customer_count, generate
from bench.report import print_table
from bench.timing import median_ms, raw_fetch, raw_sql
from services import custom_fields as cf
from services import db
from services.access import COMMAND_LINE
from services.customer_columns import choose
from services.customer_queries import CustomerQuery, book_query
from services.export import export_customers
from services.list_filters import FieldFilter

SEGMENTS = ["SMB", "Mid-market", "Enterprise", "Strategic"]


def _define_and_fill() -> None:
    if {d.key for d in cf.definitions()} >= {"segment", "contract_end"}:
        return
    cf.add_custom_field({"key": "segment", "label": "Segment", "kind": "select",
                         "options": SEGMENTS, "grid_default": True}, actor=COMMAND_LINE)
    cf.add_custom_field({"key": "contract_end", "label": "Contract end", "kind": "date"},
                        actor=COMMAND_LINE)
    engine = db.get_engine()
    segment = "CASE id % 4 " + " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(SEGMENTS))
    if engine.dialect.name == "postgresql":
        fill = (f"UPDATE customer SET custom_fields = jsonb_build_object('segment', {segment} "
                "END, 'contract_end', to_char(DATE '2027-01-01' + (id % 730), 'YYYY-MM-DD'))")
    else:
        fill = (f"UPDATE customer SET custom_fields = json_object('segment', {segment} END, "
                "'contract_end', date('2027-01-01', '+' || (id % 730) || ' days'))")
    with engine.begin() as conn:
        conn.execute(text(fill))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE customer" if engine.dialect.name == "postgresql"
                             else "ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = database_url(args.db, args.customers, "bench_custom")  # it rewrites every customer
    db.configure(url)
    db.migrate(url)
    if customer_count() < args.customers:
        generate(args.customers - customer_count())
    _define_and_fill()

    by_segment = CustomerQuery(limit=GRID_PAGE, custom=(
        FieldFilter("cf_segment", values=("Enterprise",)),))
    by_date = CustomerQuery(limit=GRID_PAGE, custom=(
        FieldFilter("cf_contract_end", low="2027-03-01", high="2027-03-31"),))
    figures = [grid_page(by_segment, "grid page, Segment = Enterprise", args.runs, "< 150 ms"),
               grid_page(by_date, "grid page, Contract end in March 2027", args.runs,
                         "< 150 ms")]
    export_query = CustomerQuery(status="all", filters=by_segment.filters)
    columns = ["name", "cf_segment", "cf_contract_end"]
    figures.append(Figure(
        "export CSV, Segment = Enterprise (3 columns)",
        median_ms(lambda: export_customers(export_query, columns, "csv", io.BytesIO()), 3),
        median_ms(raw_fetch(raw_sql(book_query(export_query, choose(columns)))), 3),
        "floor: the same rows fetched raw"))
    print(f"{args.customers:,} customers on {args.db}, custom fields in JSON")
    print()
    print_table(figures)


if __name__ == "__main__":
    main()
