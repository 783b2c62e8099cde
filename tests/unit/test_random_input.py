"""Random input to create and update never raises anything but a ValidationError,
and a refused call writes nothing at all."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from models import Alias, AuditEvent, Contact, Customer
from models import sections as S
from services.customers import create_customer, get_customer, update_section
from services.db import read_session
from services.errors import ValidationError
from tests.unit.factories import ACTOR, customer_input

pytestmark = pytest.mark.usefixtures("database")

junk = st.one_of(
    st.none(),
    st.text(max_size=300),
    st.sampled_from(["", " ", "DE", "de", "US-CA", "EUR", "8.875", "101", "-0", "NaN", "1e3",
                     "Net 30", "=1+1", "<b>x</b>", "a@b.co", "x@", "DE136695976", "\x00"]),
    st.integers(min_value=-10**6, max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.text(max_size=20), max_size=3),
)

CUSTOMER_KEYS = list(customer_input()) + ["business_name", "invoicing_flow",
                                          "payment_terms_days", "auto_pay", "tax_country",
                                          "tax_id", "legal_entity_id"]
SECTION_KEYS = {
    S.BUSINESS_INFORMATION: ["name", "business_name", "currency", "invoicing_flow",
                              "payment_terms_days", "auto_pay", "legal_entity_id"],
    S.BILLING_ADDRESS: ["country", "address_line1", "address_line2", "city", "state",
                         "postal_code"],
    S.TAX_SETTINGS: ["tax_country", "tax_id", "tax_rate"],
}


def snapshot() -> tuple:
    with read_session() as session:
        return tuple(session.exec(select(func.count()).select_from(m)).one()
                     for m in (Customer, Contact, Alias, AuditEvent))


SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(overrides=st.dictionaries(st.sampled_from(CUSTOMER_KEYS), junk, max_size=6))
def test_create_with_random_values(overrides):
    before = snapshot()
    values = customer_input(**{"external_ids": [], **overrides})
    try:
        created = create_customer(values, actor=ACTOR)
    except ValidationError as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())
        assert snapshot() == before
        return
    stored = get_customer(created.id)
    assert isinstance(stored.tax_rate, Decimal) and 0 <= stored.tax_rate <= 100
    assert snapshot()[0] == before[0] + 1


@SETTINGS
@given(section=st.sampled_from(list(SECTION_KEYS)), data=st.data())
def test_update_with_random_values(section, data):
    customer = create_customer(customer_input(external_ids=[]), actor=ACTOR)
    values = data.draw(st.dictionaries(st.sampled_from(SECTION_KEYS[section]), junk, max_size=4))
    before = snapshot()
    try:
        update_section(customer.id, section, values, version=customer.version, actor=ACTOR)
    except ValidationError:
        assert snapshot() == before
        after = get_customer(customer.id)
        assert after.version == customer.version
        assert after.model_dump() == get_customer(customer.id).model_dump()
