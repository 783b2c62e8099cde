"""Idempotency-Key on POST: the first answer is kept and replayed for the same key and body."""

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from models.api_key import ApiKey
from services.idempotency import request_hash, run_once


async def idempotent(request: Request, key: ApiKey, idempotency_key: str | None,
                     run: Callable[[], tuple[int, Any]]) -> JSONResponse:
    if idempotency_key is None:
        status, body = await run_in_threadpool(run)
    else:
        fingerprint = request_hash(request.method, request.url.path, await request.body())
        status, body = await run_in_threadpool(run_once, key.id, idempotency_key, fingerprint,
                                               run)
    headers = {"ETag": f'"{body["version"]}"'} if isinstance(body, dict) and "version" in body \
        else None
    return JSONResponse(body, status_code=status, headers=headers)
