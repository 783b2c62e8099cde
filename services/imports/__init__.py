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

import csv
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from multiprocessing import get_context
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models import search_index
from models.import_run import ImportRun
from models.types import utcnow
from services import access
from services.access import Actor
from services.bulk_work import cycle_collector_paused
from services.db import read_session, write_session
from services.errors import ConflictError, ValidationError
from services.formula_guard import guarded
from services.import_mapping import CUSTOMER_DESK, suggest
from services.imports.cells import Context, field_values, invalid
from services.imports.report import ACTIONS, ImportReport, Progress, RowResult
from services.imports.routing import Router, Stored
from services.imports.validation import Plan, validate_all
from services.imports.writing import write_chunk
from services.upload_reading import estimate_rows, read_table

__all__ = ["ACTIONS", "ALL_OR_NOTHING", "MODES", "VALID_ONLY", "ImportReport", "Progress",
           "RowResult", "default_mapping", "dry_run", "list_runs", "run_import"]

CHUNK = 2_000
PARALLEL_FROM_ROWS = 5_000
ALL_OR_NOTHING = "all_or_nothing"
VALID_ONLY = "valid_only"
MODES = {ALL_OR_NOTHING: "All or nothing", VALID_ONLY: "Import the valid rows"}


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(rows, size)):
        yield batch


class _Ready:
    """A result that is already there, shaped like a Future."""

    def __init__(self, value):
        self._value = value

    def result(self):
        return self._value


def _process(session: Session, path: Path, mapping: dict[str, str], report: ImportReport, *,
             write: Callable[[list[Plan]], None] | None, invalid_out: Path | None,
             progress: Progress | None, workers: Executor | None = None,
             encoding: str | None = None) -> None:
    """Read, route, validate and (with `write`) write the file chunk by chunk.

    With `workers`, chunk N is validated in another process while chunk N-1 is written
    here. Routing stays in this process, in file order, so nothing a later chunk checks
    depends on an earlier chunk's writes: a file names each External ID once and changes
    each customer once."""
    headers, rows = read_table(path, encoding)
    report.headers = headers
    ctx = Context(session, headers, mapping)
    sink = invalid_out.open("w", encoding="utf-8-sig", newline="") if invalid_out else None
    writer = csv.writer(sink) if sink else None
    if writer:
        writer.writerow(guarded(["Row", *headers, "Error"]))

    def finish(batch) -> None:
        outcome, jobs, results, cells = batch
        plans = []
        for job, planned in zip(jobs, outcome.result(), strict=True):
            if isinstance(planned, dict):
                results.append(invalid(ctx, job.line, cells[job.line],
                                       ValidationError(planned)))
            else:
                plans.append(planned)
                results.append(RowResult(job.line, planned.action, cells[job.line]))
        if write:
            write(plans)
        for result in sorted(results, key=lambda r: r.line):
            report.add(result)
            if writer and result.action == "invalid":
                # The reader undid our export's guard on these cells: guard them again.
                writer.writerow(guarded([result.line, *result.cells, result.message]))
        if progress:
            progress(report.rows)

    router = Router()
    pending = None
    try:
        for chunk in _chunks(rows, CHUNK):
            mapped, results = [], []
            cells = {line: row_cells for line, row_cells in chunk}
            for line, row_cells in chunk:
                try:
                    mapped.append((line, field_values(ctx, row_cells)))
                except ValidationError as exc:
                    results.append(invalid(ctx, line, row_cells, exc))
            stored = Stored.read(session, [v for _, v in mapped], lock=write is not None)
            jobs = []
            for line, values in mapped:
                try:
                    jobs.append(router.route(line, values, stored))
                except ValidationError as exc:
                    results.append(invalid(ctx, line, cells[line], exc))
            arguments = (jobs, ctx.tax_locked, ctx.default_entity, ctx.custom)
            outcome = (workers.submit(validate_all, *arguments) if workers
                       else _Ready(validate_all(*arguments)))
            if pending is not None:
                finish(pending)
            pending = (outcome, jobs, results, cells)
        if pending is not None:
            finish(pending)
    finally:
        if sink:
            sink.close()


@contextmanager
def _validators(path: Path) -> Iterator[Executor | None]:
    """A validating worker process for a large file (it overlaps validation with writing
    on the second core); none for a small one, where starting it would cost more. The
    worker is spawned, not forked, so it shares no database connection with us."""
    if estimate_rows(path) < PARALLEL_FROM_ROWS:
        yield None
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        yield pool


def default_mapping(path: Path, preset: str = CUSTOMER_DESK, encoding: str | None = None
                    ) -> dict[str, str]:
    headers, _ = read_table(path, encoding)
    return suggest(headers, preset)


def dry_run(path: Path, mapping: dict[str, str], *, progress: Progress | None = None,
            encoding: str | None = None) -> ImportReport:
    """Check every row without writing anything: counts and a preview with each error."""
    report = ImportReport([])
    with read_session() as session, _validators(path) as workers, cycle_collector_paused():
        _process(session, path, mapping, report, write=None, invalid_out=None,
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
        with _validators(path) as workers, cycle_collector_paused():
            _process(session, path, mapping, report,
                     write=lambda plans: write_chunk(session, plans, actor=actor, import_id=run.id),
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
