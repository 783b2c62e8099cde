"""Everything an operator can set, read from the environment in one typed place: DATABASE_URL
and the CUSTOMER_DESK_* variables (README's Configuration table lists each; a test checks
the two agree). Tests change a value with the `configured` fixture (tests/conftest.py), which
sets the variable and clears the cache of `settings()`."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, HttpUrl
from pydantic_settings import BaseSettings, SettingsConfigDict

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent
VIES_REST_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api/check-vat-number"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_DESK_", extra="ignore")

    database_url: str = Field("", validation_alias="DATABASE_URL")  # empty: a SQLite file
    demo_data: bool = True  # `make run` seeds demo customers into an empty database
    roles_file: Path = ROOT / "roles.toml"
    local_user: str = ""  # in local mode, act as this email (the built-in admin when empty)

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
    # A card whose expiry falls within this many days shows as "expiring soon".
    payment_method_expiring_days: int = Field(30, ge=0, le=3650)
    # The Tax ID check asks the EU's VIES (services.vies) only when an operator turns it on.
    vies_enabled: bool = False
    vies_url: HttpUrl = HttpUrl(VIES_REST_URL)
    vies_timeout_seconds: float = Field(10.0, gt=0, le=120)


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings()


def env_name(field: str) -> str:
    """The environment variable that sets a field: upload_max_rows is
    CUSTOMER_DESK_UPLOAD_MAX_ROWS, database_url is DATABASE_URL."""
    alias = Settings.model_fields[field].validation_alias
    return alias if isinstance(alias, str) else Settings.model_config["env_prefix"] + field.upper()
