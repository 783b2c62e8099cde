"""Customer Desk: the entry point. Sign-in, navigation over the pages and the shared sidebar."""

import streamlit as st
from sqlalchemy.exc import DBAPIError

from components.session import (
    current_actor,
    remember_actor,
    show_flashes,
    sign_in_configured,
    signed_in_email,
    signed_in_unverified,
)
from components.text import md_escape
from services import db
from services.access import ADMIN, EDITOR, VIEWER
from services.errors import DatabaseUnavailable


@st.cache_resource(show_spinner="Preparing the database…")
def _prepare_database(url: str) -> None:
    """Upgrade the schema to head once per process and database."""
    db.migrate(url)
    db.optimize()


def _sign_in_page() -> None:
    st.title("📇 Customer Desk")
    st.write("Sign in with your company account to see and edit customers.")
    st.button("Sign in", type="primary", on_click=st.login)
    st.stop()


def _no_role_page(email: str | None) -> None:
    st.title("📇 Customer Desk")
    if email and signed_in_unverified():
        st.warning(f"Your identity provider has not verified {md_escape(email)}, so it earns "
                   "no role here. Verify the address with the provider, then sign in again.",
                   icon="🔒")
    elif email:
        st.warning(f"You are signed in as {md_escape(email)}, but no role has been given to "
                   "this address or its domain. Ask an admin of Customer Desk for access.",
                   icon="🔒")
    else:
        st.warning("Your identity provider did not share an email address, so no role can "
                   "be found. Ask an admin to check the sign-in configuration.", icon="🔒")
    st.button("Sign out", on_click=st.logout)
    st.stop()


def _unreachable_page(exc: DatabaseUnavailable) -> None:
    """Shown where the page stopped: what is wrong, and a way to try again."""
    st.error(md_escape(str(exc)), icon="🔌")
    st.caption("Everything saved before is safe. The app reconnects by itself when the "
               "database is back.")
    st.button("Try again", type="primary")


def _pages():
    """Built per run: st.Page objects belong to the run that made them."""
    return [
        (VIEWER, st.Page("app_pages/customers.py", title="Customers", icon="👥", default=True)),
        (EDITOR, st.Page("app_pages/new_customer.py", title="New Customer", icon="➕",
                         url_path="new-customer")),
        (VIEWER, st.Page("app_pages/customer_profile.py", title="Customer Profile",
                         icon="🪪", url_path="customer")),
        (VIEWER, st.Page("app_pages/activity.py", title="Activity", icon="🕘",
                         url_path="activity")),
        (EDITOR, st.Page("app_pages/import_customers.py", title="Import", icon="📥",
                         url_path="import")),
        (ADMIN, st.Page("app_pages/settings.py", title="Settings", icon="⚙️",
                        url_path="settings")),
    ]


def main() -> None:
    _prepare_database(db.get_engine().url.render_as_string(hide_password=False))
    if sign_in_configured() and not st.user.is_logged_in:
        _sign_in_page()
    actor = current_actor()
    if actor is None:
        _no_role_page(signed_in_email())
    remember_actor(actor)

    navigation = st.navigation([page for role, page in _pages() if actor.can(role)])

    with st.sidebar:
        st.markdown("## 📇 Customer Desk")
        st.caption(f"Signed in as {md_escape(actor.email)} · {md_escape(actor.role)}")
        if sign_in_configured():
            st.button("Sign out", key="sign_out", on_click=st.logout)
        st.caption(f"Database: {md_escape(db.describe_database())}")

    if not sign_in_configured():
        st.info(f"Sign-in is off: everyone who opens Customer Desk acts as "
                f"{md_escape(actor.email)} ({md_escape(actor.role)}). Configure [auth] in "
                ".streamlit/secrets.toml to turn it on (see README).", icon="🔓")
    show_flashes()
    navigation.run()


st.set_page_config(page_title="Customer Desk", page_icon="📇", layout="wide")
try:
    main()
except DatabaseUnavailable as exc:
    _unreachable_page(exc)
except DBAPIError as exc:
    if not db.unavailable(exc):
        raise
    _unreachable_page(DatabaseUnavailable())
