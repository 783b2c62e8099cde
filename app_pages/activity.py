"""Activity: every change across all customers, filterable and exportable."""

from datetime import date
from pathlib import Path

import streamlit as st

from components.activity_log import activity_log, viewer_zone
from components.export_files import new_export_path
from components.ids import ID_RULE, parse_id
from services.activity import (
    ACTIONS,
    ActivityFilter,
    activity_page,
    actors,
    write_activity_csv,
)

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
    st.session_state["activity.page"] = 0
    st.session_state.pop("activity.export", None)

shown = activity_page(chosen, page=st.session_state.get("activity.page", 0))
if shown.total == 0:
    st.info("No changes match these filters.")
    st.stop()

# One row that wraps: on a phone the pager stays a line or two, not a screen of buttons.
pager = st.container(horizontal=True, vertical_alignment="center")
if pager.button("← Newer", disabled=shown.page == 0):
    st.session_state["activity.page"] = shown.page - 1
    st.rerun()
pager.caption(f"{shown.total:,} {'event' if shown.total == 1 else 'events'} · "
              f"page {shown.page + 1:,} of {shown.pages:,}", width="content")
if pager.button("Older →", disabled=shown.page >= shown.pages - 1):
    st.session_state["activity.page"] = shown.page + 1
    st.rerun()
if pager.button("Export CSV"):
    path = new_export_path("activity", "csv")
    with st.spinner("Exporting…"), path.open("wb") as out:
        count = write_activity_csv(chosen, out)
    st.session_state["activity.export"] = (str(path), count)
ready = st.session_state.get("activity.export")
if ready and Path(ready[0]).exists():
    pager.download_button(f"Download {ready[1]:,} lines (.csv)",
                          data=Path(ready[0]).read_bytes(),
                          file_name="activity.csv", mime="text/csv", type="primary",
                          on_click="ignore", key="activity.download")

activity_log(shown.events, key="activity.events")
