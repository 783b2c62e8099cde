"""Where exports are written before they are downloaded: ./exports, kept for an hour."""

import time
from datetime import datetime
from pathlib import Path

EXPORT_DIR = Path(__file__).resolve().parent.parent / "exports"
KEEP_SECONDS = 3600


def new_export_path(name: str, fmt: str) -> Path:
    """A fresh file for an export (older exports are removed on the way)."""
    EXPORT_DIR.mkdir(exist_ok=True)
    now = time.time()
    for old in EXPORT_DIR.glob("*-*"):
        if now - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return EXPORT_DIR / f"{name}-{stamp}.{fmt}"
