"""Every column the grid sorts by is indexed in the grid's order, on both databases: a
sort over a million customers reads a page off the index instead of sorting them all."""

import pytest
from sqlalchemy import inspect

from models.customer import SORT_INDEXED, Customer
from services.customer_queries import sortable
from services.db import get_engine

pytestmark = pytest.mark.usefixtures("database")


def _index_columns() -> list[list[str]]:
    return [index["column_names"] for index in inspect(get_engine()).get_indexes("customer")]


def test_every_sortable_customer_column_has_a_column_then_id_index():
    stored = [key for key in sortable() if key in Customer.__table__.c and key != "id"]
    assert sorted(stored) == sorted(SORT_INDEXED)
    starts = {tuple(columns[:2]) for columns in _index_columns()}
    assert {(key, "id") for key in stored} <= starts


def test_the_default_grid_is_chosen_from_one_index():
    assert ["archived_at", "name", "id"] in _index_columns()
