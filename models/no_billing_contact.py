"""Customers without a billing (primary) contact, kept by the database's own triggers.

"No billing contact" asks which customers have no primary contact, an absence no index on
contact can list: the grid had to probe every customer in the book to find none, 600 ms at
a million. This table holds exactly those customers' ids, so the filter and the count read
it (rarely more than a few rows), and a sort by the primary contact's email finds the
customers to put last here.

Triggers keep it true for every write, whoever makes it (a form, the API, an import, SQL by
hand): a new customer enters it, a primary contact takes it out, losing one puts it back. Each
recounts from the contact table rather than trusting the event, so a swap of the primary
contact in one transaction lands right. On PostgreSQL the insert and delete triggers run once
per statement over its rows (an import's 5,000-row batch is one set-based statement).
"""

from sqlalchemy import Column, ForeignKey, Integer, text
from sqlalchemy.engine import Connection
from sqlmodel import Field, SQLModel

TABLE = "no_billing_contact"


class NoBillingContact(SQLModel, table=True):
    __tablename__ = TABLE

    customer_id: int = Field(sa_column=Column(
        Integer, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True))


def _recount(touched: str) -> tuple[str, str]:
    """The DELETE and INSERT that make the table true for the customers `touched` (a query
    of their ids as customer_id), the same on both databases. Both read from `touched`: as
    "customer.id IN (touched)", PostgreSQL scanned the whole customer table for every insert
    statement, its transition table having no statistics."""
    primary = "SELECT 1 FROM contact WHERE contact.customer_id = {} AND contact.is_primary"
    return (f"DELETE FROM {TABLE} WHERE customer_id IN (SELECT t.customer_id FROM ({touched}) t)"
            f" AND EXISTS ({primary.format(TABLE + '.customer_id')});",
            f"INSERT INTO {TABLE} (customer_id) SELECT t.customer_id FROM ({touched}) t "
            "WHERE EXISTS (SELECT 1 FROM customer WHERE customer.id = t.customer_id) "
            f"AND NOT EXISTS ({primary.format('t.customer_id')}) ON CONFLICT DO NOTHING;")


# name: (SQLite's event, its ids; PostgreSQL's event, transition table, each row or
# statement, its ids). PostgreSQL runs the insert and delete triggers once per statement,
# filters in its ids rather than a WHEN, and takes no column list beside transition tables.
_TRIGGERS = {
    "no_billing_contact_customer_ai": (
        "AFTER INSERT ON customer", "SELECT new.id AS customer_id",
        "AFTER INSERT ON customer", "NEW TABLE AS added", "STATEMENT",
        "SELECT id AS customer_id FROM added"),
    "no_billing_contact_contact_ai": (
        "AFTER INSERT ON contact WHEN new.is_primary", "SELECT new.customer_id AS customer_id",
        "AFTER INSERT ON contact", "NEW TABLE AS added", "STATEMENT",
        "SELECT customer_id FROM added WHERE is_primary"),
    "no_billing_contact_contact_ad": (
        "AFTER DELETE ON contact WHEN old.is_primary", "SELECT old.customer_id AS customer_id",
        "AFTER DELETE ON contact", "OLD TABLE AS removed", "STATEMENT",
        "SELECT customer_id FROM removed WHERE is_primary"),
    # Rare (the primary contact changes hands): one row at a time on PostgreSQL too, only
    # when the primary flag or the owner changes.
    "no_billing_contact_contact_au": (
        "AFTER UPDATE OF is_primary, customer_id ON contact",
        "SELECT old.customer_id AS customer_id UNION SELECT new.customer_id",
        "AFTER UPDATE ON contact", None,
        "ROW WHEN (old.is_primary IS DISTINCT FROM new.is_primary "
        "OR old.customer_id IS DISTINCT FROM new.customer_id)",
        "SELECT old.customer_id AS customer_id UNION SELECT new.customer_id"),
}


def install(conn: Connection) -> None:
    """Fill the table from the book as it stands and put its triggers in place."""
    conn.execute(text(f"DELETE FROM {TABLE}"))
    conn.execute(text(_recount("SELECT id AS customer_id FROM customer")[1]))
    for name, (event, ids, pg_event, transition, each, touched) in _TRIGGERS.items():
        if conn.dialect.name == "sqlite":
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
            conn.execute(text(f"CREATE TRIGGER {name} {event} BEGIN {' '.join(_recount(ids))} "
                              "END"))
            continue
        conn.execute(text(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {' '.join(_recount(touched))} RETURN NULL; END $$"))
        referencing = f"REFERENCING {transition} " if transition else ""
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {pg_event.split(' ON ')[1]}"))
        conn.execute(text(f"CREATE TRIGGER {name} {pg_event} {referencing}"
                          f"FOR EACH {each} EXECUTE FUNCTION {name}()"))


def uninstall(conn: Connection) -> None:
    for name in _TRIGGERS:
        if conn.dialect.name == "sqlite":
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        else:
            conn.execute(text(f"DROP FUNCTION IF EXISTS {name}() CASCADE"))
