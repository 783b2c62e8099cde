"""Start the REST API with uvicorn on a free 127.0.0.1 port (as `make api` does) and stop it."""

import os
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tooling.app_server import started_on_own_port, stop


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2):
            return True
    except urllib.error.HTTPError:  # an answer (401 without a key): it is serving
        return True
    except OSError:
        return False


@contextmanager
def running_api(db_url: str, log: Path, *, workers: int = 1):
    """Yield the API's base URL (…/api/v1) on `db_url`; it migrates the database at start."""
    env = {**os.environ, "DATABASE_URL": db_url}

    def command(port: int) -> list[str]:
        return [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
                "--port", str(port), "--workers", str(workers), "--log-level", "warning"]

    server, port = started_on_own_port(command, env, log, _answers)
    try:
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        stop(server)
