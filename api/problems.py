"""Errors as application/problem+json (RFC 9457), naming the field, with the services' words."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from services.db import unavailable
from services.errors import ConflictError, DatabaseUnavailable, NotFoundError, ValidationError

MEDIA_TYPE = "application/problem+json"


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """An error, as RFC 9457 describes it; `errors` lists each field that was refused."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] = []


def problem(status: int, title: str, detail: str, errors: dict[str, str] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail,
                   errors=[FieldProblem(field=k, message=m) for k, m in (errors or {}).items()])
    return JSONResponse(body.model_dump(), status_code=status, media_type=MEDIA_TYPE,
                        headers=headers)


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem, "content": {MEDIA_TYPE: {}}} for code in codes}


READ_ERRORS = _responses(401, 403, 404, 422, 503)
WRITE_ERRORS = _responses(401, 403, 404, 409, 422, 428, 503)


def _unavailable(exc: DatabaseUnavailable) -> JSONResponse:
    return problem(503, "Service unavailable", str(exc),
                   headers={"Retry-After": str(exc.retry_after_seconds)})


def _field_of(location: tuple) -> str:
    """A body field by its path (contacts.0.email); a query, path or header parameter by its
    name, whichever of its repeats was refused (legal_entity_id, not legal_entity_id.0)."""
    where, *path = location
    if where in ("query", "path", "header", "cookie") and path:
        return str(path[0])
    return ".".join(str(p) for p in path) or "body"


def install(app: FastAPI, field_names) -> None:
    """Turn every error the services or FastAPI raise into a problem response."""

    @app.exception_handler(ValidationError)
    async def _invalid(_: Request, exc: ValidationError):
        errors = {field_names(k): m for k, m in exc.errors.items()}
        return problem(422, "Invalid input", " ".join(errors.values()), errors)

    @app.exception_handler(ConflictError)
    async def _conflict(_: Request, exc: ConflictError):
        return problem(409, "Conflict", str(exc))

    @app.exception_handler(NotFoundError)
    async def _missing(_: Request, exc: NotFoundError):
        return problem(404, "Not found", str(exc))

    @app.exception_handler(DatabaseUnavailable)
    async def _down(_: Request, exc: DatabaseUnavailable):
        return _unavailable(exc)

    @app.exception_handler(DBAPIError)
    async def _database(_: Request, exc: DBAPIError):
        """A database error no service translated (a connection that failed to open)."""
        if unavailable(exc):
            return _unavailable(DatabaseUnavailable())
        raise exc

    @app.exception_handler(PermissionError)
    async def _forbidden(_: Request, exc: PermissionError):
        return problem(403, "Forbidden", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _malformed(_: Request, exc: RequestValidationError):
        errors = {}
        for error in exc.errors():
            # A body that is not JSON is located at the offending character: name the body.
            field = "body" if error["type"] == "json_invalid" else _field_of(error["loc"])
            errors[field] = error["msg"]
        return problem(422, "Invalid input", " ".join(f"{k}: {m}" for k, m in errors.items()),
                       errors)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException):
        return problem(exc.status_code, str(exc.detail), str(exc.detail),
                       headers=getattr(exc, "headers", None))
