"""New Customer as a page of its own (the same form as the modal)."""

import streamlit as st

from components.customer_form import new_customer_form, open_created_profile

st.title("New Customer")
open_created_profile(new_customer_form("new_customer_page"))
