"""The History section: the customer's latest events, who changed what and when; each
event's fields old -> new when it is selected."""

import streamlit as st

from components.activity_log import activity_log
from components.match_count import of_count
from components.text import md_escape
from services.activity import ActivityFilter, activity_page


def history_view(customer_id: int) -> None:
    latest = activity_page(ActivityFilter(customer_id=customer_id))
    if not latest.events:
        st.caption("No changes recorded yet.")
        return
    activity_log(latest.events, key="history", with_customer=False)
    if latest.older is not None:
        st.caption(md_escape(f"The latest {len(latest.events):,} of {of_count(latest.count)} "
                             "events; the Activity page has them all."))
