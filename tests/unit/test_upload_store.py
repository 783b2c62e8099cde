"""Uploaded files are kept per upload, never shared by content, and deleted after the
operator's retention."""

import io
import os
import time

import pytest

from services.errors import ValidationError
from services.upload_store import (
    checked_rows_path,
    invalid_rows_path,
    purge_expired,
    store_upload,
)

DAY = 24 * 3600


@pytest.fixture
def root(tmp_path, configured):
    configured(upload_dir=tmp_path / "uploads")
    return tmp_path / "uploads"


def aged(path, days: float):
    stamp = time.time() - days * DAY
    os.utime(path, (stamp, stamp))


def test_each_upload_has_a_folder_of_its_own_even_for_the_same_bytes(root):
    first = store_upload(io.BytesIO(b"Customer Name\nAcme\n"), "book.CSV")
    second = store_upload(io.BytesIO(b"Customer Name\nAcme\n"), "book.csv")
    assert first.parent != second.parent and first.parent.parent == root
    assert first.read_bytes() == second.read_bytes() and first.suffix == ".csv"
    assert invalid_rows_path(first).parent == first.parent != invalid_rows_path(second).parent
    checks = {checked_rows_path(first), checked_rows_path(first), invalid_rows_path(first)}
    assert len(checks) == 3 and {p.parent for p in checks} == {first.parent}
    assert store_upload(io.BytesIO(b"PK"), "Book.XLSX").suffix == ".xlsx"
    assert store_upload(io.BytesIO(b"x"), "no-suffix").suffix == ".csv"


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(root, configured):
    configured(upload_max_bytes=1000)
    store_upload(io.BytesIO(b"x" * 1000), "fits.csv")
    with pytest.raises(ValidationError, match="larger than 1,000 bytes"):
        store_upload(io.BytesIO(b"x" * 1001), "big.csv")
    assert len(list(root.iterdir())) == 1


def test_uploads_are_deleted_after_the_retention(root, configured):
    old = store_upload(io.BytesIO(b"a"), "old.csv")
    recent = store_upload(io.BytesIO(b"b"), "recent.csv")
    aged(old, 7.1)
    aged(recent, 6.9)
    invalid_rows_path(old).write_text("Row,Error\n")  # written later: the upload's age counts
    legacy = root / "0123456789abcdef.csv"  # named by content, as uploads once were
    legacy.write_text("a")
    aged(legacy, 8)
    assert purge_expired() == 2
    assert not old.parent.exists() and not legacy.exists() and recent.exists()
    configured(upload_retention_days=1)
    store_upload(io.BytesIO(b"c"), "new.csv")  # storing purges too
    assert not recent.exists()
