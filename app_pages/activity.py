"""Activity: every change across all customers, filterable and exportable.

Pages are read from where the last one ended (Newer / Older), so the page count is only
known once the matches are counted: up to 10,000 they always are; past that the pager
says "more than 10,000" until someone clicks Count all, whose figure the session keeps
for that filter.
"""

from datetime import date
from pathlib import Path

import streamlit as st

from components.activity_log import activity_log, viewer_zone
from components.export_files import new_export_path
from components.ids import ID_RULE, parse_id
from components.match_count import matches_text
from components.text import md_escape
from services.activity import (
    ACTIONS,
    PAGE_SIZE,
    ActivityFilter,
    activity_page,
    actors,
    count_activity,
    write_activity_csv,
)
from services.capped_counts import Count

st.title("Activity")
st.caption("Every change made in Customer Desk, through the pages, the API or an import: "
           "who, when, which customer, and each field's old and new value.")

who_col, id_col, name_col, what_col, since_col, until_col = st.columns([2, 1, 2, 2, 1.6, 1.6])
who = who_col.selectbox("User", actors(), index=None, placeholder="Anyone", key="activity.who")
customer_text = id_col.text_input("Customer ID", key="activity.customer", placeholder="e.g. 42")
customer_name = name_col.text_input("Customer name", key="activity.customer_name",
                                    placeholder="Part of the name")
what = what_col.selectbox("Action", list(ACTIONS), format_func=ACTIONS.get, index=None,
                          placeholder="Any action", key="activity.what")
since = since_col.date_input("From", value=None, key="activity.since", format="YYYY-MM-DD")
until = until_col.date_input("To", value=None, key="activity.until", format="YYYY-MM-DD")

customer_id = parse_id(customer_text)
if customer_text.strip() and customer_id is None:
    id_col.error(f"Customer ID is {ID_RULE}.")
if isinstance(since, date) and isinstance(until, date) and since > until:
    until_col.error("To is before From.")

chosen = ActivityFilter(actor=who, customer_id=customer_id,
                        customer_name=customer_name.strip() or None, action=what,
                        since=since if isinstance(since, date) else None,
                        until=until if isinstance(until, date) else None, zone=viewer_zone())
if st.session_state.get("activity.filter") != chosen:
    st.session_state["activity.filter"] = chosen
    st.session_state["activity.from"] = {}  # the newest page
    st.session_state["activity.page"] = 0
    st.session_state.pop("activity.export", None)

shown = activity_page(chosen, **st.session_state.get("activity.from", {}))
if shown.newer is None:  # the newest page, wherever the pager thought it was
    st.session_state["activity.page"] = 0
page = st.session_state.get("activity.page", 0)
counted = st.session_state.setdefault("activity.counts", {})
count: Count = shown.count if shown.count.exact else counted.get(chosen, shown.count)
if not shown.events:
    st.info("No changes match these filters.")
    st.stop()


def _go(where: dict, step: int) -> None:
    st.session_state["activity.from"] = where
    st.session_state["activity.page"] = page + step
    st.rerun()


def _where_you_are(count: Count, page: int) -> str:
    """"More than 10,000 events match · page 3", "250 events match · page 2 of 3"."""
    pages = "" if count.more else f" of {max(-(-count.value // PAGE_SIZE), 1):,}"
    return f"{matches_text(count, 'event', 'events')} · page {page + 1:,}{pages}"


# One row that wraps: on a phone the pager stays a line or two, not a screen of buttons.
pager = st.container(horizontal=True, vertical_alignment="center")
if pager.button("← Newer", disabled=shown.newer is None):
    _go({"newer_than": shown.newer}, -1)
pager.caption(md_escape(_where_you_are(count, page)), width="content")
if count.more and pager.button("Count all", help="Count every matching event: over "
                               "millions of events this takes a few seconds."):
    with st.spinner("Counting every matching event…"):
        counted[chosen] = count_activity(chosen)
    st.rerun()
if pager.button("Older →", disabled=shown.older is None):
    _go({"older_than": shown.older}, 1)
if pager.button("Export CSV"):
    path = new_export_path("activity", "csv")
    with st.spinner("Exporting…"), path.open("wb") as out:
        lines = write_activity_csv(chosen, out)
    st.session_state["activity.export"] = (str(path), lines)
ready = st.session_state.get("activity.export")
if ready and Path(ready[0]).exists():
    pager.download_button(f"Download {ready[1]:,} lines (.csv)",
                          data=Path(ready[0]).read_bytes(),
                          file_name="activity.csv", mime="text/csv", type="primary",
                          on_click="ignore", key="activity.download")

activity_log(shown.events, key="activity.events")
