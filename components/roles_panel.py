"""Settings -> Roles: who may see, edit or administer Customer Desk (admins only)."""

import pandas as pd
import streamlit as st

from components.attempt import attempt
from components.session import current_actor, flash
from components.text import md_escape
from models.role_grant import ROLES
from services.roles import file_grants, grant_role, list_grants, revoke_role, roles_file


def _grant() -> None:
    state = st.session_state
    attempt("roles.error",
            lambda: grant_role(state.get("roles.subject", ""), state.get("roles.role", ROLES[0]),
                               actor=current_actor()),
            lambda grant: f"{grant.subject} is now {grant.role}.", ("roles.subject",))


def _revoke(grant_id: int) -> None:
    revoke_role(grant_id, actor=current_actor())
    flash("Role taken back.")


def roles_panel() -> None:
    st.header("Roles")
    st.caption("Viewers see everything and change nothing; editors create and edit "
               "customers and import; admins also archive, and manage legal entities, "
               "settings, API keys and roles. A person's own email wins over their domain; "
               f"a role given here wins over the roles file ({md_escape(roles_file().name)}).")
    grants = list_grants()
    from_file = file_grants()
    rows = ([{"Email or domain": g.subject, "Role": g.role, "Given": "Settings"}
             for g in grants]
            + [{"Email or domain": subject, "Role": role, "Given": "Roles file"}
               for subject, role in sorted(from_file.items())])
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.caption("No roles given yet: only the built-in admin works in local mode.")
    if grants:
        live = {g.id: f"{g.subject} ({g.role})" for g in grants}
        pick, button = st.columns([3, 1], vertical_alignment="bottom")
        chosen = pick.selectbox("Role to take back", list(live), format_func=live.get,
                                key="roles.revoke_pick")
        button.button("Take back", key="roles.revoke", on_click=_revoke, args=(chosen,))
    subject, role, button = st.columns([3, 1, 1], vertical_alignment="bottom")
    subject.text_input("Email or domain", key="roles.subject", max_chars=320,
                       placeholder="alice@example.com or @example.com", on_change="ignore")
    role.selectbox("Role", ROLES, key="roles.role", on_change="ignore")
    button.button("Give role", key="roles.grant", type="primary", on_click=_grant)
    if "roles.error" in st.session_state:
        st.error(md_escape(st.session_state["roles.error"]), icon="⚠️")
