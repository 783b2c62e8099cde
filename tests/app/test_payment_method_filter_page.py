"""The Customers page's Payment method filter and column, as finance uses them."""

from datetime import timedelta

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP
from tests.app.test_customers_page import grid, summary
from tests.unit.factories import make_customer
from tests.unit.test_book_payment_methods import TODAY, card


def rows(app) -> dict[str, str | None]:
    """The grid's rows as the page hands them to the component: name -> the column."""
    (data,) = grid(app).proto.special_args
    frame = pa.ipc.open_stream(data.arrow_dataframe.data.data).read_all().to_pandas()
    return dict(zip(frame["name"], frame["payment_method"], strict=True))


def test_the_filter_narrows_the_grid_and_the_column_shows_the_card(app_db):
    soon = make_customer(name="Soon Expiring", external_ids=["soon"])
    past = make_customer(name="Past Expiry", external_ids=["past"])
    make_customer(name="No Method", external_ids=["none"])
    card(soon.id, TODAY, reference="pm_1Soon", brand="Visa", last4="4242")
    card(past.id, TODAY.replace(day=1) - timedelta(days=40), reference="pm_1Past")
    app = AppTest.from_file(APP, default_timeout=30)
    app.query_params["cols"] = ["name", "payment_method"]
    app.run()
    assert summary(app) == "3 customers match"
    assert rows(app)["Soon Expiring"] == f"Visa •••• 4242 · {TODAY:%m/%y}"
    options = app.multiselect(key="pm").options
    assert "Expiring within 30 days" in options
    assert "Auto Pay without a usable payment method" in options
    assert "Default Payment Method" in app.multiselect(key="cols").options
    app.multiselect(key="pm").select("expiring").run()
    assert summary(app) == "1 customer matches"
    assert list(rows(app)) == ["Soon Expiring"]
    app.multiselect(key="pm").select("none").run()
    assert set(rows(app)) == {"Soon Expiring", "No Method"}


def test_a_link_with_the_filter_opens_filtered(app_db):
    make_customer(name="No Method", external_ids=["none"])
    card(make_customer(name="Has Card", external_ids=["card"]).id, TODAY + timedelta(days=400),
         reference="pm_1Far")
    app = AppTest.from_file(APP, default_timeout=30)
    app.query_params["pm"] = ["none"]  # the URL holds the choice's code
    app.run()
    assert not app.exception
    assert summary(app) == "1 customer matches"
