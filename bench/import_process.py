"""One import in a process of its own, so that its peak memory is its own:
python -m bench.import_process URL FILE PRESET prints {"seconds", "counts", "rss_mb",
"worker_rss_mb"} as JSON.

rss_mb is this process's peak resident memory since exec (VmHWM; ru_maxrss would also
count the parent it was started from). worker_rss_mb is the validating worker's
ru_maxrss, an upper bound of its peak: it includes this process's size when it was
spawned. The file may be larger than an upload may be (the operator's limit, raised here
for this process only): a million rows of the template take about 200 MB.
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

UPLOAD_BYTES = str(4 * 1024 ** 3)


def measure(url: str, path: Path, preset: str) -> dict:
    """Run the import of `path` into the book at `url` in a child process; what it printed."""
    env = {**os.environ, "DATABASE_URL": url, "CUSTOMER_DESK_UPLOAD_MAX_BYTES": UPLOAD_BYTES}
    child = subprocess.run([sys.executable, "-m", "bench.import_process", url, str(path), preset],
                           stdout=subprocess.PIPE, check=True, env=env,
                           cwd=Path(__file__).resolve().parent.parent)
    return json.loads(child.stdout)


def main() -> None:
    from services import db
    from services.access import COMMAND_LINE
    from services.imports import VALID_ONLY, default_mapping, run_import

    url, path, preset = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    db.configure(url)
    mapping = default_mapping(path, preset)
    start = time.perf_counter()
    done = run_import(path, mapping, mode=VALID_ONLY, actor=COMMAND_LINE, preset=preset)
    seconds = time.perf_counter() - start
    status = Path("/proc/self/status").read_text()
    print(json.dumps({
        "seconds": seconds, "counts": done.counts,
        "rss_mb": int(status.split("VmHWM:")[1].split()[0]) / 1024,
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
