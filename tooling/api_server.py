"""Start the REST API with uvicorn on a free 127.0.0.1 port (as `make api` does) and stop it."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tooling.app_server import ROOT, free_port, stop


@contextmanager
def running_api(db_url: str, log: Path, *, workers: int = 1):
    """Yield the API's base URL (…/api/v1) on `db_url`; it migrates the database at start."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url}
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/openapi.json", timeout=2):
                    break
            except urllib.error.HTTPError:  # an answer (401 without a key): it is serving
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"uvicorn exited: {log.read_text()[-2000:]}") from None
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        stop(server)
