"""SQLite has one writer at a time: a save waits out another writer's lock (an import, the
API) instead of failing, and a lock that outlasts the wait is a clear error."""

import sqlite3
import threading
import time

import pytest
from sqlmodel import func, select

from models import Customer
from services import db
from services.errors import DatabaseUnavailable
from tests.unit.factories import make_customer


@pytest.fixture
def sqlite_file(tmp_path, monkeypatch):
    """A fresh SQLite database with a 100 ms busy timeout, so only the retry can save us."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "locks.sqlite3"
    db.configure(f"sqlite:///{path}")
    db.migrate(f"sqlite:///{path}")
    yield path
    db.get_engine().dispose()


def hold_write_lock(path, seconds: float) -> threading.Thread:
    """Another writer: takes SQLite's write lock, keeps it `seconds`, then commits."""
    taken = threading.Event()

    def hold():
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        taken.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait()
    return thread


def count_customers() -> int:
    with db.read_session() as session:
        return session.exec(select(func.count()).select_from(Customer)).one()


def test_a_save_waits_for_another_writer_instead_of_failing(sqlite_file):
    holder = hold_write_lock(sqlite_file, 1.0)
    start = time.monotonic()
    customer = make_customer()
    waited = time.monotonic() - start
    holder.join()
    assert customer.id is not None and count_customers() == 1
    assert waited > 0.5  # it really did wait for the lock, ten times the busy timeout


def test_a_lock_held_too_long_is_a_clear_error_and_nothing_is_written(sqlite_file,
                                                                      monkeypatch):
    monkeypatch.setattr(db, "SQLITE_LOCK_WAIT_SECONDS", 0.3)
    holder = hold_write_lock(sqlite_file, 1.5)
    with pytest.raises(DatabaseUnavailable, match="stayed busy .* Nothing was saved"):
        make_customer()
    holder.join()
    assert count_customers() == 0
