"""Choice widgets kept in the page's URL as codes (?status=archived, ?sort=created_at,
?cols=tax_rate, ?country=FR), never as the labels they show.

Streamlit's bind="query-params" writes the label a widget displays (?country=France,
?cols=Customer+Name): a shared link would break when a label is renamed, and an integrator
cannot build one from the API's codes. These widgets are drawn unbound instead: `seed`
puts a link's codes into their state before they are drawn (codes a widget does not offer
are ignored), and `publish` writes their codes back once they are drawn (a value at its
default leaves the URL, as a bound widget's does).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import streamlit as st


@dataclass(frozen=True)
class CodeParam:
    """A widget's key (= the URL parameter), its default (a code, or a list of codes for a
    multi-select) and the options it offers, whose str() is their code."""

    key: str
    default: Any
    options: Callable[[], Iterable[Any]]

    @property
    def many(self) -> bool:
        return isinstance(self.default, list)


def seed(params: Iterable[CodeParam]) -> None:
    """A link's codes into the widgets that hold nothing yet (a link's first run, or the
    page opened again with Back)."""
    for param in params:
        if param.key in st.session_state or param.key not in st.query_params:
            continue
        offered = {str(option): option for option in param.options()}
        if param.many:
            chosen = [offered[code] for code in dict.fromkeys(st.query_params.get_all(param.key))
                      if code in offered]
            if chosen:
                st.session_state[param.key] = chosen
        elif st.query_params[param.key] in offered:
            st.session_state[param.key] = offered[st.query_params[param.key]]


def publish(params: Iterable[CodeParam]) -> None:
    """The widgets' codes into the URL; a default value leaves it."""
    for param in params:
        value = st.session_state.get(param.key, param.default)
        codes = [str(v) for v in value] if param.many else [str(value)]
        if value == param.default or value is None or codes == []:
            if param.key in st.query_params:
                del st.query_params[param.key]
        elif st.query_params.get_all(param.key) != codes:
            st.query_params[param.key] = codes if param.many else codes[0]
