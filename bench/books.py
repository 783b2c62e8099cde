"""Where benchmark books live: a SQLite file under data/ or a PostgreSQL schema, kept
between runs and named by their size (and a name for benchmarks that change them)."""

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
