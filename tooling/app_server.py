"""Start the app with `streamlit run` on a free 127.0.0.1 port and stop it by its own PID."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening_inodes(port: int) -> set[str]:
    """The sockets listening on 127.0.0.1:`port` (or every address), by inode."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        host, _, hex_port = fields[1].partition(":")
        if int(hex_port, 16) == port and fields[3] == "0A" and host in ("0100007F", "00000000"):
            found.add(fields[9])
    return found


def _family(pid: int) -> list[int]:
    """`pid` and every process under it (uvicorn's workers, for one)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            after_name = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        parents[int(stat.parent.name)] = int(after_name[1])
    family = [pid]
    for member in family:
        family += [child for child, parent in parents.items() if parent == member]
    return family


def holds_port(pid: int, port: int) -> bool:
    """Whether the server we started, not someone else's, is the one listening on `port`.
    The port was free when chosen, but between that moment and our server's bind another
    test run (a second checkout on the same machine) can take it; its server would then
    answer our health check and our tests would run against its database."""
    inodes = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    for member in _family(pid):
        try:
            fds = list(Path(f"/proc/{member}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(fd) in inodes:
                    return True
            except OSError:
                continue
    return False


class PortTaken(Exception):
    """Another process has the port: start again on another."""


def started_on_own_port(command, env: dict[str, str], log: Path, ready, attempts: int = 3):
    """Start the server `command(port)` (its arguments) from the project's root with `env`,
    its output in `log`, until it listens on a port of its own, and return (process, port).
    `ready(port)` says whether something answers there."""
    for _ in range(attempts):
        port = free_port()
        with log.open("w") as out:
            proc = subprocess.Popen(command(port), cwd=ROOT, env=env, stdout=out,
                                    stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        try:
            while True:
                if proc.poll() is not None:
                    if "already in use" in log.read_text():
                        raise PortTaken
                    raise RuntimeError(f"the server exited: {log.read_text()[-2000:]}")
                if ready(port):
                    if not holds_port(proc.pid, port):
                        raise PortTaken
                    return proc, port
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
        except PortTaken:
            stop(proc)
        except BaseException:
            stop(proc)
            raise
    raise RuntimeError(f"no free port held after {attempts} tries")


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                    timeout=2) as answer:
            return answer.read().decode() == "ok"
    except OSError:
        return False


@contextmanager
def running_app(db_url: str, log: Path, **extra_env: str):
    """Yield (base URL, Streamlit's PID) for the app on `db_url`, migrated first."""
    env = {**os.environ, "DATABASE_URL": db_url, "CUSTOMER_DESK_DEMO_DATA": "0", **extra_env}
    subprocess.run([sys.executable, "-m", "services.bootstrap"], cwd=ROOT, env=env, check=True,
                   capture_output=True)

    def command(port: int) -> list[str]:
        return [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                "--server.port", str(port), "--server.address", "127.0.0.1",
                "--browser.gatherUsageStats", "false"]

    proc, port = started_on_own_port(command, env, log, _healthy)
    try:
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server we started; kill it if it does not go within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
