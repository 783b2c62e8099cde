"""One widget per field kind, read from the catalogue, plus the errors shown under them.

Values live in st.session_state under the caller's keys, so whatever a user typed
stays when a save is refused.

A field commits with its form's button, not on its own (on_change="ignore"): the
browser holds what was typed and sends every field together with the click. A rerun
per field, as Streamlit does by default, raced with the next keystrokes: a value
committed while the previous rerun was redrawing the form could come back empty. Only
a field that other fields depend on (Country: currency and states) passes a callback.
"""

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import streamlit as st

from components.text import md_escape
from models.choices import InvoicingFlow, payment_terms_label
from models.fields import FieldSpec
from services import reference
from services.legal_entities import list_legal_entities

COMMON_PAYMENT_TERMS = (0, 7, 10, 14, 15, 30, 45, 60, 90)


def _state_keys(key: str) -> tuple[str, str]:
    return f"{key}:select", f"{key}:text"


def render_field(
    spec: FieldSpec,
    key: str,
    *,
    label: str | None = None,
    country: str | None = None,
    disabled: bool = False,
    on_change: Callable | None = None,
    args: tuple = (),
) -> None:
    """Draw the widget for `spec` bound to st.session_state[key]; with `on_change` a change
    reruns the page through that callback, without it the value waits for the next rerun.
    `label` (the field's own label by default) and the help are shown as typed."""
    shown = md_escape(label or spec.label)
    common: dict[str, Any] = {"help": md_escape(spec.help) if spec.help else None,
                              "disabled": disabled,
                              "on_change": on_change or "ignore", "args": args}
    kind = spec.kind
    if kind == "country":
        names = reference.countries()
        st.selectbox(shown, list(names), format_func=names.get, index=None,
                     placeholder="Choose a country", key=key, **common)
    elif kind == "currency":
        names = reference.currencies()
        st.selectbox(shown, list(names), format_func=lambda c: f"{c} · {names[c]}", index=None,
                     placeholder="Choose a currency", key=key, **common)
    elif kind == "state":
        subdivisions = reference.subdivisions(country) if country else {}
        select_key, text_key = _state_keys(key)
        if subdivisions:
            st.selectbox(shown, list(subdivisions), format_func=subdivisions.get, index=None,
                         placeholder="Choose a state or region", key=select_key, **common)
        else:
            st.text_input(shown, key=text_key, max_chars=spec.max_length, **common)
    elif kind == "percent":
        st.text_input(shown, key=key, placeholder="0.00", **common)
    elif kind == "payment_terms":
        current = st.session_state.get(key)
        options = sorted({*COMMON_PAYMENT_TERMS, *([current] if isinstance(current, int) else [])})
        st.selectbox(shown, options, format_func=_terms_label, key=key,
                     accept_new_options=True, **common)
    elif kind == "bool":
        st.checkbox(shown, key=key, **common)
    elif kind == "invoicing_flow":
        st.selectbox(shown, [f.value for f in InvoicingFlow],
                     format_func=lambda v: InvoicingFlow(v).label, key=key, **common)
    elif kind == "long_text":
        st.text_area(shown, key=key, max_chars=spec.max_length, height=100, **common)
    elif kind == "date":
        st.date_input(shown, key=key, value=None, format="YYYY-MM-DD", **common)
    elif kind == "choice":
        st.selectbox(shown, spec.options, index=None, placeholder="Choose an option", key=key,
                     **common)
    elif kind == "multi_choice":
        st.multiselect(shown, spec.options, placeholder="Choose options", key=key, **common)
    elif kind in ("integer", "decimal"):
        st.text_input(shown, key=key, placeholder="e.g. 12" if kind == "integer" else "e.g. 12.5",
                      **common)
    elif kind == "legal_entity":
        entities = {e.id: e.name for e in list_legal_entities()}
        st.selectbox(shown, list(entities), format_func=lambda i: entities.get(i, str(i)),
                     key=key, **common)
    else:
        st.text_input(shown, key=key, max_chars=spec.max_length, **common)


def _terms_label(value: Any) -> str:
    return payment_terms_label(value) if isinstance(value, int) else str(value)


def read_field(spec: FieldSpec, key: str, *, country: str | None = None) -> Any:
    """The value a widget holds, in the form the services accept."""
    if spec.kind == "state":
        select_key, text_key = _state_keys(key)
        subdivisions = reference.subdivisions(country) if country else {}
        return st.session_state.get(select_key if subdivisions else text_key)
    return st.session_state.get(key)


def write_field(spec: FieldSpec, key: str, value: Any, *, country: str | None = None) -> None:
    """Put a stored value into the widget's state (before the widget is drawn)."""
    if spec.kind == "state":
        select_key, text_key = _state_keys(key)
        subdivisions = reference.subdivisions(country) if country else {}
        st.session_state[select_key] = value if value in subdivisions else None
        st.session_state[text_key] = "" if value in subdivisions else (value or "")
    elif spec.kind == "percent":
        st.session_state[key] = str(value if value is not None else Decimal("0.00"))
    elif spec.kind in ("text", "email", "tax_id", "alias", "long_text", "url"):
        st.session_state[key] = value or ""
    elif spec.kind in ("integer", "decimal"):
        st.session_state[key] = "" if value is None else str(value)
    elif spec.kind == "multi_choice":
        st.session_state[key] = list(value or [])
    elif spec.kind == "bool":
        st.session_state[key] = bool(value)  # a custom yes/no field never set is None
    else:
        st.session_state[key] = value


def clear_state(spec: FieldSpec, key: str) -> None:
    """Forget a state widget's values (its options change with the country)."""
    for k in _state_keys(key):
        st.session_state.pop(k, None)


def field_error(errors: Mapping[str, str], key: str) -> None:
    """The message for one field, right under its widget."""
    if key in errors:
        st.error(md_escape(errors[key]), icon="⚠️")
