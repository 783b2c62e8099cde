"""Request bodies over the configured limit (5 MB by default) are a 413 problem, with or without
Content-Length, and nothing is written."""

import json
import select
import socket

import pytest

from services import db
from services.api_keys import create_api_key
from services.config import MB, settings
from tests.api.conftest import new_customer
from tests.api.test_customers_api import assert_problem
from tests.unit.factories import admin
from tooling.api_server import running_api

V1 = "/api/v1"


@pytest.fixture
def limit(monkeypatch):
    def set_limit(size: int) -> None:
        monkeypatch.setenv("CUSTOMER_DESK_API_MAX_BODY_BYTES", str(size))
        settings.cache_clear()

    yield set_limit
    monkeypatch.undo()
    settings.cache_clear()


def customers(api) -> int:
    return api.client.get(f"{V1}/customers", headers=api.read).json()["total"]


def test_the_default_limit_is_5_mb(api):
    at_limit = api.client.post(f"{V1}/customers", content=b" " * (5 * MB),
                               headers={**api.write, "Content-Type": "application/json"})
    assert_problem(at_limit, 422, "body", "JSON")  # read, and refused as JSON, not for its size
    over = api.client.post(f"{V1}/customers", content=b" " * (5 * MB + 1),
                           headers={**api.write, "Content-Type": "application/json"})
    assert_problem(over, 413, "body", "at most 5,242,880 bytes")


def test_a_body_over_the_limit_is_413_with_or_without_content_length(api, limit):
    limit(2_000)
    big = json.dumps(new_customer(name="x" * 3_000)).encode()
    declared = api.client.post(f"{V1}/customers", content=big,
                               headers={**api.write, "Content-Type": "application/json"})
    assert_problem(declared, 413, "body", "at most 2,000 bytes")

    def chunked(body: bytes):
        for start in range(0, len(body), 500):
            yield body[start:start + 500]

    streamed = api.client.post(f"{V1}/customers", content=chunked(big),
                               headers={**api.write, "Content-Type": "application/json"})
    assert "content-length" not in streamed.request.headers
    assert_problem(streamed, 413, "body", "at most 2,000 bytes")
    assert customers(api) == 0

    small = json.dumps(new_customer()).encode()
    created = api.client.post(f"{V1}/customers", content=chunked(small),
                              headers={**api.write, "Content-Type": "application/json"})
    assert created.status_code == 201, created.text
    assert customers(api) == 1


def test_the_server_stops_reading_an_endless_chunked_body(tmp_path, monkeypatch):
    """A real uvicorn: a client that streams without end is answered 413 once the limit is
    passed, instead of being read on and on."""
    monkeypatch.setenv("CUSTOMER_DESK_API_MAX_BODY_BYTES", str(256 * 1024))
    db_url = f"sqlite:///{tmp_path / 'api.sqlite3'}"
    with running_api(db_url, tmp_path / "api.log") as base:
        db.configure(db_url)
        try:
            secret = create_api_key("limit", "write", actor=admin("test")).secret
        finally:
            db.get_engine().dispose()
        host, port = base.removeprefix("http://").split("/")[0].split(":")
        answer, sent = _stream_until_answered(host, int(port), secret)
    assert answer.startswith(b"HTTP/1.1 413 "), (sent, answer[:200])
    assert b"application/problem+json" in answer


def _stream_until_answered(host: str, port: int, secret: str) -> tuple[bytes, int]:
    """Send 64 KB chunks, never the last one, until the server answers (or 64 MB went out);
    return the answer and how much was sent."""
    chunk = b"%x\r\n%s\r\n" % (64 * 1024, b" " * 64 * 1024)
    sent, answer = 0, b""
    with socket.create_connection((host, port), timeout=5) as conn:
        conn.sendall(b"POST /api/v1/customers HTTP/1.1\r\nHost: %s\r\nX-API-Key: %s\r\n"
                     b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                     % (host.encode(), secret.encode()))
        while sent < 64 * MB and not select.select([conn], [], [], 0)[0]:
            try:
                conn.sendall(chunk)
            except (TimeoutError, BrokenPipeError, ConnectionResetError):
                break  # the server stopped reading
            sent += len(chunk)
        try:
            while more := conn.recv(65536):
                answer += more
        except (ConnectionResetError, TimeoutError):
            pass
    return answer, sent
