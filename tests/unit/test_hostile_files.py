"""The hostile-file corpus (tests/hostile_files.py) through the import service and the command
line, on both databases: each hostile file is refused with a message naming what is wrong
and writes nothing; each awkward one imports every row as written."""

import pytest
from sqlmodel import func, select

from models import Alias, AuditEvent, Contact, Customer, ImportRun
from services.aliases import resolve_alias
from services.card_numbers import holds_card_number
from services.db import read_session
from services.errors import ValidationError
from services.imports import VALID_ONLY, dry_run, run_import
from services.imports.__main__ import main
from tests.hostile import CARD_MESSAGE
from tests.hostile_files import CARD_CASES, CARD_REFUSED, CASES, READ, REFUSED
from tests.unit.factories import ACTOR

pytestmark = pytest.mark.usefixtures("database")
MAPPING = {"Customer Name": "name", "Billing Currency": "currency",
           "Primary Contact Email": "primary_contact_email", "External IDs": "external_ids"}
NAMES = {"UTF-8 without BOM": "Müller & Søn", "UTF-16 little-endian with BOM, tabs": "Zoë",
         "UTF-16 big-endian with BOM": "Łódź", "Windows-1252 with semicolons": "Café “Zürich” €"}
ON_THE_COMMAND_LINE = ["zip bomb", "string bomb", "100,000 columns", "200,000-character cell",
                       "CSV duplicate headers", "binary file", "dimension bomb",
                       "Windows-1252 with semicolons"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return {case.name: case.build(folder) for case in CASES}


def snapshot() -> tuple:
    with read_session() as session:
        return tuple(session.exec(select(func.count()).select_from(m)).one()
                     for m in (Customer, Contact, Alias, AuditEvent, ImportRun))


@pytest.mark.parametrize("case", REFUSED, ids=str)
def test_a_hostile_file_is_refused_by_the_service_and_writes_nothing(case, corpus):
    before = snapshot()
    for attempt in (lambda: dry_run(corpus[case.name], MAPPING, encoding=case.encoding),
                    lambda: run_import(corpus[case.name], MAPPING, mode=VALID_ONLY, actor=ACTOR,
                                       encoding=case.encoding)):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert case.refusal in str(refused.value)
    assert snapshot() == before


@pytest.mark.parametrize("case", READ, ids=str)
def test_an_awkward_file_imports_every_row_as_written(case, corpus):
    mapping = {h: MAPPING.get(h, "") for h in case.headers}
    report = run_import(corpus[case.name], mapping, mode=VALID_ONLY, actor=ACTOR,
                        encoding=case.encoding)
    assert report.rows > 0 and report.headers == list(case.headers)
    assert report.counts["new"] + report.counts["invalid"] == report.rows
    if case.name in NAMES:
        assert report.counts["new"] == 1
        (alias,) = [r.cells[3] for r in report.preview]
        assert resolve_alias(alias).name == NAMES[case.name]


@pytest.mark.parametrize("case", CARD_CASES, ids=str)
def test_rows_holding_card_numbers_are_refused_naming_the_column(case, corpus, tmp_path):
    invalid_file = tmp_path / "invalid.csv"
    report = run_import(corpus[case.name], MAPPING, mode=VALID_ONLY, actor=ACTOR,
                        invalid_out=invalid_file)
    assert report.counts["new"] == 2 and resolve_alias("card-4").name.endswith("4241")
    refused = {r.line: r for r in report.preview if r.action == "invalid"}
    assert set(refused) == set(CARD_REFUSED)
    for line, column in CARD_REFUSED.items():
        assert CARD_MESSAGE in refused[line].errors[column], refused[line].errors
        cells = " ".join(c or "" for c in refused[line].cells)
        assert "•" in cells and not holds_card_number(cells), cells
    written = invalid_file.read_text(encoding="utf-8-sig")
    assert "4242 4242 4242 4242" not in written and "4111111111111111" not in written
    assert "4242-4242-4242-4242" not in written and written.count(CARD_MESSAGE) == 3


@pytest.mark.parametrize("name", ON_THE_COMMAND_LINE)
def test_the_command_line_refuses_or_reads_each_file(name, corpus, capsys):
    case = next(c for c in CASES if c.name == name)
    code = main([str(corpus[name]), "--dry-run"])
    printed = capsys.readouterr().out
    if case.refusal:
        refused = [line for line in printed.splitlines() if line.startswith("Refused: ")]
        assert (code, len(refused), case.refusal in printed) == (1, 1, True)
    else:
        assert code == 0 and "0 invalid" in printed


def test_the_command_line_takes_the_encoding_it_is_given(corpus, capsys):
    path = corpus["Windows-1252 read as the UTF-8 chosen"]
    assert main([str(path), "--encoding", "utf-8-sig", "--dry-run"]) == 1
    assert "not UTF-8 text" in capsys.readouterr().out
    assert main([str(path), "--encoding", "cp1252", "--mode", VALID_ONLY]) == 0
    assert resolve_alias("c-1").name == "Señor"


def test_the_command_line_names_a_missing_file(tmp_path, capsys):
    assert main([str(tmp_path / "nowhere.csv")]) == 1
    assert "Refused: nowhere.csv cannot be opened" in capsys.readouterr().out
