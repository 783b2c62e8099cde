"""/api/v1/legal-entities: list, read, create, change (with the version read) and delete
(refused with 409 while a customer is billed under the entity). Admin keys write."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from api import schemas
from api.idempotent import idempotent
from api.problems import READ_ERRORS, WRITE_ERRORS
from api.security import actor, reader, writer
from api.versions import IfMatch, VersionQuery, required_version, with_etag
from models.api_key import ApiKey
from services import legal_entities

router = APIRouter(prefix="/legal-entities", tags=["legal entities"])
EntityId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _answer(entity, status: int = 200):
    return with_etag(schemas.legal_entity_out(entity).model_dump(mode="json"), entity.version,
                     status)


@router.get("", response_model=list[schemas.LegalEntityOut], responses=READ_ERRORS)
def list_(_: ApiKey = Depends(reader)):
    return [schemas.legal_entity_out(e) for e in legal_entities.list_legal_entities()]


@router.get("/{entity_id}", response_model=schemas.LegalEntityOut, responses=READ_ERRORS,
            summary="One legal entity; its ETag is the version to send back")
def read(entity_id: EntityId, _: ApiKey = Depends(reader)):
    return _answer(legal_entities.get_legal_entity(entity_id))


@router.post("", status_code=201, response_model=schemas.LegalEntityOut, responses=WRITE_ERRORS)
async def create(body: schemas.LegalEntityIn, request: Request, key: ApiKey = Depends(writer)):
    values = body.model_dump(exclude_unset=True, exclude={"version"})

    def run():
        entity = legal_entities.create_legal_entity(values, actor=actor(key))
        return 201, schemas.legal_entity_out(entity).model_dump(mode="json")

    return await idempotent(request, key, request.headers.get("Idempotency-Key"), run)


@router.patch("/{entity_id}", response_model=schemas.LegalEntityOut, responses=WRITE_ERRORS,
              summary="Change fields; refused with 409 if the version is stale")
def update(entity_id: EntityId, body: schemas.LegalEntityIn, if_match: IfMatch = None,
           key: ApiKey = Depends(writer)):
    values = body.model_dump(exclude_unset=True, exclude={"version"})
    version = required_version(if_match, body.version)
    return _answer(legal_entities.update_legal_entity(entity_id, values, version=version,
                                                      actor=actor(key)))


@router.delete("/{entity_id}", status_code=204, responses=WRITE_ERRORS,
               summary="Delete an entity no customer is billed under (409 otherwise)")
def delete(entity_id: EntityId, if_match: IfMatch = None, version: VersionQuery = None,
           key: ApiKey = Depends(writer)):
    legal_entities.delete_legal_entity(entity_id, version=required_version(if_match, version),
                                       actor=actor(key))
    return Response(status_code=204)
