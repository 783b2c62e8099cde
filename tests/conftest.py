import pytest

from services import db
from tests.databases import create_postgres_schema, drop_postgres_schema, reset

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory):
    """One migrated database per backend for the whole run, created on first use."""
    urls: dict[str, str] = {}
    schemas: list[str] = []

    def get(backend: str) -> str:
        if backend not in urls:
            if backend == "sqlite":
                path = tmp_path_factory.mktemp("sqlite") / "test.sqlite3"
                url = f"sqlite:///{path}"
            else:
                url, schema = create_postgres_schema()
                schemas.append(schema)
            db.configure(url)
            db.migrate(url)
            urls[backend] = url
        return urls[backend]

    yield get
    db.get_engine().dispose()
    for schema in schemas:
        drop_postgres_schema(schema)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database(backend, database_urls):
    """The services pointed at an empty, migrated database of the test's backend."""
    url = database_urls(backend)
    engine = db.configure(url)
    reset(engine)
    yield engine


@pytest.fixture
def configured(monkeypatch):
    """Set the operator's settings for one test, as the environment would:
    configured(upload_max_columns=3) sets CUSTOMER_DESK_UPLOAD_MAX_COLUMNS=3; None unsets."""
    from services.config import env_name, settings

    def configure(**values) -> None:
        for name, value in values.items():
            if value is None:
                monkeypatch.delenv(env_name(name), raising=False)
            else:
                monkeypatch.setenv(env_name(name), str(value))
        settings.cache_clear()

    yield configure
    settings.cache_clear()


@pytest.fixture(scope="session")
def vies_stand_in():
    """The local VIES stand-in (tooling/vies_stand_in.py), one for the whole run."""
    from tooling.vies_stand_in import ViesStandIn

    stand_in = ViesStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def vies(vies_stand_in, configured):
    """The VIES check turned on and pointed at the stand-in, with a one-second timeout;
    `vies.answer(number, how)` sets what it says of a number."""
    vies_stand_in.answers.clear()
    vies_stand_in.asked.clear()
    configured(vies_enabled="true", vies_url=vies_stand_in.url, vies_timeout_seconds=1)
    return vies_stand_in
