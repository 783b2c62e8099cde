"""Request bodies over the operator's limit (CUSTOMER_DESK_API_MAX_BODY_BYTES, 5 MB by default)
are refused with 413 before any route sees them.

A declared Content-Length over the limit is refused at once. A body without one (chunked) is
counted while it is read and refused as soon as the bytes received pass the limit, so a
client can make the server hold at most the limit, however much it sends. A body within the
limit is read whole and handed on: every route takes JSON, which it would read whole anyway.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem
from services.config import settings


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = settings().api_max_body_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(limit)(scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(limit)(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit():
            return int(value)
    return None


def _too_large(limit: int):
    return problem(413, "Content too large",
                   f"The request body is larger than this API takes ({limit:,} bytes).",
                   {"body": f"The body must be at most {limit:,} bytes."},
                   headers={"Connection": "close"})


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body as one message, then whatever the server says next (a disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
