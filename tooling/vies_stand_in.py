"""A local stand-in for the EU's VIES REST endpoint, so no test asks the real one.

It listens on a free 127.0.0.1 port and answers POST {"countryCode", "vatNumber"} the way
VIES does. What it answers for a number is set per number with `answer(number, how)`:
VALID and INVALID answer so; SLOW holds a VALID answer back for SLOW_SECONDS or until
`stop()`, beyond any timeout a test sets (a client that does not give up gets VALID, which
the test then refuses, rather than hanging the run); ERROR answers HTTP 500; MALFORMED
answers 200 with text that is not JSON; UNAVAILABLE answers VIES's own "member state
unavailable" error. A number it was not told about is INVALID, as VIES says of a number
nobody registered.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VALID = "valid"
INVALID = "invalid"
SLOW = "slow"
ERROR = "error"
MALFORMED = "malformed"
UNAVAILABLE = "unavailable"
SLOW_SECONDS = 30

TRADER = {"name": "STAND-IN TRADING GMBH", "address": "Musterstrasse 1\n10115 Berlin"}


class ViesStandIn:
    def __init__(self) -> None:
        self.answers: dict[str, str] = {}
        self.asked: list[str] = []  # every number asked, in order
        self._released = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/check-vat-number"

    def answer(self, number: str, how: str) -> None:
        self.answers[number] = how

    def start(self) -> "ViesStandIn":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    def reply(self, number: str) -> tuple[int, bytes]:
        """The status and body VIES would send for `number`."""
        self.asked.append(number)
        how = self.answers.get(number, INVALID)
        if how == SLOW:
            self._released.wait(SLOW_SECONDS)
        if how == ERROR:
            return 500, b'{"message": "internal error"}'
        if how == MALFORMED:
            return 200, b"<html>Service maintenance</html>"
        if how == UNAVAILABLE:
            return 200, json.dumps({"actionSucceed": False, "errorWrappers": [
                {"error": "MS_UNAVAILABLE", "message": "member state unavailable"}]}).encode()
        body = {"countryCode": number[:2], "vatNumber": number[2:], "valid": how in (VALID, SLOW),
                **(TRADER if how in (VALID, SLOW) else {"name": "---", "address": "---"})}
        return 200, json.dumps(body).encode()


def _handler(stand_in: ViesStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            try:
                asked = json.loads(self.rfile.read(length))
                number = f"{asked['countryCode']}{asked['vatNumber']}"
            except (ValueError, KeyError, TypeError):
                status, body = 400, b'{"message": "bad request"}'
            else:
                status, body = stand_in.reply(number)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up waiting (a slow answer): nobody to tell

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

    return Handler
