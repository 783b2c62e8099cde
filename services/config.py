"""The limits and switches an operator can set, read from CUSTOMER_DESK_* environment variables
in one typed place. Tests change a value with monkeypatch.setenv and `settings.cache_clear()`."""

from functools import lru_cache
from pathlib import Path

from pydantic import HttpUrl
from pydantic_settings import BaseSettings, SettingsConfigDict

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_DESK_", extra="ignore")

    upload_max_bytes: int = 50 * MB
    # An Excel file's XML is about 4x the same table as CSV: 200 MB unpacked holds about
    # what a 50 MB CSV does, and bounds both the time and the memory an Excel file costs.
    upload_max_unpacked_bytes: int = 200 * MB
    upload_max_columns: int = 500
    upload_max_cell_chars: int = 10_000
    upload_max_rows: int = 1_000_000
    upload_retention_days: int = 7
    upload_dir: Path = ROOT / "exports" / "imports"
    api_max_body_bytes: int = 5 * MB
    public_base_url: HttpUrl | None = None  # where clients reach the API, for next links
    openapi_public: bool = False


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings()
