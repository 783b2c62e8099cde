"""Prepare the database before the app serves: migrate to head, and on request seed
demo customers into an empty database.

    python -m services.bootstrap [--demo]
"""

import argparse

from services import db
from services.config import settings
from services.demo_data import has_customers, seed_demo_customers


def demo_wanted(flag: bool) -> bool:
    """--demo asks for demo data; CUSTOMER_DESK_DEMO_DATA=0 turns it off all the same."""
    return flag and settings().demo_data


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
        print(f"Seeded {created} demo customers (set CUSTOMER_DESK_DEMO_DATA=0 to skip).")


if __name__ == "__main__":
    main()
