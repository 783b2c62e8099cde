"""Prepare the database before the app serves: migrate to head, and on request seed
demo customers into an empty database.

    python -m services.bootstrap [--demo]
"""

import argparse
import os

from services import db
from services.demo_data import has_customers, seed_demo_customers

DEMO_ENV = "CUSTOMER_DESK_DEMO_DATA"


def demo_wanted(flag: bool) -> bool:
    """--demo asks for demo data; CUSTOMER_DESK_DEMO_DATA=0 turns it off all the same."""
    return flag and os.environ.get(DEMO_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", action="store_true",
                        help="seed about 200 demo customers if the database has none")
    args = parser.parse_args(argv)
    db.migrate()
    db.optimize()
    print(f"Customer Desk database: {db.describe_database()} (schema at head)")
    if demo_wanted(args.demo) and not has_customers():
        created = seed_demo_customers()
        print(f"Seeded {created} demo customers (set {DEMO_ENV}=0 to skip).")


if __name__ == "__main__":
    main()
