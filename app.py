"""Customer Desk: the entry point. Navigation over the pages and the shared sidebar."""

import streamlit as st

from components.session import show_flashes
from services import db


@st.cache_resource(show_spinner="Preparing the database…")
def _prepare_database(url: str) -> None:
    """Upgrade the schema to head once per process and database."""
    db.migrate(url)
    db.optimize()


st.set_page_config(page_title="Customer Desk", page_icon="📇", layout="wide")
_prepare_database(db.get_engine().url.render_as_string(hide_password=False))

PAGES = [
    st.Page("app_pages/customers.py", title="Customers", icon="👥", default=True),
    st.Page("app_pages/new_customer.py", title="New Customer", icon="➕", url_path="new-customer"),
    st.Page("app_pages/customer_profile.py", title="Customer Profile", icon="🪪",
            url_path="customer"),
    st.Page("app_pages/import_customers.py", title="Import", icon="📥", url_path="import"),
    st.Page("app_pages/settings.py", title="Settings", icon="⚙️", url_path="settings"),
]
navigation = st.navigation(PAGES)

with st.sidebar:
    st.markdown("## 📇 Customer Desk")
    st.caption(f"Database: {db.describe_database()}")

show_flashes()
navigation.run()
