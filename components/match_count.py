"""How many match, as a list page says it: the exact number, or "more than 10,000" beside
a button that counts them all (services.capped_counts says why the count stops)."""

from collections.abc import Callable

import streamlit as st

from components.text import md_escape
from services.capped_counts import Count


def matches_text(count: Count, noun: str, nouns: str) -> str:
    """"1 customer matches", "2,345 customers match", "More than 10,000 customers match"."""
    if count.more:
        return f"More than {count.value:,} {nouns} match"
    return f"1 {noun} matches" if count.value == 1 else f"{count.value:,} {nouns} match"


def of_count(count: Count) -> str:
    """The end of "Rows 1–100 of …"."""
    return f"more than {count.value:,}" if count.more else f"{count.value:,}"


def page_count(count: Count, page_size: int, page_number: int) -> int:
    """Pages the pager offers: all of them once counted, else those the count covers and
    the one after (it holds at least the first row past the cap), or the page a link
    opened deeper than that."""
    counted = count.value + (1 if count.more else 0)
    pages = max(1, -(-counted // page_size))
    return max(pages, page_number) if count.more else pages


def match_summary(count: Count, noun: str, nouns: str, *, on_count_all: Callable[[], None],
                  key: str) -> None:
    """The bold count, and "Count all" while it is not exact."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{md_escape(matches_text(count, noun, nouns))}**")
        if count.more:
            st.button("Count all", key=key, on_click=on_count_all,
                      help=md_escape(f"Count every matching {noun}: on a large book this "
                                     "takes a moment."))
