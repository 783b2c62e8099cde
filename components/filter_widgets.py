"""The filter widgets of the Customers page, one per kind (FILTER_WIDGETS), for built-in
columns and custom fields alike: each says its URL parameters and their defaults, draws
itself (kept in the URL, so a filtered list is a link), and reads its state back as a
services.list_filters.FieldFilter. Text, numbers and dates are bound to the URL as typed;
choices go there as codes (components/url_codes.py), never as the labels shown."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from components.text import md_escape
from components.url_codes import CodeParam
from models.choices import COMMON_PAYMENT_TERMS, payment_terms_label
from models.kinds import CODED, Filter, Kind
from services import connected_accounts, default_payment_method, family_sql, reference
from services.builtin_columns import BookColumn
from services.errors import ValidationError
from services.legal_entities import list_legal_entities
from services.list_filters import FieldFilter, checked_end

TRISTATE = {"any": None, "yes": True, "no": False}
Choices = Callable[[BookColumn], tuple[list[Any], Callable[[Any], str] | None]]


def _name(column: BookColumn) -> str:
    return column.filter.label or column.label


@dataclass(frozen=True)
class AnyOf:
    """A multi-select of the values a column can hold; any of those chosen."""

    choices: Choices

    def defaults(self, column: BookColumn) -> dict[str, Any]:
        return {column.filter.param: []}

    def code_param(self, column: BookColumn) -> CodeParam:
        return CodeParam(column.filter.param, [], lambda: self.choices(column)[0])

    def draw(self, column: BookColumn) -> None:
        options, shown = self.choices(column)
        st.multiselect(md_escape(_name(column)), options, format_func=shown or str,
                       key=column.filter.param, placeholder=column.filter.placeholder)

    def read(self, column: BookColumn, state: Any) -> FieldFilter | None:
        chosen = state.get(column.filter.param)
        return FieldFilter(column.key, values=tuple(chosen)) if chosen else None


@dataclass(frozen=True)
class YesNo:
    """Any, yes or no; `answers` says yes and no in the column's words."""

    answers: Callable[[BookColumn], dict[str, str]]

    def defaults(self, column: BookColumn) -> dict[str, Any]:
        return {column.filter.param: "any"}

    def code_param(self, column: BookColumn) -> CodeParam:
        return CodeParam(column.filter.param, "any", lambda: TRISTATE)

    def draw(self, column: BookColumn) -> None:
        st.selectbox(md_escape(_name(column)), list(TRISTATE), format_func=self.answers(column).get,
                     key=column.filter.param)

    def read(self, column: BookColumn, state: Any) -> FieldFilter | None:
        answer = TRISTATE.get(state.get(column.filter.param, "any"))
        return None if answer is None else FieldFilter(column.key, is_true=answer)


@dataclass(frozen=True)
class Between:
    """From and to: two date pickers, or two number boxes whose ends no stored value can be
    compared with are named under them and left out of the filter."""

    dates: bool

    def code_param(self, column: BookColumn) -> None:
        return None

    def defaults(self, column: BookColumn) -> dict[str, Any]:
        return dict.fromkeys(column.filter.end_params, None if self.dates else "")

    def draw(self, column: BookColumn) -> None:
        low, high = st.columns(2)
        first, last = column.filter.end_params
        if self.dates:
            low.date_input(f"{md_escape(_name(column))} from", value=None, key=first,
                           bind="query-params")
            high.date_input(f"{md_escape(_name(column))} to", value=None, key=last,
                            bind="query-params")
        else:
            low.text_input(f"{md_escape(_name(column))} from", key=first, bind="query-params")
            high.text_input(f"{md_escape(_name(column))} to", key=last, bind="query-params")
        for param in column.filter.end_params:
            problem = _end(column, param)[1]
            if problem:
                st.caption(md_escape(f"{problem} It is left out of the filter."))

    def read(self, column: BookColumn, state: Any) -> FieldFilter | None:
        low, high = (_end(column, param)[0] for param in column.filter.end_params)
        if low is None and high is None:
            return None
        return FieldFilter(column.key, low=low, high=high)


@dataclass(frozen=True)
class Contains:
    def code_param(self, column: BookColumn) -> None:
        return None

    def defaults(self, column: BookColumn) -> dict[str, Any]:
        return {column.filter.param: ""}

    def draw(self, column: BookColumn) -> None:
        st.text_input(md_escape(_name(column)), key=column.filter.param, placeholder="Contains…",
                      bind="query-params")

    def read(self, column: BookColumn, state: Any) -> FieldFilter | None:
        text = (state.get(column.filter.param) or "").strip()
        return FieldFilter(column.key, contains=text) if text else None


def _end(column: BookColumn, param: str) -> tuple[Any, str | None]:
    """A range end as the filter service takes it; or None and why it is left out (NaN,
    1e999, 7 decimals: what no stored value can be compared with). A built-in date range
    is a pair of date pickers: nothing to refuse."""
    value = st.session_state.get(param)
    if value is None or isinstance(value, str) and not value.strip():
        return None, None
    if column.custom_attr is None:
        return value, None
    end = "from" if param == column.filter.end_params[0] else "to"
    try:
        return checked_end(column.key, column.kind, value, f"{column.label} {end}"), None
    except ValidationError as exc:
        return None, exc.errors[column.key]


def _entities(column: BookColumn) -> tuple[list[Any], Callable[[Any], str]]:
    names = {e.id: e.name for e in list_legal_entities()}
    return list(names), names.get


def _payment_method_states(column: BookColumn) -> tuple[list[Any], Callable[[Any], str]]:
    labels = default_payment_method.state_labels()
    return list(labels), labels.get


def _present(column: BookColumn) -> dict[str, str]:
    yes, no = column.filter.answers or (f"Has a {_name(column)}", f"No {_name(column)}")
    return {"any": "Any", "yes": yes, "no": no}


PRESENT = YesNo(_present)  # whatever the kind: has a value, has none, or any


FILTER_WIDGETS: dict[Kind, AnyOf | YesNo | Between | Contains] = {
    Kind.COUNTRY: AnyOf(lambda c: (list(reference.countries()), reference.countries().get)),
    Kind.CURRENCY: AnyOf(lambda c: (list(reference.currencies()), None)),
    Kind.LEGAL_ENTITY: AnyOf(_entities),
    **{kind: AnyOf(lambda c, choices=choices: ([f.value for f in choices],
                                               lambda v: choices(v).label))
       for kind, choices in CODED.items()},
    Kind.PAYMENT_TERMS: AnyOf(lambda c: (list(COMMON_PAYMENT_TERMS), payment_terms_label)),
    Kind.CHOICE: AnyOf(lambda c: (list(c.options), None)),
    Kind.MULTI_CHOICE: AnyOf(lambda c: (list(c.options), None)),
    Kind.PAYMENT_METHOD: AnyOf(_payment_method_states),
    Kind.CUSTOMER: AnyOf(lambda c: (list(family_sql.STATE_LABELS),
                                    family_sql.STATE_LABELS.get)),
    Kind.ALIAS: AnyOf(lambda c: (list(connected_accounts.filter_labels()),
                                 connected_accounts.filter_labels().get)),
    Kind.BOOL: YesNo(lambda c: {k: k.capitalize() for k in TRISTATE}),
    Kind.DATETIME: Between(dates=True),
    Kind.DATE: Between(dates=True),
    Kind.INTEGER: Between(dates=False),
    Kind.DECIMAL: Between(dates=False),
    **dict.fromkeys((Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.URL), Contains()),
}


def widget(column: BookColumn) -> AnyOf | YesNo | Between | Contains:
    """The column's filter widget: by its kind, or "has a value" (Filter.PRESENT)."""
    return PRESENT if column.filter.style == Filter.PRESENT else FILTER_WIDGETS[column.kind]
