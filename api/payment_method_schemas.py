"""Bodies of the payment-method routes, generated from the payment method's fields.

Inputs accept any JSON value per field and let the service refuse it, as the customer's
bodies do; unknown fields reach the service too, so a card number or a CVC sent under any
name gets the service's own words ("never stored"), not a generic "extra field".
"""

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from api.schemas import _field
from models.catalogue import payment_method_fields
from services.payment_methods import method_label, status

PaymentMethodIn = create_model(
    "PaymentMethodIn", __config__=ConfigDict(extra="allow"),
    __doc__=("A reference to where a payment method lives at its provider; never the card "
             "number or its security code. Send only the fields to change when editing."),
    **{s.attr: _field(s) for s in payment_method_fields()},
    add_external_id=(bool, Field(True, description=(
        "The provider customer ID becomes an External ID of the customer (the default)."))),
)


class PaymentMethodOut(BaseModel):
    id: int
    provider: str
    provider_label: str
    provider_customer_id: str | None
    reference: str
    method_type: str
    method_type_label: str
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None
    expires_on: date | None = Field(description="The last day of the expiry month.")
    holder_name: str | None
    bank_name: str | None
    is_default: bool
    status: str = Field(description="active, expiring (soon), expired or revoked.")
    label: str = Field(description='How the method reads in one line: "Visa •••• 4242 · 08/27".')
    revoked_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int = Field(description=(
        "The customer's version after this answer; send it back as If-Match."))


def method_out(method, version: int) -> dict[str, Any]:
    values = {s.attr: getattr(method, s.attr) for s in payment_method_fields()}
    return PaymentMethodOut(
        id=method.id, **values, provider_label=method.provider_label,
        method_type_label=method.method_type_label, expires_on=method.expires_on,
        is_default=method.is_default, status=status(method), label=method_label(method),
        revoked_at=method.revoked_at, created_at=method.created_at,
        updated_at=method.updated_at, version=version,
    ).model_dump(mode="json")


def method_values(body: BaseModel) -> tuple[dict[str, Any], bool]:
    """The fields sent (unknown ones included, for the service to name) and whether the
    provider customer ID should become an External ID."""
    values = body.model_dump(exclude_unset=True)  # the unknown fields too
    add_external_id = values.pop("add_external_id", True)
    return values, bool(add_external_id)
