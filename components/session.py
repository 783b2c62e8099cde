"""Who is acting, and messages that outlive a page switch.

With an [auth] section in .streamlit/secrets.toml people sign in with Streamlit's
native OpenID Connect sign-in (st.login) and get their role from the roles file and
Settings; without it the app runs in local mode as one built-in admin.
"""

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from components.text import md_escape
from services.access import ADMIN, EDITOR, Actor
from services.roles import actor_for_claims, email_verified, local_actor

_FLASH = "_flash_messages"
_SHOWN_TO = "_actor_of_this_run"


def sign_in_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return False


def signed_in_email() -> str | None:
    if not st.user.is_logged_in:
        return None
    return st.user.get("email")


def signed_in_unverified() -> bool:
    """Whether the identity provider said the signed-in email is not verified."""
    return bool(st.user.is_logged_in) and not email_verified(st.user.to_dict())


def current_actor() -> Actor | None:
    """The person the services act for, or None when nobody with a role is signed in."""
    if not sign_in_configured():
        return local_actor()
    return actor_for_claims(st.user.to_dict()) if st.user.is_logged_in else None


def remember_actor(actor: Actor) -> None:
    """app.py resolves the actor once per run; the pages' show-or-hide checks read it."""
    st.session_state[_SHOWN_TO] = actor


def shown_actor() -> Actor | None:
    """Whom this run draws the page for. Only for hiding controls: the services are called
    with current_actor(), resolved afresh, so a role taken back counts at once."""
    return st.session_state.get(_SHOWN_TO) or current_actor()


def may_edit() -> bool:
    actor = shown_actor()
    return actor is not None and actor.can(EDITOR)


def is_admin() -> bool:
    actor = shown_actor()
    return actor is not None and actor.can(ADMIN)


def flash(message: str, icon: str = "✅") -> None:
    """Queue a toast for the next page render (survives st.switch_page and dialogs closing).
    `message` is plain text: names in it are shown as typed."""
    st.session_state.setdefault(_FLASH, []).append((message, icon))


def clear_flashes() -> None:
    """Drop the toasts not shown yet: after a refused save, an earlier success must not
    appear beside its error."""
    st.session_state.pop(_FLASH, None)


def show_flashes() -> None:
    for message, icon in st.session_state.pop(_FLASH, []):
        st.toast(md_escape(message), icon=icon)
