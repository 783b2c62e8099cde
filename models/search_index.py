"""The quick-search index: which customers a text fragment can find.

Search looks for a fragment anywhere in a customer's name, business name, tax ID,
any contact's email and any alias. A substring search cannot use a B-tree, so:

- SQLite: an FTS5 table with the trigram tokenizer, which answers LIKE '%x%'
  from its index. Triggers keep it in step with every write, whoever makes it.
  Its rowid encodes the source row: id * 4 + 0 customer, + 1 contact, + 2 alias.
- PostgreSQL: pg_trgm GIN indexes on the same five columns, which answer ILIKE.
  If the extension cannot be created (no privilege), search still works, unindexed.
"""

import json
from collections.abc import Container

from sqlalchemy import Integer, Select, column, literal_column, select, table, text
from sqlalchemy.engine import Connection

SQLITE_TABLE = "search_index"
# A query handle on the FTS5 table (which is not in the SQLModel metadata).
sqlite_search = table(SQLITE_TABLE, column("customer_id"), column("body"))
TRIGRAM_COLUMNS = (
    ("customer", "name"),
    ("customer", "business_name"),
    ("customer", "tax_id"),
    ("contact", "email"),
    ("alias", "value"),
)



def sqlite_holds(term: str):
    """The FTS5 rows whose text holds `term` (three characters or more), in any case, read
    from the trigram index: a quoted phrase matches a substring, % and _ taken literally
    (LIKE ... ESCAPE would bypass the index)."""
    return sqlite_search.c.body.op("MATCH")('"' + term.replace('"', '""') + '"')


def sqlite_customers_holding(term: str) -> Select:
    """Ids of the customers whose own row (name, business name, tax ID) holds `term` (three
    characters or more), from the trigram index alone: its rowid says the row's customer,
    so no indexed row is read."""
    return (select(literal_column("rowid / 4", Integer)).select_from(sqlite_search)
            .where(sqlite_holds(term), literal_column("rowid % 4", Integer) == 0))


PAUSE_TABLE = "search_index_pause"
# The triggers stand aside while the pause table has a row. Only a bulk import sets one,
# inside its own transaction: SQLite has one writer at a time and nobody else sees the
# uncommitted row, so no other write can slip past the index. The import then indexes
# its rows in bulk (reindex), about 7 times faster than a trigger per row.
_ACTIVE = f"WHEN NOT EXISTS (SELECT 1 FROM {PAUSE_TABLE})"

# (table, rowid offset, customer id expression, indexed text expression) of each source
_SOURCES = (
    ("customer", 0, "id",
     "coalesce({r}.name, '') || ' ' || coalesce({r}.business_name, '') || ' ' || "
     "coalesce({r}.tax_id, '')"),
    ("contact", 1, "customer_id", "{r}.email"),
    ("alias", 2, "customer_id", "{r}.value"),
)
_WATCHED = {"customer": "name, business_name, tax_id", "contact": "email, customer_id",
            "alias": "value, customer_id"}


def _triggers() -> list[str]:
    """One insert, update and delete trigger per source table, each under rowid
    id * 4 + offset."""
    statements = []
    for table_name, offset, owner, body in _SOURCES:
        insert = (f"INSERT INTO {SQLITE_TABLE}(rowid, customer_id, body) VALUES "
                  f"(new.id * 4 + {offset}, new.{owner}, {body.format(r='new')});")
        delete = f"DELETE FROM {SQLITE_TABLE} WHERE rowid = old.id * 4 + {offset};"
        statements += [
            f"CREATE TRIGGER search_{table_name}_ai AFTER INSERT ON {table_name} {_ACTIVE} "
            f"BEGIN {insert} END",
            f"CREATE TRIGGER search_{table_name}_au AFTER UPDATE OF {_WATCHED[table_name]} "
            f"ON {table_name} {_ACTIVE} BEGIN {delete} {insert} END",
            f"CREATE TRIGGER search_{table_name}_ad AFTER DELETE ON {table_name} {_ACTIVE} "
            f"BEGIN {delete} END",
        ]
    return statements


def _index_rows(where: str) -> list[str]:
    """INSERTs that index the source rows matching `where` (written against alias r)."""
    return [f"INSERT INTO {SQLITE_TABLE}(rowid, customer_id, body) "
            f"SELECT r.id * 4 + {offset}, r.{owner}, {body.format(r='r')} "
            f"FROM {table_name} AS r WHERE {where.format(owner=owner)}"
            for table_name, offset, owner, body in _SOURCES]


_IDS = "SELECT value FROM json_each(:ids)"  # the ids reindex is given, as one parameter
_SQLITE_TRIGGERS = [f"search_{t}_{e}" for t, _, _, _ in _SOURCES for e in ("ai", "au", "ad")]


def _install_triggers(conn: Connection) -> None:
    conn.execute(text(f"CREATE TABLE IF NOT EXISTS {PAUSE_TABLE} (id INTEGER PRIMARY KEY)"))
    for trigger in _SQLITE_TRIGGERS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
    for statement in _triggers():
        conn.execute(text(statement))


def pausable_triggers(conn: Connection) -> None:
    """Migration 0007: the triggers of 0003, replaced by ones a bulk import can pause."""
    if conn.dialect.name == "sqlite":
        _install_triggers(conn)


def pause(conn) -> None:
    """Stand the triggers aside for the rest of this transaction (SQLite; see PAUSE_TABLE)."""
    if conn.get_bind().dialect.name == "sqlite":
        conn.execute(text(f"INSERT INTO {PAUSE_TABLE} DEFAULT VALUES"))


def resume(conn) -> None:
    if conn.get_bind().dialect.name == "sqlite":
        conn.execute(text(f"DELETE FROM {PAUSE_TABLE}"))


def reindex(conn, customer_ids: list[int], *, created: Container[int] = ()) -> None:
    """Rebuild the index entries of these customers, their contacts and aliases in bulk.
    Customers `created` in this transaction have no entries yet, so none is looked for.
    The ids are one JSON parameter, not written into the SQL: a statement per chunk of an
    import would fill SQLAlchemy's and the driver's statement caches, which kept a
    million-row import's memory growing."""
    if not customer_ids or conn.get_bind().dialect.name != "sqlite":
        return
    stored = [int(i) for i in customer_ids if i not in created]
    if stored:
        stale = " UNION ALL ".join(
            f"SELECT id * 4 + {offset} FROM {table_name} WHERE {owner} IN ({_IDS})"
            for table_name, offset, owner, _ in _SOURCES)
        conn.execute(text(f"DELETE FROM {SQLITE_TABLE} WHERE rowid IN ({stale})"),
                     {"ids": json.dumps(stored)})
    ids = json.dumps([int(i) for i in customer_ids])
    for statement in _index_rows(f"r.{{owner}} IN ({_IDS})"):
        conn.execute(text(statement), {"ids": ids})


def _trigram_schema(conn: Connection) -> str | None:
    """The schema pg_trgm lives in, creating it in public if it is missing and allowed."""
    try:
        with conn.begin_nested():
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    except Exception:  # no privilege: search keeps working without the indexes
        return None
    return conn.execute(text(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
    )).scalar()


def create(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text(f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5("
                          "customer_id UNINDEXED, body, tokenize='trigram')"))
        _install_triggers(conn)
        for statement in _index_rows("1 = 1"):
            conn.execute(text(statement))
        return
    schema = _trigram_schema(conn)
    if schema is None:
        return
    for table_name, column_name in TRIGRAM_COLUMNS:
        conn.execute(text(
            f"CREATE INDEX IF NOT EXISTS ix_{table_name}_{column_name}_trgm ON {table_name} "
            f"USING gin ({column_name} {schema}.gin_trgm_ops)"
        ))


def drop(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for trigger in _SQLITE_TRIGGERS:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
        conn.execute(text(f"DROP TABLE IF EXISTS {SQLITE_TABLE}"))
        conn.execute(text(f"DROP TABLE IF EXISTS {PAUSE_TABLE}"))
        return
    for table_name, column_name in TRIGRAM_COLUMNS:
        conn.execute(text(f"DROP INDEX IF EXISTS ix_{table_name}_{column_name}_trgm"))


def is_search_object(name: str | None) -> bool:
    """Objects Alembic's autogenerate must leave alone: they are not in the metadata."""
    return bool(name) and (name.startswith(SQLITE_TABLE) or name.endswith("_trgm")
                           or name == "ix_customer_custom_fields")  # GIN, PostgreSQL only
