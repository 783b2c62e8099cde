"""Engine, sessions and migrations. The only module that knows how to reach the database.

DATABASE_URL selects the database; without it a SQLite file under ./data/ is
used (WAL, foreign keys on, busy timeout). Write sessions on SQLite begin with
BEGIN IMMEDIATE so two writers queue on the busy timeout instead of failing
when a read lock would have to be upgraded, and BEGIN is retried while another
writer (an import, say) holds the lock, for up to SQLITE_LOCK_WAIT_SECONDS.

A database that cannot be reached (PostgreSQL restarting) or a SQLite lock that
outlasts the wait surfaces as services.errors.DatabaseUnavailable: the pages show
its message and the API answers 503 with Retry-After. PostgreSQL connections are
pre-pinged, so the first request after a restart gets a fresh connection.
"""

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

from services.config import settings
from services.errors import ConflictError, DatabaseUnavailable

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "data" / "customer_desk.sqlite3"
SQLITE_BUSY_TIMEOUT_MS = 15_000
SQLITE_LOCK_WAIT_SECONDS = 120.0
SQLITE_MMAP_BYTES = 8 << 30
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03")  # connection lost, shutting down

_engine: Engine | None = None
_lookup_engine: Engine | None = None


def database_url() -> str:
    return settings().database_url or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _sqlite_engine(url) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's begin event below emit BEGIN itself.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # Setting the journal mode takes a lock even when it is already WAL: only ask once.
        if cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        # 64 MB of page cache (the default is 2 MB): the book's indexes and the search
        # index stay in memory, which bulk imports and exports need at 100,000 customers.
        cur.execute("PRAGMA cache_size=-65536")
        cur.execute("PRAGMA temp_store=MEMORY")
        # Read the file through the OS's page cache, mapped (up to the build's cap, 2 GB):
        # each pooled connection's own cache would otherwise copy the same pages again, and
        # the usage-attribution path (1,000 random aliases a query) spent a quarter of its
        # time on those copies.
        cur.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if not conn.get_execution_options().get("sqlite_immediate"):
            conn.exec_driver_sql("BEGIN")
            return
        # Nothing has run yet in this transaction, so trying BEGIN again is always safe.
        deadline = time.monotonic() + SQLITE_LOCK_WAIT_SECONDS
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if not _sqlite_locked(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    return engine


def _sqlite_locked(exc: DBAPIError) -> bool:
    message = str(exc.orig)
    return "database is locked" in message or "database is busy" in message


def unavailable(exc: BaseException) -> bool:
    """Whether a database error means "cannot be reached or stays locked, try again" rather
    than something wrong with the request."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    if exc.connection_invalidated or _sqlite_locked(exc):
        return True
    if type(exc.orig).__module__.startswith("sqlite3"):
        return False
    state = getattr(exc.orig, "sqlstate", None)
    return state is None or state.startswith(_UNAVAILABLE_SQLSTATES)


def _as_unavailable(exc: DBAPIError) -> DatabaseUnavailable:
    if _sqlite_locked(exc):
        return DatabaseUnavailable(
            "The database stayed busy with another long change (an import?). Nothing was "
            "saved; try again in a moment.")
    return DatabaseUnavailable()


def configure(url: str | None = None) -> Engine:
    """Point the services at a database (DATABASE_URL or the default SQLite file)."""
    global _engine, _lookup_engine
    for old in (_engine, _lookup_engine):
        if old is not None:
            old.dispose()
    _lookup_engine = None
    parsed = make_url(url or database_url())
    if parsed.get_backend_name() == "sqlite":
        _engine = _sqlite_engine(parsed)
    else:
        _engine = create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=10)
    return _engine


def get_engine() -> Engine:
    return _engine or configure()


def lookup_engine() -> Engine:
    """For single-statement reads on a hot path (alias resolution): on PostgreSQL a pool of
    autocommit connections without the pre-ping, so a lookup is one round trip instead of
    four (ping, BEGIN, query, ROLLBACK); the caller replaces a connection a server restart
    dropped and retries once. SQLite: the main engine."""
    global _lookup_engine
    engine = get_engine()
    if engine.dialect.name == "sqlite":
        return engine
    if _lookup_engine is None:
        # Autocommit leaves no transaction to roll back when a connection goes back.
        _lookup_engine = create_engine(engine.url, pool_size=5, max_overflow=10,
                                       isolation_level="AUTOCOMMIT", pool_reset_on_return=None)
    return _lookup_engine


def describe_database() -> str:
    """Where the data lives, for people: a file path or a host, never a password."""
    url = get_engine().url
    if url.get_backend_name() == "sqlite":
        return f"SQLite · {url.database}"
    return f"PostgreSQL · {url.host or 'localhost'}:{url.port or 5432}/{url.database}"


@contextmanager
def write_session() -> Iterator[Session]:
    """One transaction for one user action: commit on success, roll back on any error."""
    engine = get_engine().execution_options(sqlite_immediate=True)
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except StaleDataError as exc:
            session.rollback()
            raise ConflictError() from exc
        except DBAPIError as exc:
            _quiet_rollback(session)
            if unavailable(exc):
                raise _as_unavailable(exc) from exc
            raise
        except BaseException:
            _quiet_rollback(session)
            raise


def _quiet_rollback(session: Session) -> None:
    """Roll back; a connection the server dropped cannot, and needs not (nothing was kept)."""
    with suppress(DBAPIError):
        session.rollback()


@contextmanager
def read_session() -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
        except DBAPIError as exc:
            if unavailable(exc):
                raise _as_unavailable(exc) from exc
            raise


def optimize() -> None:
    """Let SQLite refresh its planner statistics where they are stale (cheap when they are not);
    without them it may sort the whole table instead of reading an index in order."""
    engine = get_engine()
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA optimize=0x10002")


def migrate(url: str | None = None) -> None:
    """Upgrade the schema to Alembic's head (the app calls this at start)."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url or str(get_engine().url.render_as_string(hide_password=False))
    with _one_migrator(config.attributes["url"]):
        command.upgrade(config, "head")


MIGRATION_LOCK = 7_315_001  # any fixed number: PostgreSQL's advisory lock for migrations


@contextmanager
def _one_migrator(url: str) -> Iterator[None]:
    """One process migrates at a time: the app and the API starting together on a new
    database would otherwise both create the same tables. A file lock beside a SQLite
    file; an advisory lock on PostgreSQL (held by a connection of its own)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            yield
            return
        lock_path = Path(parsed.database + ".migrate-lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with lock_path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
        return
    locker = create_engine(parsed, poolclass=NullPool)
    with locker.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
    locker.dispose()
