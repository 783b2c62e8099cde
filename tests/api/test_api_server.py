"""`make api`'s server for real: uvicorn on a free port over a fresh SQLite file."""

import json
import urllib.request

from services import db
from services.api_keys import create_api_key
from tests.unit.factories import admin
from tooling.api_server import running_api


def _get(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=5) as answer:
        return answer.status, json.loads(answer.read())


def test_uvicorn_serves_the_api_and_migrates_at_start(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'api.sqlite3'}"
    with running_api(db_url, tmp_path / "api.log") as base:
        db.configure(db_url)
        try:
            secret = create_api_key("smoke", "read", actor=admin("test")).secret
            status, spec = _get(f"{base}/openapi.json", {"X-API-Key": secret})
            assert status == 200 and spec["info"]["title"] == "Customer Desk API"
            status, listing = _get(f"{base}/customers", {"X-API-Key": secret})
            assert status == 200 and listing["total"] == 0
        finally:
            db.get_engine().dispose()
