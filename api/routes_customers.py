"""/api/v1/customers: list, create, get, patch, archive, restore."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse

from api import schemas
from api.idempotent import idempotent
from api.problems import READ_ERRORS, WRITE_ERRORS
from api.security import actor, reader, writer
from api.versions import IfMatch, VersionQuery, required_version, with_etag
from models.api_key import ApiKey
from services import custom_filters, customers
from services.config import settings
from services.custom_fields import custom_specs
from services.customer_queries import CustomerQuery, list_customers

router = APIRouter(prefix="/customers", tags=["customers"])
CustomerId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The customer's id")]
SUMMARY_COLUMNS = ("primary_contact_email", "country", "currency", "legal_entity_id",
                   "invoicing_flow", "payment_terms_days", "auto_pay", "tax_rate", "tax_id",
                   "created_at")


def _answer(customer, status: int = 200) -> JSONResponse:
    return with_etag(schemas.customer_out(customer).model_dump(mode="json"), customer.version,
                     status)


def _link(request: Request, **changed: Any) -> str:
    """This request's address with `changed` parameters: relative, or under the operator's
    public base URL. Never built from the Host header, which any client can set."""
    url = request.url.include_query_params(**changed)
    relative = f"{url.path}?{url.query}"
    base = settings().public_base_url
    return str(base).rstrip("/") + relative if base else relative


@router.get("", response_model=schemas.CustomerList, responses=READ_ERRORS,
            summary="List customers with the grid's search, filters, sort and pagination")
def list_(
    request: Request,
    _: ApiKey = Depends(reader),
    q: str | None = Query(None, max_length=200, description="Quick search"),
    country: list[str] = Query([]),
    currency: list[str] = Query([]),
    legal_entity_id: list[Annotated[int, Query(ge=1, le=2**31 - 1)]] = Query([]),
    invoicing_flow: list[str] = Query([]),
    payment_terms: list[Annotated[int, Query(ge=0, le=365)]] = Query([]),
    auto_pay: bool | None = None,
    has_tax_id: bool | None = None,
    created_from: date | None = None,
    created_to: date | None = None,
    status: str = Query("active", pattern="^(active|archived|all)$"),
    sort: str = "name",
    order: str = Query("asc", pattern="^(asc|desc)$"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10_000_000),
    custom: list[Annotated[str, Query(max_length=300)]] = Query(
        [], description="Custom field filters, key:value: segment:SMB (repeat for any of), "
                        "strategic:yes, contract_end:2027-01-01..2027-12-31, crm_owner:ada "
                        "(contains)."),
):
    query = CustomerQuery(
        search=q, countries=tuple(country), currencies=tuple(currency),
        legal_entity_ids=tuple(legal_entity_id), invoicing_flows=tuple(invoicing_flow),
        payment_terms=tuple(payment_terms), auto_pay=auto_pay, has_tax_id=has_tax_id,
        created_from=created_from, created_to=created_to, status=status, sort=sort,
        descending=order == "desc", offset=offset, limit=limit, columns=SUMMARY_COLUMNS,
        custom=custom_filters.parse(custom, {s.key: s for s in custom_specs()}),
    )
    page = list_customers(query)
    data = []
    for row in page.rows:
        values = dict(row._mapping)
        values["legal_entity"] = values.pop("legal_entity_id")
        values["tax_rate"] = str(values["tax_rate"])
        data.append(schemas.CustomerSummary(**values))
    following = None
    if offset + len(data) < page.total:
        following = _link(request, offset=offset + limit)
    return schemas.CustomerList(data=data, total=page.total, limit=limit, offset=offset,
                                next=following)


@router.post("", status_code=201, response_model=schemas.CustomerOut, responses=WRITE_ERRORS,
             summary="Create a customer (Idempotency-Key supported)")
async def create(body: schemas.CustomerCreate, request: Request, key: ApiKey = Depends(writer),
                 idempotency_key: str | None = Header(None, max_length=255)):
    values: dict[str, Any] = body.model_dump(
        exclude_unset=True, exclude={"primary_contact", "aliases", "contacts"})
    if body.primary_contact is not None:
        contact = schemas.contact_values(body.primary_contact)
        values.update({f"primary_contact_{k}": v for k, v in contact.items()
                       if k in ("first_name", "last_name", "email")})
    if body.aliases is not None:
        values["external_ids"] = body.aliases
    if body.contacts is not None:
        values["contacts"] = [schemas.contact_values(c) for c in body.contacts]
    schemas.custom_in(values)

    def run():
        customer = customers.create_customer(values, actor=actor(key))
        return 201, schemas.customer_out(customer).model_dump(mode="json")

    return await idempotent(request, key, idempotency_key, run)


@router.get("/{customer_id}", response_model=schemas.CustomerOut, responses=READ_ERRORS)
def get(customer_id: CustomerId, _: ApiKey = Depends(reader)):
    return _answer(customers.get_customer(customer_id))


@router.patch("/{customer_id}", response_model=schemas.CustomerOut, responses=WRITE_ERRORS,
              summary="Change fields of any section; refused with 409 if the version is stale")
def patch(customer_id: CustomerId, body: schemas.CustomerFields, if_match: IfMatch = None,
          key: ApiKey = Depends(writer)):
    values = body.model_dump(exclude_unset=True, exclude={"version"})
    schemas.custom_in(values)
    version = required_version(if_match, body.version)
    return _answer(customers.update_customer(customer_id, values, version=version,
                                             actor=actor(key)))


@router.post("/{customer_id}/archive", response_model=schemas.CustomerOut,
             responses=WRITE_ERRORS, summary="Archive (hidden from the default list)")
def archive(customer_id: CustomerId, if_match: IfMatch = None, version: VersionQuery = None,
            key: ApiKey = Depends(writer)):
    return _answer(customers.archive_customer(
        customer_id, version=required_version(if_match, version), actor=actor(key)))


@router.post("/{customer_id}/restore", response_model=schemas.CustomerOut,
             responses=WRITE_ERRORS, summary="Restore an archived customer")
def restore(customer_id: CustomerId, if_match: IfMatch = None, version: VersionQuery = None,
            key: ApiKey = Depends(writer)):
    return _answer(customers.restore_customer(
        customer_id, version=required_version(if_match, version), actor=actor(key)))
