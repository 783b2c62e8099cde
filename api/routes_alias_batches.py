"""POST /aliases/resolve: up to 1,000 External IDs to their customers in one call, the
usage-attribution path of a metering pipeline (GET /aliases/{alias} resolves one).

The answer is encoded here with orjson rather than through the response model: a thousand
entries validated and serialised by pydantic, or even encoded by the json module, cost
about as much as the query. The model still describes it in the OpenAPI document.
"""

import orjson
from fastapi import APIRouter, Depends, Response

from api import schemas
from api.problems import READ_ERRORS
from api.security import reader
from models.api_key import ApiKey
from services.alias_batches import MAX_IDS, Resolutions, resolve_aliases

router = APIRouter(prefix="/aliases", tags=["contacts and aliases"])


def _encoded(answer: Resolutions) -> bytes:
    body = {"resolved": {value: {"customer_id": customer_id, "system": system}
                         for value, (customer_id, system) in answer.found.items()},
            "missing": answer.missing}
    return orjson.dumps(body)


@router.post("/resolve", response_model=schemas.AliasBatchResolution, responses=READ_ERRORS,
             summary=f"Resolve up to {MAX_IDS:,} External IDs to their customers (metering)")
def resolve_many(body: schemas.AliasBatchIn, _: ApiKey = Depends(reader)) -> Response:
    return Response(_encoded(resolve_aliases(body.aliases)), media_type="application/json")
