"""POST /api/v1/imports: a file imported (or checked) through the same services as the
Import page, its preset detected from its headers, every file answered with a 2xx or a
4xx naming what is wrong, never a 5xx."""

import csv
import io

import openpyxl
import pytest

from services.aliases import resolve_alias
from services.customers import get_customer
from services.imports import list_runs
from tests.hostile_files import CASES, HEADERS, rows

URL = "/api/v1/imports"
STRIPE = [["id", "Name", "Email", "Created (UTC)", "Currency", "Delinquent"],
          ["cus_A1", "Globex", "ap@globex.example", "2024-01-02 10:00", "usd", "false"],
          ["cus_A2", "Initech", "ap@initech.example", "2024-02-03 11:30", "eur", "true"]]
BAD = ["cus_A3", "Umbrella", "not-an-email", "2024-03-04 09:00", "EURO", "false"]


def as_csv(table: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode()


@pytest.fixture
def uploads(tmp_path, configured):
    configured(upload_dir=tmp_path / "uploads")
    return tmp_path / "uploads"


def post(api, body: bytes, headers=None, **params):
    return api.client.post(URL, content=body, params=params,
                           headers={"Content-Type": "text/csv",
                                    **(api.write if headers is None else headers)})


def test_a_dry_run_detects_the_preset_says_why_and_writes_nothing(api, uploads):
    answer = post(api, as_csv(STRIPE), dry_run="true", filename="stripe.csv")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["preset"], body["preset_name"], body["preset_detected"]) == (
        "stripe", "Stripe customer export", True)
    assert 'the file has its columns "id", "Created (UTC)"' in body["preset_reason"]
    assert body["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "invalid": 0}
    assert (body["dry_run"], body["run_id"], body["invalid_rows"]) == (True, None, [])
    assert list_runs() == []
    assert not list(uploads.glob("*/*"))  # the API keeps no upload


def test_all_or_nothing_lists_the_invalid_rows_and_imports_nothing(api, uploads):
    answer = post(api, as_csv([*STRIPE, BAD]), filename="stripe.csv")
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert "1 rows are invalid, so nothing was imported" in problem["detail"]
    (row,) = problem["report"]["invalid_rows"]
    assert row["row"] == 4
    assert {e["column"] for e in row["errors"]} == {"Email", "Currency"}
    assert problem["report"]["counts"]["invalid"] == 1 and list_runs() == []


def test_valid_only_imports_the_rest_and_records_the_run(api, uploads):
    answer = post(api, as_csv([*STRIPE, BAD]), mode="valid_only", filename="stripe.csv")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "invalid": 1}
    assert [r["row"] for r in body["invalid_rows"]] == [4]
    (run,) = list_runs()
    assert (run.id, run.preset, run.filename, run.mode, run.actor) == (
        body["run_id"], "stripe", "stripe.csv", "valid_only", "api-key:metering")
    assert get_customer(resolve_alias("cus_A2").id).currency == "EUR"
    again = post(api, as_csv(STRIPE), filename="stripe.csv")
    assert again.json()["counts"] == {"new": 0, "updated": 0, "unchanged": 2, "invalid": 0}


def test_an_excel_body_and_a_named_preset(api, uploads):
    book = openpyxl.Workbook()
    for line in [HEADERS, *rows(2)]:
        book.active.append(line)
    data = io.BytesIO()
    book.save(data)
    answer = api.client.post(URL, content=data.getvalue(), params={"preset": "customer_desk"},
                             headers={**api.write, "Content-Type": (
                                 "application/vnd.openxmlformats-officedocument."
                                 "spreadsheetml.sheet")})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["preset"], body["preset_detected"], body["preset_reason"]) == (
        "customer_desk", False, "The request named this preset.")
    assert body["counts"]["new"] == 2
    assert list_runs()[0].filename == "upload.xlsx"


def test_the_invalid_rows_listed_are_bounded(api, uploads):
    bad = [[f"Bad {n}", "EURO", f"b{n}@x.example", f"bad-{n}"] for n in range(150)]
    body = post(api, as_csv([HEADERS, *bad]), dry_run="true").json()
    assert body["counts"]["invalid"] == 150
    assert len(body["invalid_rows"]) == 100 and body["invalid_rows_truncated"] is True


@pytest.mark.parametrize(("params", "field"), [
    ({"preset": "hubspotty"}, "preset"),
    ({"mode": "some"}, "mode"),
    ({"encoding": "ebcdic"}, "encoding"),
    ({"filename": "a\x00b.csv"}, "filename"),
])
def test_a_bad_parameter_is_named(api, uploads, params, field):
    answer = post(api, as_csv(STRIPE), **params)
    assert answer.status_code == 422, answer.text
    assert field in {e["field"] for e in answer.json()["errors"]}
    assert list_runs() == []


def test_an_editors_key_is_needed(api, uploads):
    assert post(api, as_csv(STRIPE), headers=api.read, dry_run="true").status_code == 403
    assert post(api, as_csv(STRIPE), headers={}, dry_run="true").status_code == 401
    assert list_runs() == []


SAMPLE = ["zip bomb", "entity expansion", "Excel file that is not a zip", "quote never closed",
          "binary file", "no rows", "CSV duplicate headers", "200,000-character cell",
          "Excel duplicate headers", "UTF-16 little-endian with BOM, tabs",
          "card numbers in CSV cells"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_hostile_files_get_a_4xx_or_are_read(api, uploads, tmp_path, configured):
    configured(api_max_body_bytes=60 * 2**20)  # the readers' own limits answer, not the body's
    for case in (c for c in CASES if c.name in SAMPLE):
        path = case.build(tmp_path)
        answer = api.client.post(URL, content=path.read_bytes(), headers=api.write,
                                 params={"filename": path.name, "mode": "valid_only"})
        if case.refusal is None:
            assert answer.status_code == 201, (case.name, answer.text)
        else:
            assert answer.status_code == 422, (case.name, answer.status_code, answer.text)
            assert case.refusal in answer.json()["detail"], (case.name, answer.text)
    for junk in (b"", b"\x00" * 1000, bytes(range(256)) * 40, b"\xff\xfe" + b"\x00\xd8" * 500,
                 b"PK\x03\x04" + b"\x00" * 100):
        for name in ("junk.csv", "junk.xlsx"):
            answer = api.client.post(URL, content=junk, headers=api.write,
                                     params={"filename": name})
            assert 400 <= answer.status_code < 500, (name, junk[:8], answer.text)


def test_a_body_over_the_api_limit_is_refused(api, uploads, configured):
    configured(api_max_body_bytes=1000)
    answer = post(api, as_csv([HEADERS, *rows(100)]))
    assert answer.status_code == 413 and list_runs() == []


def test_the_endpoint_is_documented(api):
    document = api.client.get("/api/v1/openapi.json", headers=api.read).json()
    operation = document["paths"][URL]["post"]
    assert {"text/csv", "application/octet-stream"} <= set(operation["requestBody"]["content"])
    assert {p["name"] for p in operation["parameters"]} == {"filename", "preset", "mode",
                                                            "dry_run", "encoding"}
    assert {"200", "201", "413", "422"} <= set(operation["responses"])
