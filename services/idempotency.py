"""Idempotency-Key for API POSTs: the same key and body replay the first answer and write
nothing; the same key with another body is refused."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError

from models.idempotency import IdempotencyRecord
from services.db import read_session, write_session
from services.errors import ConflictError, ValidationError

MAX_KEY_LENGTH = 255
PENDING = 0


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def _stored(api_key_id: int, key: str) -> IdempotencyRecord | None:
    with read_session() as session:
        return session.get(IdempotencyRecord, (key, api_key_id))


def _forget(api_key_id: int, key: str) -> None:
    with write_session() as session:
        record = session.get(IdempotencyRecord, (key, api_key_id))
        if record is not None:
            session.delete(record)


def run_once(api_key_id: int, key: str, fingerprint: str,
             run: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    """Run `run` (returning status code and JSON body) once per key; replay it afterwards.

    The key is claimed before the work starts, so two concurrent requests with one key
    cannot both write. Only successful answers are kept: a refused request may be
    corrected and sent again with the same key.
    """
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError.single("Idempotency-Key",
                                     f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters.")
    try:
        with write_session() as session:
            session.add(IdempotencyRecord(key=key, api_key_id=api_key_id,
                                          request_hash=fingerprint, status_code=PENDING))
    except IntegrityError:
        return _replay(_stored(api_key_id, key), fingerprint)
    try:
        status, body = run()
    except BaseException:
        _forget(api_key_id, key)
        raise
    if status >= 400:
        _forget(api_key_id, key)
        return status, body
    with write_session() as session:
        record = session.get(IdempotencyRecord, (key, api_key_id))
        record.status_code = status
        record.body = json.loads(json.dumps(body, default=str))
    return status, body


def _replay(record: IdempotencyRecord | None, fingerprint: str) -> tuple[int, Any]:
    if record is None:
        raise ConflictError("The first request with this Idempotency-Key failed; send it again.")
    if record.request_hash != fingerprint:
        raise ValidationError.single(
            "Idempotency-Key",
            "This Idempotency-Key was already used with a different request body.")
    if record.status_code == PENDING:
        raise ConflictError("A request with this Idempotency-Key is still being processed.")
    return record.status_code, record.body
