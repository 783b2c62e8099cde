"""`make api`'s server for real: uvicorn on a free port over a fresh SQLite file."""

import json
import os
import subprocess
import sys
import time
import urllib.request

from services import db
from services.api_keys import create_api_key
from tests.unit.factories import admin
from tooling.app_server import ROOT, free_port


def _get(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=5) as answer:
        return answer.status, json.loads(answer.read())


def test_uvicorn_serves_the_api_and_migrates_at_start(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'api.sqlite3'}"
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
         "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, spec = _get(f"{base}/openapi.json")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert status == 200 and spec["info"]["title"] == "Customer Desk API"
        db.configure(db_url)
        secret = create_api_key("smoke", "read", actor=admin("test")).secret
        status, listing = _get(f"{base}/customers", {"X-API-Key": secret})
        assert status == 200 and listing["total"] == 0
    finally:
        server.terminate()
        server.wait(timeout=10)
        db.get_engine().dispose()
