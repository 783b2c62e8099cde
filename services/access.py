"""Who may do what. Every service that writes calls `require` first, so no page, API
route or import can get around a role.

viewer: sees everything, changes nothing. editor: creates and edits customers, their
contacts and aliases, imports, saved views. admin: also archives and restores, and
manages legal entities, settings, API keys, roles and custom fields.
"""

from dataclasses import dataclass

from models.role_grant import ROLES
from services.errors import DeskError

VIEWER, EDITOR, ADMIN = ROLES
_RANK = {role: rank for rank, role in enumerate(ROLES)}
_WHAT = {EDITOR: "make changes", ADMIN: "do this (admins only)"}


class AccessDenied(DeskError, PermissionError):
    """The acting user's role does not allow this; nothing was written."""


@dataclass(frozen=True)
class Actor:
    """The signed-in person (or API key) a service acts for: named in the audit log."""

    email: str
    role: str

    def can(self, role: str) -> bool:
        return _RANK.get(self.role, -1) >= _RANK[role]


COMMAND_LINE = Actor("command-line", ADMIN)
"""Who acts for `make import`, `make api-key` and the demo data: someone with shell access
to the server, who could change the database directly anyway."""


def require(actor: object, role: str) -> str:
    """The actor's name for the audit log, if its role is at least `role`."""
    if not isinstance(actor, Actor) or not actor.email.strip():
        raise AccessDenied("Sign in to make changes.")
    if not actor.can(role):
        raise AccessDenied(f"You are signed in as {actor.email} with the {actor.role} role, "
                           f"which may not {_WHAT[role]}. Nothing was changed.")
    return actor.email.strip()
