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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import streamlit as st

from components.text import md_escape
from models.choices import COMMON_PAYMENT_TERMS, payment_terms_label
from models.fields import FieldSpec
from models.kinds import CODED, TYPED, Kind
from services import phones, reference
from services.legal_entities import list_legal_entities

# After a required field's label. Unescaped, since a widget's label is also its accessible
# name ("Customer Name *"); an asterisk after a space with nothing after it is never
# emphasis in markdown, so it shows as it is.
REQUIRED_MARK = " *"


def _state_keys(key: str) -> tuple[str, str]:
    return f"{key}:select", f"{key}:text"


@dataclass(frozen=True)
class Widget:
    """Which Streamlit input a kind is typed or picked with: the call, its options, the
    session-state key it binds (State binds one of two) and what else it takes."""

    call: str  # selectbox, multiselect, text_input, text_area, checkbox or date_input
    key: str
    options: list[Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Make = Callable[[FieldSpec, str, str | None], Widget]


def _country(spec: FieldSpec, key: str, country: str | None) -> Widget:
    names = reference.countries()
    return Widget("selectbox", key, list(names), {"format_func": names.get, "index": None,
                                                  "placeholder": "Choose a country"})


def _currency(spec: FieldSpec, key: str, country: str | None) -> Widget:
    names = reference.currencies()
    return Widget("selectbox", key, list(names), {
        "format_func": lambda c: f"{c} · {names[c]}", "index": None,
        "placeholder": "Choose a currency"})


def _state(spec: FieldSpec, key: str, country: str | None) -> Widget:
    """A country's subdivisions to choose from; free text where it has none."""
    subdivisions = reference.subdivisions(country) if country else {}
    select_key, text_key = _state_keys(key)
    if subdivisions:
        return Widget("selectbox", select_key, list(subdivisions), {
            "format_func": subdivisions.get, "index": None,
            "placeholder": "Choose a state or region"})
    return Widget("text_input", text_key, extra={"max_chars": spec.max_length})


def _payment_terms(spec: FieldSpec, key: str, country: str | None) -> Widget:
    current = st.session_state.get(key)
    options = sorted({*COMMON_PAYMENT_TERMS, *([current] if isinstance(current, int) else [])})
    return Widget("selectbox", key, options, {"format_func": _terms_label,
                                              "accept_new_options": True})


def _coded(kind: Kind) -> Make:
    choices = CODED[kind]

    def make(spec: FieldSpec, key: str, country: str | None) -> Widget:
        return Widget("selectbox", key, [c.value for c in choices],
                      {"format_func": lambda v: choices(v).label})
    return make


def _language(spec: FieldSpec, key: str, country: str | None) -> Widget:
    names = reference.languages()
    return Widget("selectbox", key, list(names), {
        "format_func": lambda v: f"{names.get(v, v)} · {v}", "index": None,
        "placeholder": "Choose a language"})


def _timezone(spec: FieldSpec, key: str, country: str | None) -> Widget:
    return Widget("selectbox", key, list(reference.timezones()), {
        "index": None, "placeholder": "Choose a time zone"})


def _legal_entity(spec: FieldSpec, key: str, country: str | None) -> Widget:
    entities = {e.id: e.name for e in list_legal_entities()}
    return Widget("selectbox", key, list(entities),
                  {"format_func": lambda i: entities.get(i, str(i))})


def _text_box(placeholder: str | None = None) -> Make:
    def make(spec: FieldSpec, key: str, country: str | None) -> Widget:
        return Widget("text_input", key, extra={"max_chars": spec.max_length,
                                                "placeholder": placeholder})
    return make


def _long_text(spec: FieldSpec, key: str, country: str | None) -> Widget:
    return Widget("text_area", key, extra={"max_chars": spec.max_length, "height": 100})


def _checkbox(spec: FieldSpec, key: str, country: str | None) -> Widget:
    return Widget("checkbox", key)


def _date(spec: FieldSpec, key: str, country: str | None) -> Widget:
    return Widget("date_input", key, extra={"value": None, "format": "YYYY-MM-DD"})


def _choice(spec: FieldSpec, key: str, country: str | None) -> Widget:
    return Widget("selectbox", key, list(spec.options), {"index": None,
                                                         "placeholder": "Choose an option"})


def _multi_choice(spec: FieldSpec, key: str, country: str | None) -> Widget:
    return Widget("multiselect", key, list(spec.options), {"placeholder": "Choose options"})


# The form widget of each kind someone types or picks.
WIDGETS: dict[Kind, Make] = {
    Kind.COUNTRY: _country,
    Kind.CURRENCY: _currency,
    Kind.STATE: _state,
    Kind.PERCENT: _text_box("0.00"),
    Kind.PAYMENT_TERMS: _payment_terms,
    Kind.BOOL: _checkbox,
    Kind.LONG_TEXT: _long_text,
    Kind.DATE: _date,
    Kind.CHOICE: _choice,
    Kind.MULTI_CHOICE: _multi_choice,
    Kind.INTEGER: _text_box("e.g. 12"),
    Kind.CUSTOMER: _text_box("Customer ID"),
    Kind.DECIMAL: _text_box("e.g. 12.5"),
    Kind.LEGAL_ENTITY: _legal_entity,
    Kind.PHONE: _text_box("+49 30 901820"),
    Kind.LANGUAGE: _language,
    Kind.TIMEZONE: _timezone,
    Kind.DAYS: _text_box("e.g. 7"),
    **dict.fromkeys((Kind.TEXT, Kind.EMAIL, Kind.EMAIL_OR_DOMAIN, Kind.URL, Kind.TAX_ID,
                     Kind.ALIAS, Kind.FIELD_KEY), _text_box()),
    **{kind: _coded(kind) for kind in CODED if kind in TYPED},
}


def render_field(
    spec: FieldSpec,
    key: str,
    *,
    label: str | None = None,
    country: str | None = None,
    disabled: bool = False,
    on_change: Callable | None = None,
    args: tuple = (),
    required: bool = False,
) -> None:
    """Draw the widget for `spec` bound to st.session_state[key]; with `on_change` a change
    reruns the page through that callback, without it the value waits for the next rerun.
    `label` (the field's own label by default) and the help are shown as typed; a
    `required` field's label ends in REQUIRED_MARK."""
    widget = WIDGETS[spec.kind](spec, key, country)
    shown = md_escape(label or spec.label) + (REQUIRED_MARK if required else "")
    kwargs: dict[str, Any] = {**widget.extra, "key": widget.key,
                              "help": md_escape(spec.help) if spec.help else None,
                              "disabled": disabled, "on_change": on_change or "ignore",
                              "args": args}
    if widget.call == "selectbox":
        st.selectbox(shown, widget.options, **kwargs)
    elif widget.call == "multiselect":
        st.multiselect(shown, widget.options, **kwargs)
    elif widget.call == "text_area":
        st.text_area(shown, **kwargs)
    elif widget.call == "checkbox":
        st.checkbox(shown, **kwargs)
    elif widget.call == "date_input":
        st.date_input(shown, **kwargs)
    else:
        st.text_input(shown, **kwargs)


def _terms_label(value: Any) -> str:
    return payment_terms_label(value) if isinstance(value, int) else str(value)


def read_field(spec: FieldSpec, key: str, *, country: str | None = None) -> Any:
    """The value a widget holds, in the form the services accept."""
    if spec.kind == Kind.STATE:
        select_key, text_key = _state_keys(key)
        subdivisions = reference.subdivisions(country) if country else {}
        return st.session_state.get(select_key if subdivisions else text_key)
    return st.session_state.get(key)


def _text_state(value: Any) -> str:
    return value or ""


def _number_state(value: Any) -> str:
    return "" if value is None else str(value)


def _same(value: Any) -> Any:
    return value


# A stored value as its widget holds it (State has two widgets: write_field handles it).
WIDGET_VALUE: dict[Kind, Callable[[Any], Any]] = {
    Kind.PERCENT: lambda value: str(value if value is not None else Decimal("0.00")),
    **dict.fromkeys((Kind.TEXT, Kind.EMAIL, Kind.EMAIL_OR_DOMAIN, Kind.URL, Kind.TAX_ID,
                     Kind.ALIAS, Kind.FIELD_KEY, Kind.LONG_TEXT), _text_state),
    Kind.INTEGER: _number_state,
    Kind.CUSTOMER: _number_state,
    Kind.DECIMAL: _number_state,
    Kind.DAYS: _number_state,
    Kind.PHONE: lambda value: phones.international(value) if value else "",
    Kind.MULTI_CHOICE: lambda value: list(value or []),
    Kind.BOOL: bool,  # a custom yes/no field never set is None
    **dict.fromkeys((Kind.COUNTRY, Kind.CURRENCY, Kind.STATE, Kind.PAYMENT_TERMS, Kind.DATE,
                     Kind.CHOICE, Kind.LEGAL_ENTITY, Kind.LANGUAGE, Kind.TIMEZONE), _same),
    **dict.fromkeys((k for k in CODED if k in TYPED), _same),
}


def write_field(spec: FieldSpec, key: str, value: Any, *, country: str | None = None) -> None:
    """Put a stored value into the widget's state (before the widget is drawn)."""
    if spec.kind == Kind.STATE:
        select_key, text_key = _state_keys(key)
        subdivisions = reference.subdivisions(country) if country else {}
        st.session_state[select_key] = value if value in subdivisions else None
        st.session_state[text_key] = "" if value in subdivisions else (value or "")
    else:
        st.session_state[key] = WIDGET_VALUE[spec.kind](value)


def clear_state(spec: FieldSpec, key: str) -> None:
    """Forget a state widget's values (its options change with the country)."""
    for k in _state_keys(key):
        st.session_state.pop(k, None)


def field_error(errors: Mapping[str, str], key: str) -> None:
    """The message for one field, right under its widget."""
    if key in errors:
        st.error(md_escape(errors[key]), icon="⚠️")
