"""/api/v1/openapi.json and /api/v1/docs (Swagger UI), each behind a key like every other
route unless the operator makes them public (api.security.document_reader).

Swagger UI fetches the document from the browser: with the key required, the page and the
document both need it in a header (a proxy or a header tool that adds X-API-Key to each
request), so it is never written into a URL the page would load.
"""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from api.security import document_reader

router = APIRouter(include_in_schema=False, dependencies=[Depends(document_reader)])


@router.get("/openapi.json")
def openapi_json(request: Request) -> dict[str, Any]:
    return request.app.openapi()


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(openapi_url=request.url_for("openapi_json").path,
                               title=f"{request.app.title} - docs")
