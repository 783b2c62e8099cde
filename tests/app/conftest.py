import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.text import WORD_JOINER
from services import db
from tests.databases import reset

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app_db(database_urls):
    """Page tests run on SQLite; the services' own tests cover PostgreSQL."""
    engine = db.configure(database_urls("sqlite"))
    reset(engine)
    return engine


@pytest.fixture
def app(app_db):
    """The whole app as AppTest runs it, started from app.py like `streamlit run`."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(at: AppTest, page: str, **query: str) -> AppTest:
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def as_read(markdown: str) -> str:
    """Markdown source as a user reads it: escapes and invisible word joiners removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


def texts(elements) -> list[str]:
    """Element texts as a user reads them."""
    return [as_read(str(e.value)) for e in elements]


def shown(elements, fragment: str) -> bool:
    return any(fragment in text for text in texts(elements))


def select_row(at: AppTest, row: int) -> AppTest:
    """Tick a row of the page's first dataframe, as a click on its box does."""
    at.session_state[at.dataframe[0].key] = {"selection": {"rows": [row], "columns": [],
                                                           "cells": []}}
    at.run()
    assert not at.exception, at.exception
    return at
