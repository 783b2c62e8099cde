import pytest

from services.customers import update_tax_settings
from services.errors import ValidationError
from services.settings import set_tax_managed_by_integration, tax_managed_by_integration
from tests.unit.factories import ACTOR, customer_history, make_customer

pytestmark = pytest.mark.usefixtures("database")


def test_tax_integration_is_off_by_default():
    assert tax_managed_by_integration() is False


def test_managed_tax_rate_cannot_be_changed_but_other_tax_settings_can():
    customer = make_customer()
    set_tax_managed_by_integration(True, actor=ACTOR)
    with pytest.raises(ValidationError) as caught:
        update_tax_settings(customer.id, {"tax_rate": "5"}, version=customer.version, actor=ACTOR)
    assert "managed by the tax integration" in caught.value.errors["tax_rate"]
    updated = update_tax_settings(customer.id, {"tax_rate": "19", "tax_id": "DE136695976"},
                                  version=customer.version, actor=ACTOR)
    assert updated.tax_id == "DE136695976"
    changes = customer_history(customer.id)[0].changes
    assert set(changes) == {"tax_id", "tax_id_status", "tax_id_checked_at"}  # no tax_rate
    assert changes["tax_id"] == [None, "DE136695976"]


def test_managed_tax_rate_cannot_be_set_on_create():
    set_tax_managed_by_integration(True, actor=ACTOR)
    with pytest.raises(ValidationError) as caught:
        make_customer(tax_rate="7")
    assert "tax_rate" in caught.value.errors
    assert str(make_customer(tax_rate=None).tax_rate) == "0.00"


def test_switching_back_off_frees_the_tax_rate():
    customer = make_customer()
    set_tax_managed_by_integration(True, actor=ACTOR)
    set_tax_managed_by_integration(False, actor=ACTOR)
    assert update_tax_settings(customer.id, {"tax_rate": "5"}, version=customer.version,
                               actor=ACTOR).tax_rate == 5
