"""The API application: `make api` serves it with uvicorn on port 8000.

Every route calls the same services as the pages, so the rules, the audit log and
the error messages are the pages' own.
"""

from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from api import (
    body_limit,
    openapi_document,
    problems,
    routes_alias_batches,
    routes_children,
    routes_customers,
    routes_docs,
    routes_imports,
    routes_legal_entities,
    routes_payment_methods,
)
from api.schemas import service_key_to_api
from services import db

PREFIX = "/api/v1"


@asynccontextmanager
async def _lifespan(_: FastAPI):
    db.migrate()  # the API, like the app, upgrades the schema to head at start
    yield


def create_app() -> FastAPI:
    app = FastAPI(
        lifespan=_lifespan,
        title="Customer Desk API",
        version="1",
        description="Customers of the billing platform: the same rules and audit log as "
                    "the Customer Desk pages. Authenticate with an API key from Settings.",
        openapi_url=None,  # served by routes_docs, behind a key unless made public
        docs_url=None,
        redoc_url=None,
    )
    api = APIRouter(prefix=PREFIX)
    # First: routes are matched in order, and this one takes a hundred requests a second.
    api.include_router(routes_alias_batches.router)
    for module in (routes_customers, routes_children, routes_payment_methods,
                   routes_legal_entities, routes_imports, routes_docs):
        api.include_router(module.router)
    api.include_router(routes_children.resolver)
    app.include_router(api)
    app.add_middleware(body_limit.BodyLimit)
    problems.install(app, service_key_to_api)
    openapi_document.install(app)
    return app


app = create_app()
