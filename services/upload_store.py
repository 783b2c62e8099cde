"""Uploaded files on disk: one folder per upload, deleted after the operator's retention.

Each upload gets a folder of its own under `upload_dir` (services.config), named by a
random id, never by the file's content: two people uploading the same file get two
folders, so neither can reach the other's upload or its invalid-rows file. Folders older
than `upload_retention_days` are deleted whenever a file is stored and when the Import
page is opened.
"""

import shutil
import time
import uuid
from pathlib import Path
from typing import BinaryIO

from services.config import settings
from services.upload_reading import EXCEL_SUFFIXES
from services.upload_reading.limits import Limits, too_large

DAY = 24 * 3600
INVALID_ROWS = "invalid-rows.csv"


def store_upload(source: BinaryIO, filename: str) -> Path:
    """Copy an upload into a new folder of its own (in 1 MB pieces); a file over the size
    limit is refused and nothing is kept."""
    limits = Limits.current()
    purge_expired()
    suffix = Path(filename).suffix.lower()
    folder = settings().upload_dir / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / f"upload{suffix if suffix in EXCEL_SUFFIXES else '.csv'}"
    written = 0
    with path.open("wb") as out:
        while piece := source.read(1 << 20):
            written += len(piece)
            if written > limits.bytes:
                out.close()
                shutil.rmtree(folder)
                raise too_large(limits)
            out.write(piece)
    return path


def discard_upload(upload: Path) -> None:
    """Delete an upload's folder now: a caller that keeps nothing of it for later (the
    API answers with the invalid rows instead of a file to download)."""
    shutil.rmtree(upload.parent, ignore_errors=True)


def invalid_rows_path(upload: Path) -> Path:
    """Where the invalid rows of an import of this upload are written, beside it."""
    return upload.parent / INVALID_ROWS


def checked_rows_path(upload: Path) -> Path:
    """A new file beside the upload for the invalid rows of one dry run: each check (each
    mapping) keeps its own, so a report shown again offers the rows it found."""
    return upload.parent / f"checked-{uuid.uuid4().hex}-{INVALID_ROWS}"


def purge_expired() -> int:
    """Delete the uploads older than the retention; returns how many."""
    root = settings().upload_dir
    if not root.is_dir():
        return 0
    oldest = time.time() - settings().upload_retention_days * DAY
    removed = 0
    for entry in root.iterdir():
        try:
            if _uploaded_at(entry) >= oldest:
                continue
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except FileNotFoundError:
            continue  # another session removed it first
        removed += 1
    return removed


def _uploaded_at(entry: Path) -> float:
    """When the upload in a folder was stored (its invalid-rows file may be newer)."""
    uploads = list(entry.glob("upload.*")) if entry.is_dir() else []
    return (uploads[0] if uploads else entry).stat().st_mtime
