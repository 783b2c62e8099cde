"""Export the whole filtered set (not only the loaded page) to CSV or Excel.

A prepared file belongs to what made it: the search, filters, status, order and columns.
When any of them changes, or the number of customers they match does, the file no longer
holds what the page shows, so it is removed and its download button goes with it.
"""

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from components.export_files import new_export_path
from components.text import md_escape
from services.capped_counts import Count
from services.customer_queries import CustomerQuery
from services.export import export_customers

MIME = {"csv": "text/csv",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FILE_NAMES = {"csv": "customers.csv", "xlsx": "customers.xlsx"}
READY = "export.ready"


@dataclass(frozen=True)
class PreparedExport:
    path: str
    fmt: str
    count: int
    made_for: tuple  # made_for() of the query and columns it was written from


def made_for(q: CustomerQuery, columns: list[str]) -> tuple:
    """What an export's rows and columns depend on; the grid's page is not part of it."""
    return q.search, q.filters, q.status, q.sort, q.descending, tuple(columns)


def _customers(count: int) -> str:
    return "1 customer" if count == 1 else f"{count:,} customers"


def _run_export(q: CustomerQuery, columns: list[str], fmt: str) -> PreparedExport:
    """Write the file to disk a chunk at a time, the bar following the rows written; a file
    left half-written by a failure is removed."""
    path = new_export_path("customers", fmt)
    bar = st.progress(0.0, text="Exporting…")

    def progress(done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"Exporting… {done:,} of {total:,}")

    try:
        with path.open("wb") as out:
            count = export_customers(q, columns, fmt, out, progress=progress)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    bar.progress(1.0, text=md_escape(f"Exported {_customers(count)}"))
    return PreparedExport(str(path), fmt, count, made_for(q, columns))


def _same_count(ready: PreparedExport, count: Count) -> bool:
    return ready.count > count.value if count.more else ready.count == count.value


def _still_ready(q: CustomerQuery, columns: list[str], count: Count) -> PreparedExport | None:
    """The prepared export, if it still holds what the page shows; otherwise it is removed."""
    ready = st.session_state.get(READY)
    if ready is None:
        return None
    if (ready.made_for == made_for(q, columns) and _same_count(ready, count)
            and Path(ready.path).exists()):
        return ready
    Path(ready.path).unlink(missing_ok=True)
    del st.session_state[READY]
    return None


def _download_label(ready: PreparedExport) -> str:
    return f"Download {_customers(ready.count)} (.{ready.fmt})"


def export_panel(q: CustomerQuery, columns: list[str], count: Count) -> None:
    ready = _still_ready(q, columns, count)
    csv_col, xlsx_col, download_col = st.columns([1, 1, 3], vertical_alignment="center")
    requested = None
    if csv_col.button("Export CSV", disabled=count.value == 0, width="stretch"):
        requested = "csv"
    if xlsx_col.button("Export Excel", disabled=count.value == 0, width="stretch"):
        requested = "xlsx"
    if requested:
        if ready is not None:
            Path(ready.path).unlink(missing_ok=True)
        with download_col:
            ready = st.session_state[READY] = _run_export(q, columns, requested)
    if ready is not None:
        path = Path(ready.path)
        # Read when clicked, not on every rerun: a file of the whole book can be large.
        # Streamlit keeps what a click read in memory, one copy per file (a second click
        # finds the same content stored), until its clean-up after later runs drops it.
        download_col.download_button(
            md_escape(_download_label(ready)), data=path.read_bytes,
            file_name=FILE_NAMES[ready.fmt], mime=MIME[ready.fmt], type="primary",
            on_click="ignore", key="export.download")
