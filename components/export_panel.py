"""Export the whole filtered set (not only the loaded page) to CSV or Excel."""

from pathlib import Path

import streamlit as st

from components.export_files import new_export_path
from components.text import md_escape
from services.customer_queries import CustomerQuery
from services.export import export_customers

MIME = {"csv": "text/csv",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FILE_NAMES = {"csv": "customers.csv", "xlsx": "customers.xlsx"}


def _run_export(q: CustomerQuery, columns: list[str], fmt: str) -> None:
    path = new_export_path("customers", fmt)
    bar = st.progress(0.0, text="Exporting…")

    def progress(done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"Exporting… {done:,} of {total:,}")

    with path.open("wb") as out:
        count = export_customers(q, columns, fmt, out, progress=progress)
    bar.empty()
    st.session_state["export.ready"] = (str(path), fmt, count)


def export_panel(q: CustomerQuery, columns: list[str], total: int) -> None:
    csv_col, xlsx_col, download_col = st.columns([1, 1, 3], vertical_alignment="center")
    requested = None
    if csv_col.button("Export CSV", disabled=total == 0, width="stretch"):
        requested = "csv"
    if xlsx_col.button("Export Excel", disabled=total == 0, width="stretch"):
        requested = "xlsx"
    if requested:
        with download_col:
            _run_export(q, columns, requested)
    ready = st.session_state.get("export.ready")
    if ready and Path(ready[0]).exists():
        path, fmt, count = ready
        download_col.download_button(
            f"Download {count:,} customers (.{md_escape(fmt)})", data=Path(path).read_bytes(),
            file_name=FILE_NAMES[fmt], mime=MIME[fmt], type="primary",
            on_click="ignore", key="export.download")
