"""PostgreSQL stopped and started under a running app and API: during the outage the API
answers 503 with Retry-After and the app shows a friendly message; afterwards everything
works again, on the same processes, with nothing lost."""

import httpx
import pytest
from playwright.sync_api import expect

from services import db
from services.api_keys import create_api_key
from tests.databases import skip_or_fail
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import grid, wait_ready
from tests.unit.factories import admin
from tooling.api_server import running_api
from tooling.app_server import running_app
from tooling.private_postgres import available, private_postgres

CUSTOMER = {"currency": "EUR", "country": "DE"}


@pytest.fixture
def outage_stack(tmp_path):
    """A PostgreSQL of this test's own, with the app and the API running on it."""
    if not available():
        skip_or_fail("PostgreSQL's server programs (pg_ctl, initdb) are not installed")
    with private_postgres() as server, \
            running_app(server.url, tmp_path / "app.log") as (app_url, _), \
            running_api(server.url, tmp_path / "api.log") as api_url:
        db.configure(server.url)
        key = create_api_key("outage", "write", actor=admin("ops@example.com")).secret
        db.get_engine().dispose()
        with httpx.Client(base_url=api_url, headers={"X-API-Key": key}, timeout=30) as api:
            yield server, app_url, api


def create(api: httpx.Client, name: str, alias: str) -> httpx.Response:
    return api.post("/customers", json={**CUSTOMER, "name": name, "aliases": [alias],
                                        "primary_contact": {"email": f"{alias}@x.example"}})


def test_an_outage_is_explained_and_recovered_from(outage_stack, page):
    server, app_url, api = outage_stack
    assert create(api, "Before Outage", "before").status_code == 201
    page.goto(app_url)
    wait_ready(page)
    expect(grid(page).get_by_text("Before Outage")).to_be_visible()

    server.stop()
    listing = api.get("/customers")
    assert listing.status_code == 503
    assert listing.headers["content-type"] == "application/problem+json"
    assert int(listing.headers["Retry-After"]) > 0
    assert "not reachable" in listing.json()["detail"]
    assert create(api, "During Outage", "during").status_code == 503
    assert api.get("/aliases/before").status_code == 503
    page.reload()
    expect(page.get_by_text("The database is not reachable right now")).to_be_visible(
        timeout=30_000)
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    screenshot(page, "database-outage")

    server.start()
    assert api.get("/customers").status_code == 200  # the first request after, no retries
    assert api.get("/aliases/before").json()["customer_name"] == "Before Outage"
    assert create(api, "After Outage", "after").status_code == 201
    names = [c["name"] for c in api.get("/customers").json()["data"]]
    assert sorted(names) == ["After Outage", "Before Outage"]  # nothing lost, nothing extra
    page.get_by_role("button", name="Try again").click()
    wait_ready(page)
    expect(grid(page).get_by_text("After Outage")).to_be_visible(timeout=30_000)
