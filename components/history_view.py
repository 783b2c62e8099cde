"""The History section: who changed what and when, old -> new, one line per field."""

import streamlit as st

from components.activity_table import activity_table
from services.activity import ActivityFilter, list_activity

HISTORY_LINES = 500


def history_view(customer_id: int) -> None:
    lines = list_activity(ActivityFilter(customer_id=customer_id), page_size=HISTORY_LINES)
    if not lines:
        st.caption("No changes recorded yet.")
        return
    activity_table(lines, with_customer=False)
    if len(lines) >= HISTORY_LINES:
        st.caption("The latest changes; the Activity page has them all.")
