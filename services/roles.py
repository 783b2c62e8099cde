"""Roles by email or email domain: from a roles file, and from grants admins make in Settings.

The roles file (CUSTOMER_DESK_ROLES_FILE, default ./roles.toml) is TOML:

    default = "viewer"              # optional: anyone else who signs in; omit to let
                                    # only the people and domains below in
    [roles]
    "alice@example.com" = "admin"
    "@example.com" = "editor"       # everyone at example.com

A person's own email wins over their domain, and a grant made in Settings wins over
the file for the same email or domain. Without sign-in (local mode) the app acts as
one built-in admin.
"""

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models.fields import specs_of
from models.role_grant import ROLES, RoleGrant
from services import access, audit
from services.access import ADMIN, Actor
from services.cleaners import clean
from services.config import settings
from services.db import read_session, write_session
from services.errors import NotFoundError, ValidationError

LOCAL_ADMIN = "admin@localhost"
ROLES_FILE_ENV = "CUSTOMER_DESK_ROLES_FILE"
LOCAL_USER_ENV = "CUSTOMER_DESK_LOCAL_USER"


def roles_file() -> Path:
    return settings().roles_file


def _file_roles() -> tuple[dict[str, str], str | None]:
    """The roles file's grants and default role; an absent file grants nothing."""
    path = roles_file()
    if not path.exists():
        return {}, None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError.single("roles_file", f"{path} is not valid TOML: {exc}") from exc
    grants = {str(k).strip().lower(): str(v) for k, v in (data.get("roles") or {}).items()}
    bad = {k: v for k, v in grants.items() if v not in ROLES}
    default = data.get("default")
    if bad or (default is not None and default not in ROLES):
        raise ValidationError.single(
            "roles_file", f"{path}: roles must be one of {', '.join(ROLES)}.")
    return grants, default


def _grants() -> tuple[dict[str, str], str | None]:
    grants, default = _file_roles()
    with read_session() as session:
        grants.update({g.subject: g.role for g in session.exec(select(RoleGrant))})
    return grants, default


def role_for(email: str) -> str | None:
    """The role of a signed-in email: its own grant, its domain's, the default, or None."""
    email = email.strip().lower()
    grants, default = _grants()
    domain = "@" + email.rpartition("@")[2]
    return grants.get(email) or grants.get(domain) or default


def actor_for(email: str) -> Actor | None:
    role = role_for(email)
    return Actor(email.strip(), role) if role else None


def email_verified(claims: Mapping[str, Any]) -> bool:
    """Whether the identity provider vouches for the email it signed someone in with. Many
    providers let anyone sign up with an address they do not own and say so with
    email_verified false (some send the text "false"); a role given to that address or its
    domain must not go to them. A provider that sends no email_verified is taken at its word;
    any other value than true counts as unverified."""
    verified = claims.get("email_verified", True)
    return verified is True or (isinstance(verified, str) and verified.strip().lower() == "true")


def actor_for_claims(claims: Mapping[str, Any]) -> Actor | None:
    """Whom a person signed in through the identity provider acts as, from the claims of their
    ID token: their email's role, or None without an email, with an unverified one, or with
    no role."""
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip() or not email_verified(claims):
        return None
    return actor_for(email)


def local_actor() -> Actor:
    """Who acts when sign-in is off: the built-in admin, or (CUSTOMER_DESK_LOCAL_USER, to try
    the app as someone else) that email with its role from the roles, a viewer if it has none."""
    email = settings().local_user.strip() or LOCAL_ADMIN
    if email == LOCAL_ADMIN:
        return Actor(LOCAL_ADMIN, ADMIN)
    return Actor(email, role_for(email) or access.VIEWER)


def _clean_subject(subject: object) -> str:
    return clean(specs_of(RoleGrant), {"subject": subject})["subject"]


def grant_role(subject: str, role: str, *, actor: Actor) -> RoleGrant:
    """Give an email or a domain a role (replacing its earlier grant)."""
    by = access.require(actor, ADMIN)
    value = _clean_subject(subject)
    if role not in ROLES:
        raise ValidationError.single("role", f"Role must be one of {', '.join(ROLES)}.")
    try:
        with write_session() as session:
            grant = session.exec(select(RoleGrant).where(RoleGrant.subject == value)).first()
            before = grant.role if grant else None
            if grant is None:
                grant = RoleGrant(subject=value, role=role, created_by=by)
                session.add(grant)
            grant.role = role
            session.flush()
            if before != role:
                audit.record(session, actor=by, action="role.granted", entity="role_grant",
                             entity_id=grant.id, customer_id=None,
                             changes={"subject": [None, value], "role": [before, role]})
    except IntegrityError as exc:  # the same subject granted at the same moment elsewhere
        raise ValidationError.single("subject", f"{value} was just given a role by someone "
                                                "else; reload to see it.") from exc
    return grant


def revoke_role(grant_id: int, *, actor: Actor) -> None:
    by = access.require(actor, ADMIN)
    with write_session() as session:
        grant = session.get(RoleGrant, grant_id)
        if grant is None:
            raise NotFoundError(f"Role grant #{grant_id} does not exist.")
        audit.record(session, actor=by, action="role.revoked", entity="role_grant",
                     entity_id=grant.id, customer_id=None,
                     changes={"subject": [grant.subject, None], "role": [grant.role, None]})
        session.delete(grant)


def list_grants() -> list[RoleGrant]:
    with read_session() as session:
        return list(session.exec(select(RoleGrant).order_by(RoleGrant.subject)))


def file_grants() -> dict[str, str]:
    """The roles file's grants, to show beside the Settings grants."""
    return _file_roles()[0]
