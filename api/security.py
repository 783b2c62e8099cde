"""API keys: `Authorization: Bearer <key>` or `X-API-Key: <key>`. A read key may only read;
a write key acts as an editor, an admin key as an admin (archive, legal entities)."""

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from models.api_key import ApiKey
from services.access import ADMIN, EDITOR, VIEWER, Actor
from services.api_keys import authenticate
from services.config import settings

_bearer = HTTPBearer(auto_error=False, description="An API key created in Settings")
_header = APIKeyHeader(name="X-API-Key", auto_error=False)


def _key(request: Request, bearer: HTTPAuthorizationCredentials | None = Depends(_bearer),
         header: str | None = Depends(_header)) -> ApiKey:
    key = authenticate(bearer.credentials if bearer else header)
    if key is None:
        raise HTTPException(401, "A valid API key is required.",
                            headers={"WWW-Authenticate": "Bearer"})
    request.state.api_key = key
    return key


def reader(key: ApiKey = Depends(_key)) -> ApiKey:
    return key


def document_reader(request: Request,
                    bearer: HTTPAuthorizationCredentials | None = Depends(_bearer),
                    header: str | None = Depends(_header)) -> ApiKey | None:
    """The OpenAPI document and the docs page list the custom fields (labels, options,
    help), so they need a key like every route unless the operator makes them public
    (CUSTOMER_DESK_OPENAPI_PUBLIC=true). A key goes in a header, never in the URL."""
    if settings().openapi_public:
        return None
    return _key(request, bearer, header)


def writer(key: ApiKey = Depends(_key)) -> ApiKey:
    if key.role == "read":
        raise HTTPException(403, "This API key may only read.")
    return key


_KEY_ROLES = {"read": VIEWER, "write": EDITOR, "admin": ADMIN}


def actor(key: ApiKey) -> Actor:
    """Who the services act for: the key, named so in the audit log, with its role."""
    return Actor(f"api-key:{key.name}", _KEY_ROLES[key.role])
