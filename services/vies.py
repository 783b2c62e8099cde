"""Ask the EU's VIES whether a VAT number is registered, and say plainly when it could not.

VIES has two doors: the SOAP service python-stdnum's `stdnum.eu.vat.check_vies` calls (it
needs the zeep package, which reads the service's WSDL before each call) and a REST endpoint
(POST {"countryCode": "DE", "vatNumber": "123456704"} to .../check-vat-number, answered with
{"valid": true, "name": ..., "address": ...}). We use the REST one: the standard library's
urllib and json speak it, so no new dependency comes in, and the tests' stand-in
(tooling/vies_stand_in.py) is a few lines of http.server answering JSON instead of a WSDL
and SOAP envelopes.

A check never raises for anything the network or the service does: a timeout, a refused
connection, an HTTP error, an answer that is not the JSON we expect or an EU error code
(MS_UNAVAILABLE...) all come back as UNAVAILABLE with the reason, for the person who asked.
"""

import http.client
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from enum import StrEnum

MAX_ANSWER_BYTES = 64 * 1024  # a real answer is well under 1 KB
_CHUNK = 4096


class Verdict(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    UNAVAILABLE = "unavailable"  # the question could not be answered


@dataclass(frozen=True)
class ViesAnswer:
    verdict: Verdict
    reason: str = ""  # why it could not be checked, in words for the person who asked
    name: str | None = None  # the registered trader's name, where the member state shares it
    address: str | None = None


def check(number: str, *, url: str, timeout: float) -> ViesAnswer:
    """Ask VIES at `url` about `number`, an EU VAT number in compact form with its country
    prefix (DE123456704). Each wait on the network is bounded by `timeout` seconds and
    reading the answer stops once the timeout has passed since the request began, so a
    check ends within about twice the timeout however the service behaves."""
    if not url.startswith(("https://", "http://")):
        return _unavailable("the VIES address is not an http(s) URL")
    body = json.dumps({"countryCode": number[:2], "vatNumber": number[2:]}).encode()
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"})
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = _read_bounded(response, deadline)
    except urllib.error.HTTPError as exc:
        return _unavailable(f"VIES answered with HTTP error {exc.code}")
    except (TimeoutError, _TooSlow):
        return _unavailable(f"VIES did not answer in time ({timeout:g} s)")
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        if isinstance(getattr(exc, "reason", None), TimeoutError):
            return _unavailable(f"VIES did not answer in time ({timeout:g} s)")
        return _unavailable("VIES could not be reached")
    except _TooLong:
        return _unavailable("VIES sent an answer that is not a VAT check")
    return read_answer(raw)


def read_answer(raw: bytes) -> ViesAnswer:
    """The verdict in a VIES REST answer; anything but the expected JSON is UNAVAILABLE."""
    try:
        answer = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return _unavailable("VIES sent an answer that is not a VAT check")
    if not isinstance(answer, dict):
        return _unavailable("VIES sent an answer that is not a VAT check")
    valid = answer.get("valid")
    if not isinstance(valid, bool):
        code = _error_code(answer)
        if code:
            return _unavailable(f"VIES could not answer ({code})")
        return _unavailable("VIES sent an answer that is not a VAT check")
    if not valid:
        return ViesAnswer(Verdict.INVALID)
    return ViesAnswer(Verdict.VALID, name=_text(answer.get("name")),
                      address=_text(answer.get("address")))


class _TooSlow(Exception):
    pass


class _TooLong(Exception):
    pass


def _read_bounded(response, deadline: float) -> bytes:
    """The body, refused when it outgrows MAX_ANSWER_BYTES or keeps coming past `deadline`
    (a service trickling bytes would otherwise reset the socket's timeout with each one)."""
    parts: list[bytes] = []
    size = 0
    while chunk := response.read1(_CHUNK):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise _TooLong
        parts.append(chunk)
        if time.monotonic() > deadline:
            raise _TooSlow
    return b"".join(parts)


def _error_code(answer: dict) -> str | None:
    """The EU's error code (MS_UNAVAILABLE, MS_MAX_CONCURRENT_REQ...) in an answer without a
    verdict, as the REST service reports it, if it is there."""
    wrappers = answer.get("errorWrappers")
    if isinstance(wrappers, list) and wrappers and isinstance(wrappers[0], dict):
        code = wrappers[0].get("error")
        if isinstance(code, str) and code.replace("_", "").isalnum():
            return code[:50]
    code = answer.get("userError")
    if isinstance(code, str) and code not in ("VALID", "INVALID") and code.replace(
            "_", "").isalnum():
        return code[:50]
    return None


def _text(value: object) -> str | None:
    """A name or address as VIES gives it; '---' is how it says the member state keeps it."""
    if not isinstance(value, str) or value.strip() in ("", "---"):
        return None
    return value.strip()[:500]


def _unavailable(reason: str) -> ViesAnswer:
    return ViesAnswer(Verdict.UNAVAILABLE, reason=reason)
