"""What routing remembers of a file's earlier rows, kept on disk once it grows large, so
that memory stays flat however long the file.

Routing refuses a row that names an External ID an earlier row named, changes a customer
an earlier row changes, or names a payment method an earlier row names; and it follows the
families the earlier rows made. In dicts, that memory grew by about 300 bytes a row: 300 MB
for a million rows. A map here stays a dict up to KEPT_IN_MEMORY entries (a file of
100,000 rows pays nothing); past that, it moves to a temporary SQLite file of the
importing process (deleted when closed, never the book's database). Then, before each
chunk is routed, the entries its rows can ask for are read into memory (`load`), and what
the chunk adds is written out at the next load: memory holds one chunk's entries.
"""

import pickle
import sqlite3
from collections.abc import Hashable, Iterable
from typing import Any

KEPT_IN_MEMORY = 100_000  # entries of one map, about 30 MB
_BATCH = 5_000  # keys per SELECT, far below SQLite's limit on bound parameters
_MISSING = object()


class FileMemory:
    """One temporary database holding an import's maps; close it when the file is done."""

    def __init__(self) -> None:
        # "" opens a private temporary database on disk, deleted when it is closed.
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")

    def map(self, name: str) -> "SpilledMap":
        return SpilledMap(self._db, name)

    def close(self) -> None:
        self._db.close()


class SpilledMap:
    """A map of the file's earlier rows: `get`, `in` and `setdefault` answer for the keys
    last loaded and for what was added since."""

    def __init__(self, db: sqlite3.Connection, name: str) -> None:
        self._db, self._name = db, name
        db.execute(f"CREATE TABLE {name} (key PRIMARY KEY, value) WITHOUT ROWID")
        self._known: dict[Hashable, Any] = {}  # loaded from disk for the current chunk
        self._added: dict[Hashable, Any] = {}  # added since the last load
        self._stored = False  # whether the map moved to disk

    def load(self, keys: Iterable[Hashable]) -> None:
        """Once the map is on disk (or too large for memory), write out what was added;
        then read the stored entries of `keys`."""
        if self._added and (self._stored or len(self._added) >= KEPT_IN_MEMORY):
            self._db.executemany(
                f"INSERT OR IGNORE INTO {self._name} VALUES (?, ?)",
                [(_encoded(k), _encoded(v)) for k, v in self._added.items()])
            self._added, self._stored = {}, True
        self._known = {}
        if not self._stored:
            return
        wanted = [_encoded(k) for k in set(keys)]
        for start in range(0, len(wanted), _BATCH):
            part = wanted[start:start + _BATCH]
            query = (f"SELECT key, value FROM {self._name} "
                     f"WHERE key IN ({', '.join('?' * len(part))})")
            self._known.update((_decoded(k), _decoded(v))
                               for k, v in self._db.execute(query, part))

    def get(self, key: Hashable, default: Any = None) -> Any:
        found = self._added.get(key, _MISSING)
        return self._known.get(key, default) if found is _MISSING else found

    def __getitem__(self, key: Hashable) -> Any:
        found = self.get(key, _MISSING)
        if found is _MISSING:
            raise KeyError(key)
        return found

    def __contains__(self, key: Hashable) -> bool:
        return key in self._added or key in self._known

    def __setitem__(self, key: Hashable, value: Any) -> None:
        self._added[key] = value

    def setdefault(self, key: Hashable, value: Any) -> Any:
        found = self.get(key, _MISSING)
        if found is _MISSING:
            self._added[key] = value
            return value
        return found


def _encoded(value: Hashable) -> str | int | bytes:
    """Text and whole numbers as SQLite keeps them (the most common keys, and the cheapest);
    anything else (a tuple) pickled."""
    return value if type(value) in (str, int) else pickle.dumps(value)


def _decoded(value: str | int | bytes) -> Any:
    return pickle.loads(value) if type(value) is bytes else value
