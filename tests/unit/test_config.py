"""One typed settings module reads the environment, and README's Configuration table names
exactly what it reads (plus the two variables only the test suite reads)."""

import re
from pathlib import Path

from services.config import Settings, env_name, settings

README = Path(__file__).resolve().parents[2] / "README.md"
READ_BY_THE_TESTS = {"TEST_DATABASE_URL", "CI"}  # tests/databases.py


def documented() -> set[str]:
    table = README.read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ")[0]
    return set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.M))


def test_readme_documents_every_setting_and_nothing_else():
    assert documented() == {env_name(f) for f in Settings.model_fields} | READ_BY_THE_TESTS


def test_settings_come_from_the_environment(configured):
    configured(upload_max_rows=12, demo_data="0", database_url="sqlite:///x.sqlite3")
    assert settings().upload_max_rows == 12
    assert settings().demo_data is False
    assert settings().database_url == "sqlite:///x.sqlite3"
