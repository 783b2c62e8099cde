"""The version a write was read at, for every route that changes an existing customer, its
contacts or its External IDs: the ETag a GET returned, sent back as If-Match, or `version`
(in the body or the query). Without it a write is refused with 428; a stale one gets 409
from the service, so nothing committed in between is ever overwritten."""

import re
from typing import Annotated

from fastapi import Header, Query
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

MAX_VERSION = 2**63 - 1
_ETAG = re.compile(r'(?:W/)?"?([0-9]{1,19})"?')

IfMatch = Annotated[str | None, Header(
    max_length=50, description='The customer\'s ETag as you read it, e.g. "3".')]
VersionQuery = Annotated[int | None, Query(
    ge=1, le=MAX_VERSION, description="The customer's version as you read it (or If-Match).")]


def etag(version: int) -> str:
    return f'"{version}"'


def with_etag(body, version: int, status: int = 200) -> JSONResponse:
    """A JSON answer carrying the customer's version as its ETag, for the next write."""
    return JSONResponse(body, status_code=status, headers={"ETag": etag(version)})


def optional_version(if_match: str | None, version: int | None) -> int | None:
    """For adding a contact or an External ID, which overwrites nothing: checked if sent."""
    return required_version(if_match, version) if if_match or version is not None else None


def required_version(if_match: str | None, version: int | None) -> int:
    if if_match:
        found = _ETAG.fullmatch(if_match.strip())
        if found is None or int(found.group(1)) > MAX_VERSION:
            raise HTTPException(412, "If-Match must carry the version the customer was read "
                                     'at, as its ETag (e.g. "3").')
        return int(found.group(1))
    if version is not None:
        return version
    raise HTTPException(428, "Send the version you read, as If-Match or `version`.")
