"""A customer's contacts and aliases, and resolving an alias to its customer."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from api import schemas
from api.idempotent import idempotent
from api.problems import READ_ERRORS, WRITE_ERRORS
from api.routes_customers import CustomerId
from api.security import actor, reader, writer
from api.versions import (
    IfMatch,
    VersionQuery,
    etag,
    optional_version,
    required_version,
    with_etag,
)
from models.api_key import ApiKey
from services import aliases, contacts
from services.customers import get_customer
from services.errors import NotFoundError

router = APIRouter(prefix="/customers/{customer_id}", tags=["contacts and aliases"])
resolver = APIRouter(prefix="/aliases", tags=["contacts and aliases"])
ChildId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _contact(customer, contact_id: int):
    found = next((c for c in customer.contacts if c.id == contact_id), None)
    if found is None:
        raise NotFoundError(f"Contact #{contact_id} is not a contact of this customer.")
    return found


def _contact_answer(customer, contact_id: int):
    return with_etag(schemas.contact_out(_contact(customer, contact_id)).model_dump(mode="json"),
                     customer.version)


def _alias(customer, alias_id: int):
    found = next((a for a in customer.aliases if a.id == alias_id), None)
    if found is None:
        raise NotFoundError(f"External ID #{alias_id} does not belong to this customer.")
    return found


@router.get("/contacts", response_model=list[schemas.ContactOut], responses=READ_ERRORS,
            summary="The customer's contacts; the ETag is the customer's version")
def list_contacts(customer_id: CustomerId, _: ApiKey = Depends(reader)):
    customer = get_customer(customer_id)
    return with_etag([schemas.contact_out(c).model_dump(mode="json") for c in customer.contacts],
                     customer.version)


@router.post("/contacts", status_code=201, response_model=schemas.ContactOut,
             responses=WRITE_ERRORS, summary="Add a contact (Idempotency-Key supported)")
async def add_contact(customer_id: CustomerId, body: schemas.ContactIn, request: Request,
                      if_match: IfMatch = None, version: VersionQuery = None,
                      key: ApiKey = Depends(writer)):
    values = schemas.contact_values(body)
    read = optional_version(if_match, version)

    def run():
        customer = contacts.add_contact(customer_id, values, actor=actor(key), version=read)
        added = max(customer.contacts, key=lambda c: c.id)
        return 201, schemas.contact_out(added).model_dump(mode="json")

    return await idempotent(request, key, request.headers.get("Idempotency-Key"), run)


@router.patch("/contacts/{contact_id}", response_model=schemas.ContactOut,
              responses=WRITE_ERRORS)
def edit_contact(customer_id: CustomerId, contact_id: ChildId, body: schemas.ContactIn,
                 if_match: IfMatch = None, version: VersionQuery = None,
                 key: ApiKey = Depends(writer)):
    _contact(get_customer(customer_id), contact_id)
    read = required_version(if_match, version)
    customer = contacts.update_contact(contact_id, schemas.contact_values(body),
                                       actor=actor(key), version=read)
    return _contact_answer(customer, contact_id)


@router.delete("/contacts/{contact_id}", status_code=204, responses=WRITE_ERRORS,
               summary="Remove a contact that is not the primary one")
def remove_contact(customer_id: CustomerId, contact_id: ChildId, if_match: IfMatch = None,
                   version: VersionQuery = None, key: ApiKey = Depends(writer)):
    _contact(get_customer(customer_id), contact_id)
    read = required_version(if_match, version)
    customer = contacts.remove_contact(contact_id, actor=actor(key), version=read)
    return Response(status_code=204, headers={"ETag": etag(customer.version)})


@router.post("/contacts/{contact_id}/primary", response_model=schemas.ContactOut,
             responses=WRITE_ERRORS, summary="Make this contact the primary one")
def set_primary(customer_id: CustomerId, contact_id: ChildId, if_match: IfMatch = None,
                version: VersionQuery = None, key: ApiKey = Depends(writer)):
    _contact(get_customer(customer_id), contact_id)
    read = required_version(if_match, version)
    customer = contacts.set_primary_contact(contact_id, actor=actor(key), version=read)
    return _contact_answer(customer, contact_id)


@router.get("/aliases", response_model=list[schemas.AliasOut], responses=READ_ERRORS,
            summary="The customer's External IDs; the ETag is the customer's version")
def list_aliases(customer_id: CustomerId, _: ApiKey = Depends(reader)):
    customer = get_customer(customer_id)
    return with_etag([schemas.alias_out(a).model_dump() for a in customer.aliases],
                     customer.version)


@router.post("/aliases", status_code=201, response_model=schemas.AliasOut,
             responses=WRITE_ERRORS, summary="Add an External ID (Idempotency-Key supported)")
async def add_alias(customer_id: CustomerId, body: schemas.AliasIn, request: Request,
                    if_match: IfMatch = None, version: VersionQuery = None,
                    key: ApiKey = Depends(writer)):
    read = optional_version(if_match, version)

    def run():
        customer = aliases.add_alias(customer_id, body.value, body.system, actor=actor(key),
                                     version=read)
        added = max(customer.aliases, key=lambda a: a.id)
        return 201, schemas.alias_out(added).model_dump()

    return await idempotent(request, key, request.headers.get("Idempotency-Key"), run)


@router.delete("/aliases/{alias_id}", status_code=204, responses=WRITE_ERRORS)
def remove_alias(customer_id: CustomerId, alias_id: ChildId, if_match: IfMatch = None,
                 version: VersionQuery = None, key: ApiKey = Depends(writer)):
    _alias(get_customer(customer_id), alias_id)
    read = required_version(if_match, version)
    customer = aliases.remove_alias(alias_id, actor=actor(key), version=read)
    return Response(status_code=204, headers={"ETag": etag(customer.version)})


@resolver.get("/{alias:path}", response_model=schemas.AliasResolution, responses=READ_ERRORS,
              summary="Resolve an External ID to its customer (metering)")
def resolve(alias: Annotated[str, Path(min_length=1, max_length=255)],
            _: ApiKey = Depends(reader)):
    match = aliases.resolve_alias(alias)
    return schemas.AliasResolution(alias=alias, customer_id=match.id, customer_name=match.name,
                                   status=match.status)
