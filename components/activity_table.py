"""Activity lines as a table; every value shown as typed (never as markdown or HTML)."""

import pandas as pd
import streamlit as st

from components.text import md_escape
from services.activity import ActivityLine


def activity_table(lines: list[ActivityLine], *, with_customer: bool = True) -> None:
    rows = []
    for line in lines:
        row = {"When": line.at.strftime("%Y-%m-%d %H:%M:%S UTC"), "Who": line.actor,
               "What": line.what}
        if with_customer:
            row["Customer"] = (f"{line.customer} (#{line.customer_id})" if line.customer
                               else "—")
        rows.append(row | {"Field": line.field, "Old": line.old, "New": line.new})
    # st.table renders its cells as markdown: escape them so every value shows as typed.
    st.table(pd.DataFrame(rows).map(md_escape), hide_index=True, border="horizontal")
