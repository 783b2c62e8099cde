"""Every hostile value in every column of an import file: the row is imported with the value
stored (as typed or canonical) or reported invalid naming the column; the file never crashes
the import and a refused row writes nothing."""

import csv
import re

import pytest
from sqlmodel import func, select

from models import Customer
from models.catalogue import EXTERNAL_IDS, by_key
from services import phones
from services.aliases import resolve_alias
from services.customers import get_customer
from services.db import read_session
from services.import_mapping import template_headers
from services.imports import VALID_ONLY, default_mapping, dry_run, run_import
from services.imports.shaping import STREETS
from tests.hostile import (
    CARD_MESSAGE,
    CARD_NUMBERS,
    CARD_REFUSING,
    HOSTILE,
    NEAR_MISSES,
    RELATED,
    expected_stored,
)
from tests.unit.factories import ACTOR
from tests.unit.test_hostile_input import stored_value

pytestmark = pytest.mark.usefixtures("database")
LINE_BREAK = re.compile(r"\r\n|[\r\n]")
BASE = {"Customer Name": "Acme GmbH", "Billing Currency": "EUR", "Country": "DE",
        "Address Line 1": "Friedrichstraße 1", "City": "Berlin", "State": "DE-BE",
        "Postal Code": "10117", "Tax Rate": "19"}


def test_every_hostile_value_in_every_column(tmp_path):
    headers = template_headers()
    mapping_of = {key: header for header, key in default_mapping_for(tmp_path, headers).items()}
    rows, expected = [], {}
    # The parent is no column of its own: a file names it by External ID
    # (tests/unit/test_import_families.py).
    for key in (k for k in by_key() if k in mapping_of):
        for name, raw in HOSTILE.items():
            n = len(rows)
            row = {**BASE, "Primary Contact Email": f"row{n}@acme.example",
                   "External IDs": f"imp-{n}", mapping_of[key]: raw}
            rows.append(row)
            expected[n + 2] = (key, name, raw, f"imp-{n}")
    path = tmp_path / "hostile.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=headers)
        writer.writeheader()
        writer.writerows(rows)

    checked = dry_run(path, default_mapping(path))
    invalid_file = tmp_path / "invalid.csv"
    report = run_import(path, default_mapping(path), mode=VALID_ONLY, actor=ACTOR,
                        invalid_out=invalid_file)
    assert report.counts == checked.counts
    assert report.rows == len(rows)
    invalid = {r.line: r.errors for r in report.preview if r.action == "invalid"}
    assert report.counts["invalid"] == len(invalid) or len(report.preview) == 200
    with read_session() as session:
        imported = session.exec(select(func.count()).select_from(Customer)).one()
    assert imported == report.counts["new"]  # refused rows wrote nothing
    for line, errors in invalid.items():
        key, name, _raw, _alias = expected[line]
        columns = {mapping_of[k] for k in {key} | RELATED.get(key, set()) if k in mapping_of}
        assert set(errors) & columns, (key, name, errors)
    for line, (key, name, raw, alias) in expected.items():
        if line in invalid or not raw.strip():
            continue
        owner = alias if key != EXTERNAL_IDS else raw.strip()
        try:
            customer = get_customer(resolve_alias(owner).id)
        except Exception:  # the row was refused beyond the preview's first 200 rows
            continue
        stored = stored_value(customer, key)
        assert stored == imported_as(key, raw, stored), (key, name, raw, stored)
    assert_card_numbers_refused(expected, invalid_file)


def imported_as(key: str, raw: str, stored):
    """What an accepted `raw` is stored as: a street over several lines keeps its first
    line in Address Line 1 (the rest goes to line 2), a phone without its country code is
    read in the row's country (services/imports/shaping.py)."""
    if key in {first for first, _ in STREETS} and LINE_BREAK.search(raw.strip()):
        return next(line.strip() for line in LINE_BREAK.split(raw) if line.strip())
    if key == "phone":
        return expected_stored(key, phones.in_country(raw, BASE["Country"]), stored)
    return expected_stored(key, raw, stored)


def assert_card_numbers_refused(expected, invalid_file):
    """Every card number in a text column made its row invalid with a message naming the
    field; no near miss did; the invalid-rows file repeats no card number."""
    with invalid_file.open(encoding="utf-8-sig", newline="") as source:
        refused = {int(r["Row"]): r for r in csv.DictReader(source)}
    for line, (key, name, raw, _alias) in expected.items():
        message = refused[line]["Error"] if line in refused else ""
        assert not (name in NEAR_MISSES and CARD_MESSAGE in message), (key, name, message)
        if name in CARD_NUMBERS and by_key()[key].kind in CARD_REFUSING:
            assert f"{by_key()[key].label}: {CARD_MESSAGE}" in message, (key, name, message)
        if name in CARD_NUMBERS and line in refused:
            assert raw not in "".join(refused[line].values()), (key, name)


def default_mapping_for(tmp_path, headers):
    path = tmp_path / "headers.csv"
    path.write_text(",".join(f'"{h}"' for h in headers) + "\n", encoding="utf-8")
    return default_mapping(path)
