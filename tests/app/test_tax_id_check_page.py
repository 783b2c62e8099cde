"""Check Tax ID on the profile's Tax Settings, in AppTest: with VIES on (the local stand-in)
a click shows the verdict and the section and header read the status with its date; with
VIES off the button is greyed out and says why."""

import pytest

from services.customers import get_customer
from services.tax_id_status import VIES_OFF
from tests.app.conftest import open_page, shown
from tests.app.test_customer_profile_page import facts
from tests.unit.factories import make_customer
from tooling import vies_stand_in as stand

PROFILE = "app_pages/customer_profile.py"
VAT = "DE123456704"


@pytest.fixture
def customer(app_db):
    return make_customer(tax_id=VAT)


def button(app, customer_id: int):
    return app.button(key=f"profile.{customer_id}.check_tax_id")


def test_a_check_shows_verified_with_the_date(app, customer, vies):
    vies.answer(VAT, stand.VALID)
    open_page(app, PROFILE, customer=str(customer.id))
    assert facts(app, "Tax Settings")["Tax ID Status"].startswith("Valid format ")
    button(app, customer.id).click().run()
    assert not app.exception, app.exception
    assert shown(app.success, "VIES confirms this VAT number is registered.")
    checked = get_customer(customer.id).tax_id_checked_at
    assert facts(app, "Tax Settings")["Tax ID Status"] == f"Verified {checked:%-d %b %Y}"
    assert facts(app)["Tax ID"] == f"{VAT} · Verified {checked:%-d %b %Y}"


def test_no_answer_is_a_warning_that_says_why(app, customer, vies):
    vies.answer(VAT, stand.ERROR)
    open_page(app, PROFILE, customer=str(customer.id))
    button(app, customer.id).click().run()
    assert shown(app.warning, "could not be checked: VIES answered with HTTP error 500")
    assert facts(app, "Tax Settings")["Tax ID Status"].startswith("Could not be checked ")


def test_with_vies_off_the_button_says_why(app, customer, vies, configured):
    configured(vies_enabled=None)
    open_page(app, PROFILE, customer=str(customer.id))
    assert button(app, customer.id).disabled
    assert shown(app.caption, VIES_OFF)
    assert vies.asked == []


def test_the_grid_offers_the_status_as_a_column_and_a_filter(app, vies):
    from services.tax_id_check import check
    from tests.app.test_customers_page import grid, summary
    from tests.unit.factories import ACTOR

    vies.answer(VAT, stand.VALID)
    check(make_customer(tax_id=VAT).id, version=None, actor=ACTOR)
    make_customer(name="Bolt GmbH", external_ids=["b"], tax_id="DE123456712")
    app.run()
    assert summary(app) == "2 customers match"
    assert "Tax ID Status" in app.multiselect(key="cols").options  # the column chooser
    app.multiselect(key="cols").select("tax_id_status").run()
    assert '"headerName": "Tax ID Status"' in grid(app).proto.json_args
    app.multiselect(key="taxidstatus").select("verified").run()
    assert summary(app) == "1 customer matches"
