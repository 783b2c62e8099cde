"""The quick-search index: which customers a text fragment can find.

Search looks for a fragment anywhere in a customer's name, business name, tax ID,
any contact's email and any alias. A substring search cannot use a B-tree, so:

- SQLite: an FTS5 table with the trigram tokenizer, which answers LIKE '%x%'
  from its index. Triggers keep it in step with every write, whoever makes it.
  Its rowid encodes the source row: id * 4 + 0 customer, + 1 contact, + 2 alias.
- PostgreSQL: pg_trgm GIN indexes on the same five columns, which answer ILIKE.
  If the extension cannot be created (no privilege), search still works, unindexed.
"""

from sqlalchemy import column, table, text
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

_CUSTOMER_BODY = "coalesce(new.name, '') || ' ' || coalesce(new.business_name, '') || ' ' || " \
                 "coalesce(new.tax_id, '')"
def _child_triggers(table_name: str, column_name: str, kind: int) -> list[str]:
    """Keep a contact's email or an alias's value in the index, under rowid id * 4 + kind."""
    insert = (f"INSERT INTO {SQLITE_TABLE}(rowid, customer_id, body) "
              f"VALUES (new.id * 4 + {kind}, new.customer_id, new.{column_name});")
    delete = f"DELETE FROM {SQLITE_TABLE} WHERE rowid = old.id * 4 + {kind};"
    return [
        f"CREATE TRIGGER search_{table_name}_ai AFTER INSERT ON {table_name} BEGIN {insert} END",
        f"CREATE TRIGGER search_{table_name}_au AFTER UPDATE OF {column_name}, customer_id "
        f"ON {table_name} BEGIN {delete} {insert} END",
        f"CREATE TRIGGER search_{table_name}_ad AFTER DELETE ON {table_name} BEGIN {delete} END",
    ]


_SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5("
    "customer_id UNINDEXED, body, tokenize='trigram')",
    f"""CREATE TRIGGER search_customer_ai AFTER INSERT ON customer BEGIN
        INSERT INTO {SQLITE_TABLE}(rowid, customer_id, body)
        VALUES (new.id * 4, new.id, {_CUSTOMER_BODY}); END""",
    f"""CREATE TRIGGER search_customer_au AFTER UPDATE OF name, business_name, tax_id
        ON customer BEGIN
        DELETE FROM {SQLITE_TABLE} WHERE rowid = old.id * 4;
        INSERT INTO {SQLITE_TABLE}(rowid, customer_id, body)
        VALUES (new.id * 4, new.id, {_CUSTOMER_BODY}); END""",
    f"""CREATE TRIGGER search_customer_ad AFTER DELETE ON customer BEGIN
        DELETE FROM {SQLITE_TABLE} WHERE rowid = old.id * 4; END""",
    *_child_triggers("contact", "email", 1),
    *_child_triggers("alias", "value", 2),
    f"""INSERT INTO {SQLITE_TABLE}(rowid, customer_id, body)
        SELECT id * 4, id, coalesce(name, '') || ' ' || coalesce(business_name, '') || ' ' ||
               coalesce(tax_id, '') FROM customer""",
    f"""INSERT INTO {SQLITE_TABLE}(rowid, customer_id, body)
        SELECT id * 4 + 1, customer_id, email FROM contact""",
    f"""INSERT INTO {SQLITE_TABLE}(rowid, customer_id, body)
        SELECT id * 4 + 2, customer_id, value FROM alias""",
]
_SQLITE_TRIGGERS = [f"search_{t}_{e}" for t in ("customer", "contact", "alias")
                    for e in ("ai", "au", "ad")]


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
        for statement in _SQLITE_DDL:
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
    return bool(name) and (name.startswith(SQLITE_TABLE) or name.endswith("_trgm"))
