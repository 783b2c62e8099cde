"""Charts of the filtered set: customers by country, currency and legal entity."""

import pandas as pd
import streamlit as st

from components.text import md_escape
from services import reference
from services.customer_queries import CustomerQuery, facet_counts

FACETS = (("country", "By country"), ("currency", "By currency"),
          ("legal_entity_id", "By legal entity"))


def book_charts(q: CustomerQuery) -> None:
    for column, (key, title) in zip(st.columns(len(FACETS)), FACETS, strict=True):
        counts = facet_counts(q, key)
        labels = [reference.country_name(v) if key == "country" else v for v, _ in counts]
        frame = pd.DataFrame({"Customers": [n for _, n in counts]}, index=labels)
        with column:
            st.markdown(f"**{md_escape(title)}**")
            if frame.empty:
                st.caption("No customers match.")
            else:
                st.bar_chart(frame, horizontal=True, height=260)
