"""From a file's cells to field values, on both databases: a Legal Entity named by its
name in any case or by its number, External IDs split on commas, and each error named by
the file's own column, whatever the column is called."""

import csv

import pytest

from services.aliases import resolve_alias
from services.customers import get_customer
from services.import_mapping import STRIPE
from services.imports import default_mapping, dry_run
from services.legal_entities import create_legal_entity
from tests.unit.factories import ACTOR
from tests.unit.test_imports import do_import, row, write_csv

pytestmark = pytest.mark.usefixtures("database")


def test_a_legal_entity_is_named_by_its_name_in_any_case_or_by_its_number(tmp_path):
    entity = create_legal_entity("Acme Holdings Ltd", actor=ACTOR)
    path = write_csv(tmp_path / "entities.csv", [
        row(**{"Legal Entity": "ACME HOLDINGS LTD", "External IDs": "by-name"}),
        row(**{"Legal Entity": str(entity.id), "External IDs": " by-number ,, also-number"}),
        row(**{"Legal Entity": "Nowhere Ltd", "External IDs": "nowhere"})])
    report = do_import(path)
    assert report.counts == {"new": 2, "updated": 0, "unchanged": 0, "invalid": 1}
    assert get_customer(resolve_alias("by-name").id).legal_entity_id == entity.id
    numbered = get_customer(resolve_alias("also-number").id)
    assert numbered.legal_entity_id == entity.id
    assert [a.value for a in numbered.aliases] == ["by-number", "also-number"]
    (bad,) = [r for r in report.preview if r.action == "invalid"]
    assert bad.errors == {"Legal Entity": 'Legal Entity "Nowhere Ltd" does not exist.'}


def test_errors_are_named_by_the_files_own_columns(tmp_path):
    path = tmp_path / "stripe.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "Name", "Email", "Address Country", "Currency"])
        writer.writerow(["cus_1", "Globex", "not-an-email", "XX", "EUR"])
    report = dry_run(path, default_mapping(path, STRIPE))
    (bad,) = report.preview
    assert set(bad.errors) == {"Email", "Address Country"}
    assert "ISO 3166-1" in bad.errors["Address Country"]
