"""Activity events as a table, one row per event (who, when, what, which customer), and
the selected event's field changes below it, old -> new. Every value is shown as typed
(never as markdown or HTML).

One row per event keeps a page of 100 events one screen high whatever they changed (a row
per field made ~1,000 rows); the grid draws on a canvas, so its rows cost the browser
little.
"""

from datetime import UTC, tzinfo
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from components.customer_form import PROFILE_PAGE
from components.text import md_escape
from services.activity import ActivityEvent

# A link's text is read from its address: the customer's name rides in the fragment,
# which the browser keeps to itself.
_NAME_IN_LINK = "#(.+)$"


def viewer_zone() -> tzinfo:
    """The viewer's timezone, as the browser reports it; UTC when it reports none (AppTest)
    or one Python does not know."""
    name = st.context.timezone
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _customer(event: ActivityEvent) -> str:
    return f"{event.customer or ''} (#{event.customer_id})".lstrip()


def _link(event: ActivityEvent) -> str | None:
    """The profile's address, relative to this page so it holds behind a path prefix."""
    if event.customer_id is None:
        return None
    return f"customer?customer={event.customer_id}#{quote(_customer(event), safe='')}"


def _summary(event: ActivityEvent) -> str:
    if not event.changes:
        return "—"
    if len(event.changes) == 1:
        (change,) = event.changes
        return f"{change.field}: {change.old} → {change.new}"
    return f"{len(event.changes)} fields: " + ", ".join(c.field for c in event.changes)


def _details(event: ActivityEvent, when: str, with_customer: bool) -> None:
    with st.container(border=True):
        st.markdown(f"**{md_escape(event.what)}** · {md_escape(event.actor)} · {md_escape(when)}")
        if with_customer and event.customer_id is not None:
            st.page_link(PROFILE_PAGE, label=md_escape(_customer(event)), icon="🪪",
                         query_params={"customer": str(event.customer_id)})
        if not event.changes:
            st.caption("No field changed.")
            return
        rows = [{"Field": c.field, "Old": c.old, "New": c.new} for c in event.changes]
        # st.table renders its cells as markdown: escape them so every value shows as typed.
        st.table(pd.DataFrame(rows).map(md_escape), hide_index=True, border="horizontal")


def activity_log(events: list[ActivityEvent], *, key: str, with_customer: bool = True
                 ) -> None:
    zone = viewer_zone()
    when = [e.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") for e in events]
    when_column = f"When ({zone})"
    frame = pd.DataFrame({when_column: when, "Who": [e.actor for e in events],
                          "What": [e.what for e in events]})
    if with_customer:
        frame["Customer"] = [_link(e) for e in events]
    frame["Changes"] = [_summary(e) for e in events]
    # Keyed by the events shown, so a selection never outlives them (another page, other
    # filters, a newer event pushing the rows down).
    shown = st.dataframe(
        frame, hide_index=True, on_select="rerun", selection_mode="single-row", placeholder="—",
        key=f"{key}.{hash(tuple(e.id for e in events))}",
        column_config={when_column: st.column_config.TextColumn(width=200),
                       "Who": st.column_config.TextColumn(width="medium"),
                       "What": st.column_config.TextColumn(width=170),
                       "Customer": st.column_config.LinkColumn(width="medium",
                                                               display_text=_NAME_IN_LINK),
                       "Changes": st.column_config.TextColumn(width="large")})
    if not shown.selection.rows:
        st.caption("Select an event (the box at the start of its row) to see each field's "
                   "old and new value.")
        return
    row = shown.selection.rows[0]
    _details(events[row], when[row], with_customer)
