"""The file's way through an import, chunk by chunk: map, route, validate, write.

Chunks keep memory flat however large the file. A large file is validated in a worker
process: chunk N is validated there while chunk N-1 is written here. Routing stays in
this process, in file order, so nothing a later chunk checks depends on an earlier
chunk's writes: a file names each External ID once and changes each customer once.
"""

import csv
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from sqlmodel import Session

from services.errors import ValidationError
from services.formula_guard import guarded
from services.imports.cells import Context, field_values, invalid
from services.imports.report import ImportReport, Progress, RowResult
from services.imports.routing import Job, Router, Stored
from services.imports.validation import Plan, validate_all
from services.upload_reading import Row, estimate_rows, read_table

CHUNK = 2_000
PARALLEL_FROM_ROWS = 5_000

Outcomes = list[Plan | dict[str, str]]  # each job's plan, or its errors, in job order


class _Ready:
    """A result that is already there, shaped like a Future."""

    def __init__(self, value):
        self._value = value

    def result(self):
        return self._value


@dataclass
class Chunk:
    """One chunk of the file between routing and writing."""

    cells: dict[int, list[str | None]]  # line -> the row's cells as read
    refused: list[RowResult]  # the rows mapping or routing refused
    jobs: list[Job]  # the rows routed, each still to be validated
    validated: Future[Outcomes] | _Ready

    def results(self, ctx: Context) -> tuple[list[Plan], list[RowResult]]:
        """Once validated: the plans to write, and every row's result in file order."""
        plans, results = [], list(self.refused)
        for job, planned in zip(self.jobs, self.validated.result(), strict=True):
            if isinstance(planned, dict):
                results.append(invalid(ctx, job.line, self.cells[job.line],
                                       ValidationError(planned)))
            else:
                plans.append(planned)
                results.append(RowResult(job.line, planned.action, self.cells[job.line],
                                         notes=planned.notes))
        return plans, sorted(results, key=lambda r: r.line)


def _start(session: Session, ctx: Context, router: Router, rows: list[Row], *, lock: bool,
           workers: Executor | None) -> Chunk:
    """Map and route the chunk's rows here, then hand the routed ones to validation."""
    cells = dict(rows)
    refused, mapped = [], []
    for line, row_cells in rows:
        try:
            mapped.append((line, field_values(ctx, row_cells)))
        except ValidationError as exc:
            refused.append(invalid(ctx, line, row_cells, exc))
    stored = Stored.read(session, [values for _, values in mapped], lock=lock)
    router.load([values for _, values in mapped], stored)
    jobs = []
    for line, values in mapped:
        try:
            jobs.append(router.route(line, values, stored))
        except ValidationError as exc:
            refused.append(invalid(ctx, line, cells[line], exc))
    arguments = (jobs, ctx.tax_locked, ctx.entity_defaults, ctx.custom)
    validated = (workers.submit(validate_all, *arguments) if workers
                 else _Ready(validate_all(*arguments)))
    return Chunk(cells, refused, jobs, validated)


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while batch := list(islice(rows, size)):
        yield batch


def _one_ahead(chunks: Iterator[Chunk]) -> Iterator[Chunk]:
    """Each chunk once the next one has started: the worker validates chunk N while chunk
    N-1 is written."""
    pending = next(chunks, None)
    for chunk in chunks:
        yield pending
        pending = chunk
    if pending is not None:
        yield pending


@contextmanager
def _invalid_rows(path: Path | None, headers: list[str]) -> Iterator[Any]:
    """A CSV writer for the invalid rows, its header written; None without a path."""
    if path is None:
        yield None
        return
    with path.open("w", encoding="utf-8-sig", newline="") as sink:
        writer = csv.writer(sink)
        writer.writerow(guarded(["Row", *headers, "Error"]))
        yield writer


def process(session: Session, path: Path, mapping: dict[str, str], report: ImportReport, *,
            write: Callable[[list[Plan]], None] | None, invalid_out: Path | None,
            progress: Progress | None, workers: Executor | None = None,
            encoding: str | None = None) -> None:
    """Read, route, validate and (with `write`) write the file chunk by chunk, adding each
    row to `report` (and each customer written) and each invalid one to the `invalid_out`
    CSV."""
    headers, rows = read_table(path, encoding)
    report.headers = headers
    ctx = Context(session, headers, mapping)
    router = Router()
    started = (_start(session, ctx, router, batch, lock=write is not None, workers=workers)
               for batch in _chunks(rows, CHUNK))
    with closing(router), _invalid_rows(invalid_out, headers) as invalid_rows:
        for chunk in _one_ahead(started):
            plans, results = chunk.results(ctx)
            if write:
                write(plans)
                for plan in plans:
                    report.wrote(plan.action, plan.customer_id, plan.values["name"])
            for result in results:
                report.add(result)
                if invalid_rows and result.action == "invalid":
                    # The reader undid our export's guard on these cells: guard them again.
                    invalid_rows.writerow(guarded([result.line, *result.cells, result.message]))
            if progress:
                progress(report.rows)
    if invalid_out is not None and report.counts["invalid"]:
        report.invalid_rows = invalid_out


@contextmanager
def validators(path: Path) -> Iterator[Executor | None]:
    """A validating worker process for a large file (it overlaps validation with writing
    on the second core); none for a small one, where starting it would cost more. The
    worker is spawned, not forked, so it shares no database connection with us."""
    if estimate_rows(path) < PARALLEL_FROM_ROWS:
        yield None
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        yield pool
