"""Import customers from a CSV or Excel file, through the same rules as the form.

Every row is checked with the services' own validation (prepare_new_customer,
prepare_changes). A row whose External ID already belongs to a customer updates
that customer, so re-importing a file never duplicates. Rows are read and written
in chunks (memory stays flat) and the whole import is one transaction: "all or
nothing" refuses the file if any row is invalid; "valid rows" imports the rest and
writes the invalid ones, each with its error, to a CSV for download.

    python -m services.imports FILE [--preset stripe] [--mode valid_only] [--dry-run]
                                    [--encoding cp1252]
"""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import search_index
from models.import_run import ImportRun
from models.types import utcnow
from services import access
from services.access import Actor
from services.bulk_work import cycle_collector_paused
from services.db import read_session, write_session
from services.errors import ConflictError, ValidationError
from services.import_mapping import CUSTOMER_DESK, suggest
from services.imports.pipeline import process, validators
from services.imports.report import ACTIONS, ImportReport, Progress, RowResult, WrittenCustomer
from services.imports.writing import write_chunk
from services.upload_reading import read_table

__all__ = ["ACTIONS", "ALL_OR_NOTHING", "MODES", "VALID_ONLY", "ImportReport", "Progress",
           "RowResult", "WrittenCustomer", "default_mapping", "dry_run", "list_runs",
           "run_import"]

ALL_OR_NOTHING = "all_or_nothing"
VALID_ONLY = "valid_only"
MODES = {ALL_OR_NOTHING: "All or nothing", VALID_ONLY: "Import the valid rows"}


def default_mapping(path: Path, preset: str = CUSTOMER_DESK, encoding: str | None = None
                    ) -> dict[str, str]:
    headers, _ = read_table(path, encoding)
    return suggest(headers, preset)


def dry_run(path: Path, mapping: dict[str, str], *, progress: Progress | None = None,
            encoding: str | None = None, invalid_out: Path | None = None) -> ImportReport:
    """Check every row without writing to the database: counts and a preview with each
    error, and the invalid rows written to `invalid_out` (a CSV) when it is given."""
    report = ImportReport([])
    with read_session() as session, validators(path) as workers, cycle_collector_paused():
        process(session, path, mapping, report, write=None, invalid_out=invalid_out,
                progress=progress, workers=workers, encoding=encoding)
    return report


def run_import(path: Path, mapping: dict[str, str], *, mode: str, actor: Actor,
               filename: str | None = None, preset: str = CUSTOMER_DESK,
               invalid_out: Path | None = None, progress: Progress | None = None,
               encoding: str | None = None) -> ImportReport:
    """Import the file in one transaction; see the module's docstring for the two modes.
    `encoding` is a CSV file's text encoding (detected when not given)."""
    actor = access.require(actor, access.EDITOR)
    if mode not in MODES:
        raise ValidationError.single("mode", "Choose all or nothing, or the valid rows.")
    if mode == ALL_OR_NOTHING:
        checked = dry_run(path, mapping, encoding=encoding)
        if checked.counts["invalid"]:
            raise ValidationError.single(
                "file", f"{checked.counts['invalid']:,} rows are invalid, so nothing was "
                        "imported. Correct them, or import the valid rows only.")
    report = ImportReport([])
    try:
        _write_import(path, mapping, report, mode=mode, actor=actor, preset=preset,
                      filename=filename, invalid_out=invalid_out, progress=progress,
                      encoding=encoding)
    except IntegrityError as exc:
        # Another writer gave one of the file's new External IDs to a customer between
        # this import's read and its write; the unique index refused the write.
        raise ConflictError("An External ID in the file was given to a customer by someone "
                            "else while the file was imported; nothing was imported. "
                            "Import the file again.") from exc
    return report


def _write_import(path: Path, mapping: dict[str, str], report: ImportReport, *, mode: str,
                  actor: str, preset: str, filename: str | None, invalid_out: Path | None,
                  progress: Progress | None, encoding: str | None) -> None:
    with write_session() as session:
        run = ImportRun(filename=(filename or path.name)[:255], preset=preset, mode=mode,
                        actor=actor)
        session.add(run)
        session.flush()
        search_index.pause(session)
        with validators(path) as workers, cycle_collector_paused():
            process(session, path, mapping, report,
                    write=lambda plans: write_chunk(session, plans, actor=actor,
                                                    import_id=run.id),
                    invalid_out=invalid_out, progress=progress, workers=workers,
                    encoding=encoding)
        search_index.resume(session)
        if mode == ALL_OR_NOTHING and report.counts["invalid"]:
            raise ValidationError.single("file", "The file changed while it was imported; "
                                                 "nothing was imported.")
        run.counts = dict(report.counts)
        run.finished_at = utcnow()
        report.run_id = run.id


def list_runs(limit: int = 50) -> list[ImportRun]:
    with read_session() as session:
        query = select(ImportRun).order_by(ImportRun.started_at.desc()).limit(limit)
        return list(session.scalars(query))
