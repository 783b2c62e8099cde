"""The service-level measurements: grid page, search, filters, count, aliases.

Exports are measured in processes of their own, memory too: bench.exports.
"""

import random
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bench.timing import median_ms, raw_fetch, raw_sql
from components.customer_grid import grid_frame
from models import Customer
from services.aliases import resolve_alias
from services.capped_counts import counting_query
from services.customer_columns import default_grid_columns
from services.customer_queries import (
    MATCHED,
    CustomerQuery,
    count_customers,
    list_customers,
    matching_query,
    page_query,
    sortable,
)
from services.db import get_engine, read_session
from services.list_filters import from_parameters as by
from services.page_plans import plan_page

GRID_PAGE = 1_000


@dataclass
class Figure:
    name: str
    median_ms: float
    floor_ms: float | None = None
    target: str = ""
    unit: str = "ms"

    @property
    def ratio(self) -> float | None:
        return self.median_ms / self.floor_ms if self.floor_ms else None


def _page_floor(q: CustomerQuery):
    page = list_customers(q)  # resolves the columns exactly as the grid asks for them
    with read_session() as session:
        plan = plan_page(session, q)
    statements = [raw_sql(page_query(q, page.columns, plan))]
    # A full page is counted too, up to the cap, unless it counted its matches (MATCHED).
    if len(page.rows) == q.limit and MATCHED not in page.rows[0]._fields:
        statements.append(raw_sql(counting_query(matching_query(q, plan))))
    return raw_fetch(*statements)


def grid_page(q: CustomerQuery, name: str, runs: int, target: str) -> Figure:
    def build() -> None:
        page = list_customers(q)
        grid_frame(page.rows, page.columns)
    return Figure(name, median_ms(build, runs), median_ms(_page_floor(q), runs), target)


def searches(count: int, runs: int) -> list[Figure]:
    n = max(count // 2, 1)
    terms = {"name fragment": "Globex Hooli", "email": f"billing{n}@",
             "alias": f"cus_{n:08d}", "tax ID": "DE1"}
    figures = []
    for label, term in terms.items():
        q = CustomerQuery(search=term, limit=GRID_PAGE)
        figures.append(Figure(f"search: {label}", median_ms(lambda q=q: list_customers(q), runs),
                              median_ms(_page_floor(q), runs), "< 50 ms"))
    return figures


def filters(runs: int) -> list[Figure]:
    today = date.today()
    with_method = (*default_grid_columns(), "payment_method")
    with_profile = (*default_grid_columns(), "customer_type", "phone", "invoice_language",
                    "timezone", "tax_exemption", "shipping_city")
    with_parent = (*default_grid_columns(), "parent_id")
    cases = {
        "country": CustomerQuery(filters=by(country=["DE"])),
        "currency": CustomerQuery(filters=by(currency=["GBP"])),
        "legal entity": CustomerQuery(filters=by(legal_entity_id=[2])),
        "invoicing flow": CustomerQuery(filters=by(invoicing_flow=["xero"])),
        "payment terms": CustomerQuery(filters=by(payment_terms=[45])),
        "auto pay": CustomerQuery(filters=by(auto_pay=True)),
        "status archived": CustomerQuery(status="archived"),
        "has tax ID": CustomerQuery(filters=by(has_tax_id=True)),
        # NOT EXISTS over the primary contact's partial index (services.builtin_columns).
        "no billing contact": CustomerQuery(filters=by(has_billing_contact=False)),
        "has a billing contact": CustomerQuery(filters=by(has_billing_contact=True)),
        # Every customer has a Stripe ID and none a Salesforce one: the two ends of the
        # Connected account filter (services.connected_accounts says how each is read).
        "connected account: Stripe": CustomerQuery(filters=by(connected_account=["stripe"])),
        "connected account: Salesforce": CustomerQuery(
            filters=by(connected_account=["salesforce"])),
        "created range": CustomerQuery(filters=by(created_from=today - timedelta(days=365),
                                                  created_to=today - timedelta(days=180))),
        # With the Default Payment Method column beside the standard ones, as finance adds it.
        "payment method column": CustomerQuery(columns=with_method),
        "payment method expiring": CustomerQuery(filters=by(payment_method=["expiring"]),
                                                 columns=with_method),
        "payment method none or expired": CustomerQuery(
            filters=by(payment_method=["none", "expired"]), columns=with_method),
        "auto pay without a usable method": CustomerQuery(
            filters=by(payment_method=["autopay_at_risk"]), columns=with_method),
        # The billing profile's columns beside the standard ones, and its two filters.
        "billing profile columns": CustomerQuery(columns=with_profile),
        "customer type: individual": CustomerQuery(filters=by(customer_type=["individual"]),
                                                   columns=with_profile),
        "tax exemption: reverse charge": CustomerQuery(
            filters=by(tax_exemption=["reverse_charge"]), columns=with_profile),
        # The Parent column (the parent's name) and the Family filter (services.family_sql).
        "parent column": CustomerQuery(columns=with_parent),
        "family: has a parent": CustomerQuery(filters=by(family=["child"]), columns=with_parent),
        "family: has children": CustomerQuery(filters=by(family=["parent"]),
                                              columns=with_parent),
        "family: standalone": CustomerQuery(filters=by(family=["standalone"]),
                                            columns=with_parent),
        "country + currency + sort by tax rate": CustomerQuery(
            filters=by(country=["DE", "FR"], currency=["EUR"]), sort="tax_rate",
            descending=True),
        "currency + auto pay + sort by created, newest first": CustomerQuery(
            filters=by(currency=["USD"], auto_pay=True), sort="created_at", descending=True),
    }
    return [grid_page(CustomerQuery(**{**q.__dict__, "limit": GRID_PAGE}), f"filter: {label}",
                      runs, "< 150 ms, ≤ 3× floor") for label, q in cases.items()]


def sorts(runs: int) -> list[Figure]:
    """The first page sorted by each sortable column of the default grid and the built-in
    ones beside it, both ways (custom fields sort by their JSON value and are left out)."""
    keys = [key for key in sortable() if key in Customer.__table__.c or key in
            default_grid_columns()]
    return [grid_page(CustomerQuery(sort=key, descending=descending, limit=GRID_PAGE),
                      f"sort: {key} {'desc' if descending else 'asc'}", runs, "< 150 ms")
            for key in keys for descending in (False, True)]


def deep_pages(count: int, runs: int) -> list[Figure]:
    """Pages halfway down and at the end of the book, by name and by a sorted column."""
    middle, last = count // 2, max(count - GRID_PAGE, 0)
    cases = {"deep page: middle, by name": CustomerQuery(offset=middle),
             "deep page: last, by name": CustomerQuery(offset=last, status="all"),
             "deep page: middle, by country desc": CustomerQuery(offset=middle, sort="country",
                                                                 descending=True)}
    return [grid_page(replace(q, limit=GRID_PAGE), label, runs, "< 150 ms")
            for label, q in cases.items()]


def counting(runs: int) -> Figure:
    q = CustomerQuery(status="all")
    floor = raw_fetch(raw_sql(counting_query(matching_query(q), exact=True)))
    return Figure("count (all customers)", median_ms(lambda: count_customers(q), runs),
                  median_ms(floor, runs))


def alias_rate(count: int, calls: int = 3_000) -> Figure:
    rng = random.Random(3)
    values = [f"cus_{rng.randint(1, count):08d}" for _ in range(calls)]
    start = time.perf_counter()
    for value in values:
        resolve_alias(value)
    per_second = calls / (time.perf_counter() - start)
    sql = "SELECT customer_id FROM alias WHERE value = '{}'"
    floor_start = time.perf_counter()
    connection = get_engine().raw_connection()
    cursor = connection.cursor()
    for value in values:
        cursor.execute(sql.format(value))
        cursor.fetchall()
    connection.close()
    floor = calls / (time.perf_counter() - floor_start)
    return Figure("alias resolution (per second, higher is better)", per_second, floor,
                  "≥ 5,000/s", unit="/s")
