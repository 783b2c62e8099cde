"""Where benchmark books live: a SQLite file under data/ or a PostgreSQL schema, kept
between runs and named by their size (and a name for benchmarks that change them)."""

import json
import os
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
PG_BASE = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def database_url(kind: str, count: int, name: str = "bench") -> str:
    """A book kept between runs; `name` keeps benchmarks that change it apart."""
    if kind == "sqlite":
        path = ROOT / "data" / f"{name}-{count}.sqlite3"
        return f"sqlite:///{path}"
    schema = f"{name}_{count}"
    engine = create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    engine.dispose()
    return f"{PG_BASE}?options=-csearch_path%3D{schema}"


TIMES = ROOT / "data" / "generation-times.json"


def record_generation(url: str, seconds: float) -> None:
    """How long generating the book at `url` took, kept beside the books: a book is
    generated once, and its figure is printed on every run after."""
    TIMES.parent.mkdir(exist_ok=True)
    times = json.loads(TIMES.read_text()) if TIMES.exists() else {}
    times[url] = round(seconds, 1)
    TIMES.write_text(json.dumps(times, indent=1))


def generation_seconds(url: str) -> float | None:
    return json.loads(TIMES.read_text()).get(url) if TIMES.exists() else None
