"""Filters for the custom fields on the Customers page, bound to the URL like the others:
any of a select's options, yes/no, a date or number range, or a text it contains."""

from typing import Any

import streamlit as st

from components.text import md_escape
from models.fields import FieldSpec
from services.custom_fields import custom_specs
from services.custom_filters import TEXT_KINDS, CustomFilter, checked_end
from services.errors import ValidationError

_TRISTATE = {"any": None, "yes": True, "no": False}
_RANGES = ("date", "integer", "decimal")


def _keys(spec: FieldSpec) -> dict[str, Any]:
    """Widget key (= URL parameter) -> default, for one field's filter."""
    if spec.kind in _RANGES:
        return {f"{spec.key}_from": None if spec.kind == "date" else "",
                f"{spec.key}_to": None if spec.kind == "date" else ""}
    if spec.kind == "bool":
        return {spec.key: "any"}
    if spec.kind in ("choice", "multi_choice"):
        return {spec.key: []}
    return {spec.key: ""}


def defaults() -> dict[str, Any]:
    return {k: v for spec in custom_specs() for k, v in _keys(spec).items()}


def draw() -> None:
    specs = custom_specs()
    if not specs:
        return
    st.markdown("**Custom fields**")
    columns = st.columns(3)
    for index, spec in enumerate(specs):
        with columns[index % 3]:
            _draw(spec)


def _draw(spec: FieldSpec) -> None:
    common = {"bind": "query-params"}
    label = md_escape(spec.label)
    if spec.kind in ("choice", "multi_choice"):
        st.multiselect(label, spec.options, key=spec.key, placeholder="Any", **common)
    elif spec.kind == "bool":
        st.selectbox(label, list(_TRISTATE), format_func=str.capitalize, key=spec.key,
                     **common)
    elif spec.kind == "date":
        low, high = st.columns(2)
        low.date_input(f"{label} from", value=None, key=f"{spec.key}_from", **common)
        high.date_input(f"{label} to", value=None, key=f"{spec.key}_to", **common)
    elif spec.kind in _RANGES:
        low, high = st.columns(2)
        low.text_input(f"{label} from", key=f"{spec.key}_from", **common)
        high.text_input(f"{label} to", key=f"{spec.key}_to", **common)
        for end in ("from", "to"):
            problem = _range_end(spec, end)[1]
            if problem:
                st.caption(md_escape(f"{problem} It is left out of the filter."))
    else:
        st.text_input(label, key=spec.key, placeholder="Contains…", **common)


def query_filters() -> tuple[CustomFilter, ...]:
    state = st.session_state
    found = []
    for spec in custom_specs():
        if spec.kind in ("choice", "multi_choice") and state.get(spec.key):
            found.append(CustomFilter(spec.key, values=tuple(state[spec.key])))
        elif spec.kind == "bool" and _TRISTATE.get(state.get(spec.key, "any")) is not None:
            found.append(CustomFilter(spec.key, is_true=_TRISTATE[state[spec.key]]))
        elif spec.kind in _RANGES:
            low, high = (_range_end(spec, end)[0] for end in ("from", "to"))
            if low is not None or high is not None:
                found.append(CustomFilter(spec.key, low=low, high=high))
        elif spec.kind in TEXT_KINDS and (state.get(spec.key) or "").strip():
            found.append(CustomFilter(spec.key, contains=state[spec.key].strip()))
    return tuple(found)


def _range_end(spec: FieldSpec, end: str) -> tuple[Any, str | None]:
    """The range end typed or picked for `spec`, as the filter service takes it; or None and
    why it is left out (NaN, 1e999, 7 decimals: what no stored value can be compared with)."""
    value = st.session_state.get(f"{spec.key}_{end}")
    if value is None or isinstance(value, str) and not value.strip():
        return None, None
    try:
        return checked_end(spec.key, spec, value, f"{spec.label} {end}"), None
    except ValidationError as exc:
        return None, exc.errors[spec.key]
