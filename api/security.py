"""API keys: `Authorization: Bearer <key>` or `X-API-Key: <key>`; a read key may only read."""

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from models.api_key import ApiKey
from services.api_keys import authenticate

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


def writer(key: ApiKey = Depends(_key)) -> ApiKey:
    if key.role != "write":
        raise HTTPException(403, "This API key may only read.")
    return key


def actor(key: ApiKey) -> str:
    """How the audit log names a change made through the API."""
    return f"api-key:{key.name}"
