"""/api/v1/legal-entities: list, create, rename."""

from fastapi import APIRouter, Depends, Request

from api import schemas
from api.idempotent import idempotent
from api.problems import READ_ERRORS, WRITE_ERRORS
from api.routes_children import ChildId
from api.security import actor, reader, writer
from models.api_key import ApiKey
from services import legal_entities

router = APIRouter(prefix="/legal-entities", tags=["legal entities"])


@router.get("", response_model=list[schemas.LegalEntityOut], responses=READ_ERRORS)
def list_(_: ApiKey = Depends(reader)):
    return [schemas.LegalEntityOut(id=e.id, name=e.name)
            for e in legal_entities.list_legal_entities()]


@router.post("", status_code=201, response_model=schemas.LegalEntityOut, responses=WRITE_ERRORS)
async def create(body: schemas.LegalEntityIn, request: Request, key: ApiKey = Depends(writer)):
    def run():
        entity = legal_entities.create_legal_entity(body.name, actor=actor(key))
        return 201, {"id": entity.id, "name": entity.name}

    return await idempotent(request, key, request.headers.get("Idempotency-Key"), run)


@router.patch("/{entity_id}", response_model=schemas.LegalEntityOut, responses=WRITE_ERRORS)
def rename(entity_id: ChildId, body: schemas.LegalEntityIn, key: ApiKey = Depends(writer)):
    entity = legal_entities.rename_legal_entity(entity_id, body.name, actor=actor(key))
    return schemas.LegalEntityOut(id=entity.id, name=entity.name)
