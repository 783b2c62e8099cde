"""On the Import page's mapping step: turn a column no field reads into a custom field
(admins), with the column's header as its label and the type its values suggest. The
column is then mapped to the new field, so the dry run and the import fill it."""

from pathlib import Path

import streamlit as st

from components.session import current_actor, flash, is_admin
from components.text import md_escape
from services.errors import DeskError
from services.import_field_guess import (
    KIND_CHOICES,
    column_values,
    guess_kind,
    sampled_column,
)
from services.import_mapping import IGNORE
from services.import_new_fields import add_field_for_column
from services.upload_reading import FileSummary

_PREFIX = "import.new_field"


def new_fields(upload_id: str) -> dict[str, str]:
    """Column -> the field key made for it from this upload, to map it by default."""
    return st.session_state.setdefault(f"{_PREFIX}.made.{upload_id}", {})


def _create(upload_id: str, column: str, index: int) -> None:
    state = st.session_state
    label, kind = state.get(f"{_PREFIX}.label.{index}"), state.get(f"{_PREFIX}.kind.{index}")
    state.pop(f"{_PREFIX}.error", None)
    try:
        key = add_field_for_column(label, kind, actor=current_actor())
    except DeskError as exc:
        state[f"{_PREFIX}.error"] = str(exc)
        return
    new_fields(upload_id)[column] = key
    flash(f"Custom field {str(label).strip()} created; the column {column} is mapped to it.")


def _values(upload_id: str, path: Path, summary: FileSummary, column: str
            ) -> list[str | None]:
    """The column's first rows, read once per upload and column, not on every rerun."""
    key = f"{_PREFIX}.values.{upload_id}.{summary.encoding}.{column}"
    if key not in st.session_state:
        try:
            st.session_state[key] = sampled_column(path, summary.encoding, column)
        except DeskError:
            st.session_state[key] = column_values(summary.headers, summary.sample, column)
    return st.session_state[key]


def new_field_from_column(upload_id: str, path: Path, summary: FileSummary,
                          mapping: dict[str, str]) -> None:
    """The control, under the mapping, while a column is left unmapped."""
    unmapped = [h for h in summary.headers if mapping.get(h, IGNORE) == IGNORE]
    if not unmapped:
        return
    if not is_admin():
        st.caption("An admin can turn a column no field reads into a custom field here.")
        return
    with st.expander("New custom field from a column",
                     expanded=f"{_PREFIX}.error" in st.session_state):
        column = st.selectbox("Column", unmapped, key=f"{_PREFIX}.column")
        index = summary.headers.index(column)
        values = _values(upload_id, path, summary, column)
        guessed = guess_kind(values)
        label, kind = st.columns([2, 1])
        label.text_input("Label", value=column.strip()[:100], max_chars=100,
                         key=f"{_PREFIX}.label.{index}")
        kind.selectbox("Type", list(KIND_CHOICES), format_func=KIND_CHOICES.get,
                       index=list(KIND_CHOICES).index(guessed), key=f"{_PREFIX}.kind.{index}")
        shown = sum(1 for v in values if v and v.strip())
        st.caption(md_escape(f"Type guessed from the column's first {len(values):,} rows "
                             f"({shown:,} with a value): {KIND_CHOICES[guessed]}."))
        if f"{_PREFIX}.error" in st.session_state:
            st.error(md_escape(st.session_state[f"{_PREFIX}.error"]), icon="⚠️")
        st.button("Create the field and map the column", key=f"{_PREFIX}.create",
                  on_click=_create, args=(upload_id, column, index))
