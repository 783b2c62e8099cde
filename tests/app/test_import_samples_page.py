"""Each sample export in samples/imports/ through the Import page: the page detects its preset
and names it, every row imports, and importing the same file again creates nothing new.
(The browser tests upload, check and import a file in Chromium; what differs from sample to
sample is the page's reading of it, which this checks.)"""

import pytest

from services.import_mapping import PRESETS
from services.upload_reading import read_table
from tests.app.conftest import open_page, shown, texts
from tests.app.test_import_page import PAGE, upload
from tests.unit.test_import_samples import PRESET_OF, SAMPLES


@pytest.fixture
def uploads(tmp_path, configured):
    configured(upload_dir=tmp_path / "uploads")
    return tmp_path / "uploads"


def imported(app, name: str, outcome: str) -> None:
    """Upload the sample, see the preset the page detected, check it and import it."""
    upload(app, SAMPLES / name)
    assert app.selectbox(key="import.preset").value == PRESET_OF[name]
    assert shown(app.caption, f"Detected — {PRESETS[PRESET_OF[name]]}: the file has its "
                              "columns"), texts(app.caption)
    next(b for b in app.button if b.label == "Check file (dry run)").click().run()
    assert "Dry run" in texts(app.header)
    app.button(key="import.run").click().run()
    assert not app.exception, app.exception
    assert shown(app.toast, outcome), texts(app.toast)


@pytest.mark.parametrize("name", PRESET_OF)
def test_a_sample_export_imports_and_imports_again_without_duplicates(app, uploads, name):
    rows = sum(1 for _ in read_table(SAMPLES / name)[1])
    open_page(app, PAGE)
    imported(app, name, f"Imported: {rows:,} new, 0 updated, 0 unchanged, 0 invalid.")
    imported(app, name, f"Imported: 0 new, 0 updated, {rows:,} unchanged, 0 invalid.")
