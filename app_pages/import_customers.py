"""Import customers from a CSV or Excel file: preset, mapping, dry run, then import."""

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from components.session import current_actor, flash
from components.text import md_escape
from services.errors import ValidationError
from services.import_mapping import IGNORE, PRESETS, suggest, targets, template_csv
from services.imports import MODES, VALID_ONLY, dry_run, list_runs, run_import
from services.upload_reading import estimate_rows, read_table

UPLOADS = Path(__file__).resolve().parent.parent / "exports" / "imports"
IGNORED = "— ignore —"
STATUS = {"new": "New", "updated": "Updated", "unchanged": "Unchanged", "invalid": "Invalid"}


def _stored(upload) -> Path:
    """The upload on disk, read in chunks from there (never all rows in memory)."""
    data = upload.getvalue()
    UPLOADS.mkdir(parents=True, exist_ok=True)
    path = UPLOADS / f"{hashlib.sha256(data).hexdigest()[:16]}{Path(upload.name).suffix.lower()}"
    if not path.exists():
        path.write_bytes(data)
    return path


def _mapping(headers: list[str], preset: str, key: str) -> dict[str, str]:
    labels = targets()
    by_label = {label: field for field, label in labels.items()}
    suggested = suggest(headers, preset)
    frame = pd.DataFrame({"Column in file": headers,
                          "Field": [labels.get(suggested[h], IGNORED) for h in headers]})
    edited = st.data_editor(
        frame, key=key, hide_index=True, width="stretch", disabled=["Column in file"],
        column_config={"Field": st.column_config.SelectboxColumn(
            "Field", options=[IGNORED, *labels.values()], required=True)})
    return {row["Column in file"]: by_label.get(row["Field"], IGNORE)
            for _, row in edited.iterrows()}


def _preview(report) -> None:
    counts = report.counts
    for column, (action, label) in zip(st.columns(4), STATUS.items(), strict=True):
        column.metric(label, f"{counts[action]:,}")
    rows = [{"Row": r.line, "Status": STATUS[r.action],
             "Errors": r.message,
             **{h: (r.cells[i] if i < len(r.cells) else None)
                for i, h in enumerate(report.headers)}}
            for r in report.preview]
    if rows:
        st.caption(f"The first {len(rows):,} rows; every invalid cell is named under Errors.")
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _progress_bar(label: str, path: Path):
    total = estimate_rows(path)
    bar = st.progress(0.0, text=label)
    return bar, lambda done: bar.progress(min(done / total, 1.0),
                                          text=f"{label}… {done:,} of about {total:,} rows")


st.title("Import customers")
st.caption("Upload a CSV or Excel file. Rows whose External ID already belongs to a customer "
           "update that customer; re-importing a file never creates duplicates.")
st.download_button("Download the Customer Desk template", template_csv(),
                   file_name="customer-desk-template.csv", mime="text/csv")

upload = st.file_uploader("File", type=["csv", "xlsx"], key="import.file")
preset = st.selectbox("Preset", list(PRESETS), format_func=PRESETS.get, key="import.preset")

if upload is None:
    st.info("Choose a file to map its columns and check its rows.")
else:
    path = _stored(upload)
    headers, _ = read_table(path)
    st.subheader("Mapping")
    mapping = _mapping(headers, preset, key=f"import.mapping.{path.stem}.{preset}")
    state_key = f"import.report.{path.stem}.{preset}.{hash(tuple(sorted(mapping.items())))}"
    if st.button("Check file (dry run)", type="primary"):
        bar, progress = _progress_bar("Checking", path)
        st.session_state[state_key] = dry_run(path, mapping, progress=progress)
        bar.empty()
    report = st.session_state.get(state_key)
    if report is not None:
        st.subheader("Dry run")
        _preview(report)
        mode = st.radio("When rows are invalid", list(MODES), format_func=MODES.get,
                        index=list(MODES).index(VALID_ONLY), key="import.mode",
                        horizontal=True)
        if st.button("Import", type="primary", key="import.run"):
            invalid_out = path.with_suffix(".invalid.csv")
            bar, progress = _progress_bar("Importing", path)
            try:
                done = run_import(path, mapping, mode=mode, actor=current_actor(),
                                  filename=upload.name, preset=preset,
                                  invalid_out=invalid_out, progress=progress)
            except ValidationError as exc:
                bar.empty()
                st.error(md_escape(str(exc)), icon="⚠️")
            else:
                bar.empty()
                counts = done.counts
                flash(f"Imported: {counts['new']:,} new, {counts['updated']:,} updated, "
                      f"{counts['unchanged']:,} unchanged, {counts['invalid']:,} invalid.")
                st.session_state["import.done"] = (str(invalid_out), counts["invalid"])
                st.session_state.pop(state_key, None)
                st.rerun()
    done = st.session_state.get("import.done")
    if done and done[1] and Path(done[0]).exists():
        st.download_button(f"Download the {done[1]:,} invalid rows with their errors",
                           Path(done[0]).read_bytes(), file_name="invalid-rows.csv",
                           mime="text/csv", on_click="ignore")

st.subheader("Past imports")
runs = list_runs()
if runs:
    st.dataframe(pd.DataFrame([{
        "Started": r.started_at.strftime("%Y-%m-%d %H:%M"), "File": r.filename,
        "Preset": PRESETS.get(r.preset, r.preset), "Mode": MODES.get(r.mode, r.mode),
        "By": r.actor, **{STATUS[a]: r.counts.get(a, 0) for a in STATUS}} for r in runs]),
        hide_index=True, width="stretch")
else:
    st.caption("No imports yet.")
