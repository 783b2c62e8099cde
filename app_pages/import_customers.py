"""Import customers from a CSV or Excel file: preset, mapping, dry run, then import.

An upload is stored and read once (services.upload_store, services.upload_reading): its
summary, or the message refusing it, is kept in the session per upload and encoding,
so the reruns every widget causes never read the file again. An import's report is kept
with the upload too, so its result stays on the page until another file is chosen. The
preset is detected from the first reading's headers (components.import_preset).
"""

from pathlib import Path

import pandas as pd
import streamlit as st

from components.import_new_field import new_field_from_column, new_fields
from components.import_preset import choose_preset
from components.session import current_actor, flash
from components.text import md_escape
from services.config import MB, settings
from services.errors import DeskError
from services.import_mapping import IGNORE, PRESETS, detect, suggest, targets, template_csv
from services.imports import MODES, VALID_ONLY, ImportReport, dry_run, list_runs, run_import
from services.upload_reading import EXCEL_SUFFIXES, FileSummary, charsets, summarise
from services.upload_reading.delimited import NAMES
from services.upload_store import (
    checked_rows_path,
    invalid_rows_path,
    purge_expired,
    store_upload,
)

IGNORED = "— ignore —"
STATUS = {"new": "New", "updated": "Updated", "unchanged": "Unchanged", "invalid": "Invalid"}
UPLOAD = "import.upload"
PROFILE = "app_pages/customer_profile.py"
WRITTEN = {"new": "Created", "updated": "Updated"}


def _kept(upload) -> dict:
    """This upload's stored file and what reading it gave, per encoding, for the session."""
    kept = st.session_state.get(UPLOAD)
    if kept is None or kept["id"] != upload.file_id:
        kept = {"id": upload.file_id, "path": None, "refused": None, "read": {}, "done": None,
                "detection": None}
        try:
            upload.seek(0)
            kept["path"] = store_upload(upload, upload.name)
        except DeskError as exc:
            kept["refused"] = str(exc)
        st.session_state[UPLOAD] = kept
    return kept


def _read(kept: dict, encoding: str) -> FileSummary | str:
    """The file's summary, or the message refusing it; read at most once per encoding."""
    if encoding not in kept["read"]:
        try:
            kept["read"][encoding] = summarise(kept["path"], encoding or None)
        except DeskError as exc:
            kept["read"][encoding] = str(exc)
        else:
            kept["detection"] = kept["detection"] or detect(kept["read"][encoding].headers)
    return kept["read"][encoding]


def _describe(summary: FileSummary) -> None:
    rows, columns = summary.rows, len(summary.headers)
    shape = (f"{rows:,} row{'' if rows == 1 else 's'} and "
             f"{columns:,} column{'' if columns == 1 else 's'}")
    if summary.encoding:
        st.caption(md_escape(f"{shape}, read as {charsets.label(summary.encoding)} text "
                             f"separated by {NAMES[summary.delimiter]}."))
    else:
        st.caption(md_escape(f"{shape} in the first worksheet."))
    width = len(summary.headers)
    with st.expander("First rows of the file"):
        st.dataframe(pd.DataFrame([(row + [None] * width)[:width] for row in summary.sample],
                                  columns=summary.headers), hide_index=True)


def _mapping(headers: list[str], preset: str, key: str, made: dict[str, str]
             ) -> dict[str, str]:
    """The preset's mapping, with the columns made into custom fields mapped to them, as
    the user edits it."""
    labels = targets()
    by_label = {label: field for field, label in labels.items()}
    suggested = {**suggest(headers, preset), **made}
    frame = pd.DataFrame({"Column in file": headers,
                          "Field": [labels.get(suggested[h], IGNORED) for h in headers]})
    edited = st.data_editor(
        frame, key=key, hide_index=True, width="stretch", disabled=["Column in file"],
        column_config={"Field": st.column_config.SelectboxColumn(
            "Field", options=[IGNORED, *labels.values()], required=True)})
    return {row["Column in file"]: by_label.get(row["Field"], IGNORE)
            for _, row in edited.iterrows()}


def _counts(report: ImportReport) -> None:
    for column, (action, label) in zip(st.columns(4), STATUS.items(), strict=True):
        column.metric(md_escape(label), f"{report.counts[action]:,}")


def _invalid_rows(report: ImportReport, key: str) -> None:
    """The invalid rows with their errors, as the check or the import wrote them."""
    invalid = report.counts["invalid"]
    if report.invalid_rows is not None and report.invalid_rows.exists():
        st.download_button(f"Download the {invalid:,} invalid rows with their errors",
                           report.invalid_rows.read_bytes(), file_name="invalid-rows.csv",
                           mime="text/csv", key=key, on_click="ignore")


def _preview(report: ImportReport) -> None:
    _counts(report)
    _invalid_rows(report, "import.checked_rows")
    if report.noted:
        one = report.noted == 1
        st.caption(f"{report.noted:,} {'row' if one else 'rows'} without a Billing Currency "
                   f"{'takes its' if one else 'take their'} Country's currency: see Notes.")
    rows = [{"Row": r.line, "Status": STATUS[r.action],
             "Errors": r.message, "Notes": " ".join(r.notes),
             **{h: (r.cells[i] if i < len(r.cells) else None)
                for i, h in enumerate(report.headers)}}
            for r in report.preview]
    if rows:
        st.caption(f"The first {len(rows):,} rows; every invalid cell is named under Errors.")
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _progress_bar(label: str, total: int):
    bar = st.progress(0.0, text=md_escape(label))
    return bar, lambda done: bar.progress(
        min(done / max(total, 1), 1.0), text=md_escape(f"{label}… {done:,} of {total:,} rows"))


def _written(report: ImportReport) -> None:
    """Links to the first customers the import created and updated (the report keeps a
    bounded number however large the file), and how many more there are."""
    for column, (action, label) in zip(st.columns(len(WRITTEN)), WRITTEN.items(),
                                       strict=True):
        written, total = report.written[action], report.counts[action]
        if not written:
            continue
        column.markdown(f"**{md_escape(label)}**")
        for customer in written:
            column.page_link(PROFILE, label=md_escape(customer.name), icon="🪪",
                             query_params={"customer": str(customer.customer_id)})
        if total > len(written):
            column.caption(f"and {total - len(written):,} more: Activity lists every one.")


def _result(report: ImportReport) -> None:
    st.subheader("Import result")
    _counts(report)
    _invalid_rows(report, "import.invalid_rows")
    _written(report)


def _import(upload, kept: dict, summary: FileSummary, preset: str, encoding: str) -> None:
    path = kept["path"]
    st.header("Mapping")
    _describe(summary)
    mapping = _mapping(summary.headers, preset,
                       key=f"import.mapping.{upload.file_id}.{encoding}.{preset}",
                       made=new_fields(upload.file_id))
    new_field_from_column(upload.file_id, path, summary, mapping)
    state_key = (f"import.report.{upload.file_id}.{encoding}.{preset}."
                 f"{hash(tuple(sorted(mapping.items())))}")
    if st.button("Check file (dry run)", type="primary"):
        bar, progress = _progress_bar("Checking", summary.rows)
        try:
            st.session_state[state_key] = dry_run(path, mapping, progress=progress,
                                                  encoding=summary.encoding,
                                                  invalid_out=checked_rows_path(path))
        except DeskError as exc:
            st.error(md_escape(str(exc)), icon="⚠️")
        bar.empty()
    report = st.session_state.get(state_key)
    if report is None:
        return
    st.header("Dry run")
    _preview(report)
    mode = st.radio("When rows are invalid", list(MODES), format_func=lambda m: md_escape(MODES[m]),
                    index=list(MODES).index(VALID_ONLY), key="import.mode", horizontal=True)
    if st.button("Import", type="primary", key="import.run"):
        invalid_out = invalid_rows_path(path)
        bar, progress = _progress_bar("Importing", summary.rows)
        try:
            done = run_import(path, mapping, mode=mode, actor=current_actor(),
                              filename=upload.name, preset=preset, invalid_out=invalid_out,
                              progress=progress, encoding=summary.encoding)
        except DeskError as exc:
            bar.empty()
            st.error(md_escape(str(exc)), icon="⚠️")
        else:
            bar.empty()
            counts = done.counts
            flash(f"Imported: {counts['new']:,} new, {counts['updated']:,} updated, "
                  f"{counts['unchanged']:,} unchanged, {counts['invalid']:,} invalid.")
            kept["done"] = done
            st.session_state.pop(state_key, None)
            st.rerun()


st.title("Import customers")
st.caption("Upload a CSV or Excel file. Rows whose External ID already belongs to a customer "
           "update that customer; re-importing a file never creates duplicates.")
st.download_button("Download the Customer Desk template", template_csv(),
                   file_name="customer-desk-template.csv", mime="text/csv")
if not st.session_state.get("import.purged"):
    purge_expired()
    st.session_state["import.purged"] = True

upload = st.file_uploader("File", type=["csv", "xlsx"], key="import.file",
                          max_upload_size=-(-settings().upload_max_bytes // MB))

if upload is None:
    choose_preset(None, None)
    st.info("Choose a file to map its columns and check its rows.")
else:
    kept = _kept(upload)
    encoding = charsets.AUTOMATIC
    if Path(upload.name).suffix.lower() not in EXCEL_SUFFIXES:
        encoding = st.selectbox("Text encoding", list(charsets.CHOICES),
                                format_func=charsets.CHOICES.get, key="import.encoding",
                                help="Detected from the file; choose another if its letters "
                                     "look wrong under First rows of the file.")
    outcome = kept["refused"] or _read(kept, encoding)
    preset = choose_preset(upload.file_id, kept["detection"])
    if isinstance(outcome, str):
        st.error(md_escape(outcome), icon="⚠️")
    else:
        _import(upload, kept, outcome, preset, encoding)
    if kept["done"] is not None:
        _result(kept["done"])

st.header("Past imports")
runs = list_runs()
if runs:
    st.dataframe(pd.DataFrame([{
        "Started": r.started_at.strftime("%Y-%m-%d %H:%M"), "File": r.filename,
        "Preset": PRESETS.get(r.preset, r.preset), "Mode": MODES.get(r.mode, r.mode),
        "By": r.actor, **{STATUS[a]: r.counts.get(a, 0) for a in STATUS}} for r in runs]),
        hide_index=True, width="stretch")
else:
    st.caption("No imports yet.")
