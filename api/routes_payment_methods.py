"""A customer's payment methods: list, add, edit, remove, make default, revoke.

Versioned like contacts: the list's ETag is the customer's version; every change but an
add needs it back (If-Match or `version`), and an add checks it when sent. POST takes an
Idempotency-Key, so a retried add never adds twice.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from api.idempotent import idempotent
from api.payment_method_schemas import PaymentMethodIn, PaymentMethodOut, method_out, method_values
from api.problems import READ_ERRORS, WRITE_ERRORS
from api.routes_children import ChildId
from api.routes_customers import CustomerId
from api.security import actor, reader, writer
from api.versions import IfMatch, VersionQuery, etag, optional_version, required_version, with_etag
from models.api_key import ApiKey
from services import payment_methods
from services.customers import get_customer
from services.errors import NotFoundError

router = APIRouter(prefix="/customers/{customer_id}/payment-methods", tags=["payment methods"])
NewDefault = Annotated[int | None, Query(
    ge=1, le=2**31 - 1, description="Removing the default: the method that becomes default.")]


def _method(customer, method_id: int):
    found = next((m for m in customer.payment_methods if m.id == method_id), None)
    if found is None:
        raise NotFoundError(f"Payment method #{method_id} is not a payment method of this "
                            "customer.")
    return found


def _answer(customer, method_id: int):
    return with_etag(method_out(_method(customer, method_id), customer.version),
                     customer.version)


@router.get("", response_model=list[PaymentMethodOut], responses=READ_ERRORS,
            summary="The customer's payment methods, the default first; the ETag is the "
                    "customer's version")
def list_methods(customer_id: CustomerId, _: ApiKey = Depends(reader)):
    customer = get_customer(customer_id)
    methods = sorted(customer.payment_methods, key=lambda m: (not m.is_default, m.id))
    return with_etag([method_out(m, customer.version) for m in methods], customer.version)


@router.get("/{method_id}", response_model=PaymentMethodOut, responses=READ_ERRORS)
def get_method(customer_id: CustomerId, method_id: ChildId, _: ApiKey = Depends(reader)):
    return _answer(get_customer(customer_id), method_id)


@router.post("", status_code=201, response_model=PaymentMethodOut, responses=WRITE_ERRORS,
             summary="Add a payment method; the first becomes the default (Idempotency-Key "
                     "supported)")
async def add_method(customer_id: CustomerId, body: PaymentMethodIn, request: Request,
                     if_match: IfMatch = None, version: VersionQuery = None,
                     key: ApiKey = Depends(writer)):
    values, add_external_id = method_values(body)
    read = optional_version(if_match, version)

    def run():
        customer = payment_methods.add_payment_method(
            customer_id, values, actor=actor(key), version=read,
            add_external_id=add_external_id)
        added = max(customer.payment_methods, key=lambda m: m.id)
        return 201, method_out(added, customer.version)

    return await idempotent(request, key, request.headers.get("Idempotency-Key"), run)


@router.patch("/{method_id}", response_model=PaymentMethodOut, responses=WRITE_ERRORS)
def edit_method(customer_id: CustomerId, method_id: ChildId, body: PaymentMethodIn,
                if_match: IfMatch = None, version: VersionQuery = None,
                key: ApiKey = Depends(writer)):
    _method(get_customer(customer_id), method_id)
    read = required_version(if_match, version)
    values, add_external_id = method_values(body)
    customer = payment_methods.update_payment_method(
        method_id, values, actor=actor(key), version=read, add_external_id=add_external_id)
    return _answer(customer, method_id)


@router.delete("/{method_id}", status_code=204, responses=WRITE_ERRORS,
               summary="Remove a payment method; removing the default names the new one")
def remove_method(customer_id: CustomerId, method_id: ChildId, new_default_id: NewDefault = None,
                  if_match: IfMatch = None, version: VersionQuery = None,
                  key: ApiKey = Depends(writer)):
    _method(get_customer(customer_id), method_id)
    read = required_version(if_match, version)
    customer = payment_methods.remove_payment_method(
        method_id, actor=actor(key), version=read, new_default_id=new_default_id)
    return Response(status_code=204, headers={"ETag": etag(customer.version)})


@router.post("/{method_id}/default", response_model=PaymentMethodOut, responses=WRITE_ERRORS,
             summary="Make this payment method the default")
def make_default(customer_id: CustomerId, method_id: ChildId, if_match: IfMatch = None,
                 version: VersionQuery = None, key: ApiKey = Depends(writer)):
    _method(get_customer(customer_id), method_id)
    read = required_version(if_match, version)
    customer = payment_methods.make_default(method_id, actor=actor(key), version=read)
    return _answer(customer, method_id)


@router.post("/{method_id}/revoke", response_model=PaymentMethodOut, responses=WRITE_ERRORS,
             summary="Mark this payment method revoked: kept for the record, never charged")
def revoke(customer_id: CustomerId, method_id: ChildId, if_match: IfMatch = None,
           version: VersionQuery = None, key: ApiKey = Depends(writer)):
    _method(get_customer(customer_id), method_id)
    read = required_version(if_match, version)
    customer = payment_methods.revoke_payment_method(method_id, actor=actor(key), version=read)
    return _answer(customer, method_id)
