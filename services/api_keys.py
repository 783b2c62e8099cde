"""API keys: created and revoked by people (Settings, `make api-key`), checked on every
API request. The secret is shown once; only its SHA-256 hash is kept."""

import hashlib
import secrets
from dataclasses import dataclass

from sqlmodel import select

from models.api_key import API_KEY_ROLES, ApiKey
from models.fields import specs_of
from models.types import utcnow
from services import access, audit
from services.access import Actor
from services.cleaners import clean
from services.db import read_session, write_session
from services.errors import NotFoundError, ValidationError

SECRET_PREFIX = "cdk_"


@dataclass(frozen=True)
class NewApiKey:
    key: ApiKey
    secret: str  # the only time the secret exists outside the caller's hands


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(name: str, role: str, *, actor: Actor) -> NewApiKey:
    actor = access.require(actor, access.ADMIN)
    value = clean(specs_of(ApiKey), {"name": name})["name"]
    if role not in API_KEY_ROLES:
        raise ValidationError.single("role", "Role must be read, write or admin.")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with write_session() as session:
        key = ApiKey(name=value, role=role, prefix=secret[:12], secret_hash=_hash(secret),
                     created_by=actor)
        session.add(key)
        session.flush()
        audit.record(session, actor=actor, action="api_key.created", entity="api_key",
                     entity_id=key.id, customer_id=None,
                     changes={"name": [None, value], "role": [None, role]})
    return NewApiKey(key=key, secret=secret)


def revoke_api_key(key_id: int, *, actor: Actor) -> None:
    actor = access.require(actor, access.ADMIN)
    with write_session() as session:
        key = session.get(ApiKey, key_id)
        if key is None:
            raise NotFoundError(f"API key #{key_id} does not exist.")
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            audit.record(session, actor=actor, action="api_key.revoked", entity="api_key",
                         entity_id=key.id, customer_id=None,
                         changes={"revoked": [False, True]})


def list_api_keys() -> list[ApiKey]:
    with read_session() as session:
        return list(session.exec(select(ApiKey).order_by(ApiKey.created_at.desc())))


def authenticate(secret: str | None) -> ApiKey | None:
    """The live key a secret belongs to, or None."""
    if not secret:
        return None
    with read_session() as session:
        key = session.exec(select(ApiKey).where(ApiKey.secret_hash == _hash(secret))).first()
    if key is None or key.revoked_at is not None:
        return None
    return key
