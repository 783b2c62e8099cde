"""Customers: search, the grid, and the New Customer modal."""

import streamlit as st

from components.customer_form import PROFILE_PAGE, new_customer_form, open_created_profile
from components.customer_grid import customer_grid
from services.customer_queries import CustomerQuery, list_customers

GRID_ROWS = 1_000
STATUSES = {"active": "Active", "archived": "Archived", "all": "All"}

if "customer" in st.query_params:
    st.switch_page(PROFILE_PAGE, query_params={"customer": st.query_params["customer"]})


@st.dialog("New Customer", width="large")
def new_customer_dialog() -> None:
    open_created_profile(new_customer_form("new_customer_modal"))


title, action = st.columns([4, 1], vertical_alignment="bottom")
title.title("Customers")
if action.button("New Customer", type="primary", width="stretch"):
    new_customer_dialog()

search, status = st.columns([4, 1])
term = search.text_input(
    "Search", key="customers.search",
    placeholder="Name, business name, any contact email, External ID or Tax ID",
)
chosen = status.selectbox("Status", list(STATUSES), format_func=STATUSES.get,
                          key="customers.status")

page = list_customers(CustomerQuery(search=term or None, status=chosen, limit=GRID_ROWS))
shown = len(page.rows)
summary = ("1 customer matches" if page.total == 1
           else f"{page.total:,} customers match")
if page.total > shown:
    summary += f" · the grid holds the first {shown:,}; refine the search to see the rest"
st.caption(summary)

if page.total == 0:
    if term:
        st.info("No customer matches this search. Try part of a name, an email or an ID.")
    else:
        st.info("No customers here yet. Click **New Customer** to add the first one.")
else:
    selected = customer_grid(page.rows, key="customers.grid")
    if selected:
        if st.button("Open profile", type="primary"):
            st.switch_page(PROFILE_PAGE, query_params={"customer": str(selected[0])})
    else:
        st.caption("Select a row to open the customer's profile.")
