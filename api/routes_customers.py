"""/api/v1/customers: list, create, get, patch, archive, restore, check the Tax ID."""

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse

from api import schemas
from api.idempotent import idempotent
from api.list_parameters import CustomerSummary, list_filters, summary_columns, summary_name
from api.problems import READ_ERRORS, WRITE_ERRORS
from api.security import actor, reader, writer
from api.versions import IfMatch, VersionQuery, required_version, with_etag
from models.api_key import ApiKey
from services import customers, families, tax_id_check
from services.config import settings
from services.customer_columns import book_columns
from services.customer_queries import VERSION, CustomerQuery, list_customers
from services.list_filters import FieldFilter, parse

router = APIRouter(prefix="/customers", tags=["customers"])
CustomerId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The customer's id")]


def _summary_value(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value  # exact, as text


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
    filters: tuple[FieldFilter, ...] = Depends(list_filters),
    q: str | None = Query(None, max_length=200, description="Quick search"),
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
    columns = summary_columns()
    query = CustomerQuery(
        search=q, filters=filters + parse(custom, book_columns()), status=status, sort=sort,
        descending=order == "desc", offset=offset, limit=limit,
        columns=tuple(c.key for c in columns))
    page = list_customers(query, exact_count=True)
    data = []
    for row in page.rows:
        values = row._mapping
        data.append(CustomerSummary(
            id=values["id"], version=values[VERSION],
            **{summary_name(c): _summary_value(values[c.key]) for c in columns}))
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
            children: Literal["archive", "detach"] | None = Query(None, description=(
                "What happens to a parent's active children: archive them too, or detach "
                "them and archive only the parent. Required when it has any: without it "
                "the archive is refused with 422 naming `children`.")),
            key: ApiKey = Depends(writer)):
    return _answer(customers.archive_customer(
        customer_id, version=required_version(if_match, version), actor=actor(key),
        children=children))


@router.get("/{customer_id}/children", response_model=list[schemas.FamilyMemberOut],
            responses=READ_ERRORS, summary="The customer's child customers (its family)")
def children(customer_id: CustomerId, _: ApiKey = Depends(reader)):
    return [schemas.FamilyMemberOut(**vars(m)) for m in families.children_of(customer_id)]


@router.post("/{customer_id}/restore", response_model=schemas.CustomerOut,
             responses=WRITE_ERRORS, summary="Restore an archived customer")
def restore(customer_id: CustomerId, if_match: IfMatch = None, version: VersionQuery = None,
            key: ApiKey = Depends(writer)):
    return _answer(customers.restore_customer(
        customer_id, version=required_version(if_match, version), actor=actor(key)))


@router.post("/{customer_id}/tax-id/check", response_model=schemas.TaxIdCheckOut,
             responses=WRITE_ERRORS,
             summary="Check the Tax ID with the EU's VIES, when the operator turned it on")
def check_tax_id(customer_id: CustomerId, if_match: IfMatch = None,
                 version: VersionQuery = None, key: ApiKey = Depends(writer)):
    """Records verified, invalid or could not be checked with today's date (an earlier
    verdict stays when VIES cannot answer; `result` and `message` say what happened). 422
    names tax_id when the check is not available: VIES turned off, no Tax ID, not an EU VAT
    number."""
    done = tax_id_check.check(customer_id, version=required_version(if_match, version),
                              actor=actor(key))
    body = schemas.TaxIdCheckOut(result=done.result.value, message=done.message,
                                 customer=schemas.customer_out(done.customer))
    return with_etag(body.model_dump(mode="json"), done.customer.version, 200)
