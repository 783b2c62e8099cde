"""Routing's memory of a file's earlier rows once it has moved to disk (services.imports.
file_memory; a file past 100,000 rows), on both databases: the same refusals, naming the
same rows, and the same families as in memory. The tests of routing across chunks run
here again with every map on disk from the first chunk on, in chunks of two rows."""

import pytest

from services.imports import file_memory, pipeline
from tests.unit import test_import_families as families
from tests.unit import test_import_payment_methods as methods
from tests.unit import test_import_routing as routing

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture(autouse=True)
def on_disk(monkeypatch):
    monkeypatch.setattr(file_memory, "KEPT_IN_MEMORY", 1)
    monkeypatch.setattr(pipeline, "CHUNK", 2)


test_an_id_named_again_is_refused_naming_the_first_row_in_an_earlier_chunk = (
    routing.test_an_id_named_again_is_refused_naming_the_first_row_in_an_earlier_chunk)
test_a_file_changes_each_customer_once = routing.test_a_file_changes_each_customer_once
test_a_parent_across_chunks = families.test_a_parent_across_chunks
test_refused_parents_are_row_errors_naming_the_column = (
    families.test_refused_parents_are_row_errors_naming_the_column)
test_a_method_held_by_another_customer_or_named_twice_is_refused = (
    methods.test_a_method_held_by_another_customer_or_named_twice_is_refused)
