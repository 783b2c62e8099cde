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


# A bulk import takes the triggers away inside its own transaction and indexes its rows in
# bulk (reindex), then puts them back before it commits (pause, resume). SQLite has one
# writer at a time and the DDL is part of the transaction: nobody else writes while the
# triggers are gone, readers keep the schema they had, and a failed import rolls the
# triggers back with its rows.

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


def _owner_sql() -> str:
    """The customer an index row belongs to, from its rowid alone (id * 4 + offset): a
    customer's own row is rowid / 4, a contact's or alias's owner one primary-key lookup in
    its table. Reading the stored customer_id instead goes through FTS5's content table row
    by row, which made a fragment found in 60,000 rows take 4 times as long."""
    rowid = f"{SQLITE_TABLE}.rowid"
    arms = " ".join(
        f"WHEN {offset} THEN " + (f"{rowid} / 4" if table_name == "customer" else
                                  f"(SELECT {owner} FROM {table_name} WHERE id = {rowid} / 4)")
        for table_name, offset, owner, _ in _SOURCES)
    return f"CASE {rowid} % 4 {arms} END"


def sqlite_owners(condition) -> Select:
    """Ids of the customers whose index rows meet `condition` (a MATCH or a LIKE on body)."""
    return select(literal_column(_owner_sql(), Integer)).select_from(sqlite_search).where(
        condition)


def _triggers(when: str = "") -> list[str]:
    """One insert, update and delete trigger per source table, each under rowid
    id * 4 + offset; `when` is a condition every trigger is written with (migration 0022's
    downgrade restores the one the triggers had before)."""
    statements = []
    for table_name, offset, owner, body in _SOURCES:
        insert = (f"INSERT INTO {SQLITE_TABLE}(rowid, customer_id, body) VALUES "
                  f"(new.id * 4 + {offset}, new.{owner}, {body.format(r='new')});")
        delete = f"DELETE FROM {SQLITE_TABLE} WHERE rowid = old.id * 4 + {offset};"
        statements += [
            f"CREATE TRIGGER search_{table_name}_ai AFTER INSERT ON {table_name} {when} "
            f"BEGIN {insert} END",
            f"CREATE TRIGGER search_{table_name}_au AFTER UPDATE OF {_WATCHED[table_name]} "
            f"ON {table_name} {when} BEGIN {delete} {insert} END",
            f"CREATE TRIGGER search_{table_name}_ad AFTER DELETE ON {table_name} {when} "
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


def install_triggers(conn: Connection, when: str = "") -> None:
    """(Re)write the SQLite triggers (migrations 0007 and 0022; see _triggers for `when`)."""
    if conn.dialect.name != "sqlite":
        return
    for trigger in _SQLITE_TRIGGERS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
    for statement in _triggers(when):
        conn.execute(text(statement))


def pause(conn) -> None:
    """Take the triggers away for the rest of this transaction (SQLite; see above). Even
    standing aside behind a WHEN clause, as they did before, they doubled the cost of each
    row the import inserts: the clause is evaluated and the FTS5 table's savepoint opened
    and closed for every row."""
    if conn.get_bind().dialect.name == "sqlite":
        for trigger in _SQLITE_TRIGGERS:
            conn.execute(text(f"DROP TRIGGER {trigger}"))


def resume(conn) -> None:
    """Put the triggers back, in the same transaction, before it commits."""
    if conn.get_bind().dialect.name == "sqlite":
        for statement in _triggers():
            conn.execute(text(statement))


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
        install_triggers(conn)
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
        return
    for table_name, column_name in TRIGRAM_COLUMNS:
        conn.execute(text(f"DROP INDEX IF EXISTS ix_{table_name}_{column_name}_trgm"))


def is_search_object(name: str | None) -> bool:
    """Objects Alembic's autogenerate must leave alone: they are not in the metadata."""
    return bool(name) and (name.startswith(SQLITE_TABLE) or name.endswith("_trgm")
                           or name == "ix_customer_custom_fields")  # GIN, PostgreSQL only
