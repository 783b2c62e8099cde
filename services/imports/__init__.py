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
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models import search_index
from models.alias import Alias
from models.audit import AuditEvent
from models.catalogue import (
    EXTERNAL_IDS,
    PRIMARY_CONTACT_PREFIX,
    customer_fields,
    primary_contact_fields,
)
from models.contact import Contact
from models.customer import Customer
from models.fields import FieldSpec
from models.import_run import ImportRun
from models.types import utcnow
from services import access, alias_keys, audit
from services.access import Actor
from services.bulk_work import cycle_collector_paused
from services.custom_fields import merged_json, stored_values
from services.customers import prepare_changes, prepare_new_customer
from services.db import read_session, write_session
from services.errors import ConflictError, ValidationError
from services.fast_insert import insert_rows
from services.formula_guard import guarded
from services.identifiers import match_key
from services.import_mapping import CUSTOMER_DESK, suggest
from services.imports.cells import Context, field_values, invalid
from services.imports.report import ACTIONS, ImportReport, Progress, RowResult
from services.imports.routing import CONTACT_ID, CONTACT_KEYS, Job, Router, Stored
from services.upload_reading import estimate_rows, read_table
from services.validation import clean

__all__ = ["ACTIONS", "ALL_OR_NOTHING", "MODES", "VALID_ONLY", "ImportReport", "Progress",
           "RowResult", "default_mapping", "dry_run", "list_runs", "run_import"]

CHUNK = 2_000
PARALLEL_FROM_ROWS = 5_000
ALL_OR_NOTHING = "all_or_nothing"
VALID_ONLY = "valid_only"
MODES = {ALL_OR_NOTHING: "All or nothing", VALID_ONLY: "Import the valid rows"}


@dataclass
class _Plan:
    """One valid row, ready to write."""

    line: int
    action: str
    values: dict[str, Any]
    contact: dict[str, Any]
    aliases: list[str]
    customer_id: int | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    version: int = 1
    contact_id: int | None = None


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(rows, size)):
        yield batch


def _validate(job: Job, tax_locked: bool, default_entity: int,
              custom: tuple[FieldSpec, ...]) -> _Plan:
    """The form's own rules for one row; needs no database, so it can run in a worker."""
    if job.customer_id is None:
        new = prepare_new_customer(job.values, tax_locked=tax_locked, custom=custom)
        if new.values.get("legal_entity_id") is None:
            new.values["legal_entity_id"] = default_entity
        changes = audit.diff({}, {**new.values, **new.contact,
                                  EXTERNAL_IDS: new.aliases or None})
        new.values["custom_fields"] = merged_json({}, new.values, custom)
        return _Plan(job.line, "new", new.values, new.contact, new.aliases, changes=changes)
    before = job.before
    own = {k: v for k, v in job.values.items()
           if k != EXTERNAL_IDS and not k.startswith(PRIMARY_CONTACT_PREFIX)}
    stored = {**{s.key: before[s.key] for s in customer_fields()},
              **stored_values(before["custom_fields"], custom)}
    merged, changes = prepare_changes(stored, own, (*customer_fields(), *custom),
                                      tax_locked=tax_locked)
    merged["custom_fields"] = merged_json(before["custom_fields"], merged, custom)
    contact = {k: v for k, v in job.values.items() if k.startswith(PRIMARY_CONTACT_PREFIX)}
    if contact:
        contact_new = {PRIMARY_CONTACT_PREFIX + k: before[PRIMARY_CONTACT_PREFIX + k]
                       for k in CONTACT_KEYS}
        contact_new.update(clean(primary_contact_fields(), contact))
        email = contact_new[PRIMARY_CONTACT_PREFIX + "email"] or ""
        if email.lower() in before.get("_other_emails", set()):
            raise ValidationError.single(PRIMARY_CONTACT_PREFIX + "email",
                                         f"Email {email} is already a contact of this customer.")
        changes.update(audit.diff({k: before[k] for k in contact_new}, contact_new))
        contact = contact_new
    if job.added:
        changes[EXTERNAL_IDS] = [None, job.added]
    action = "updated" if changes else "unchanged"
    return _Plan(job.line, action, merged, contact, job.added, job.customer_id, changes,
                 before["version"], before[CONTACT_ID])


def _validate_all(jobs: list[Job], tax_locked: bool, default_entity: int,
                  custom: tuple[FieldSpec, ...]) -> list[_Plan | dict[str, str]]:
    """Each job's plan, or its errors (as a mapping: it may cross a process boundary)."""
    outcomes: list[_Plan | dict[str, str]] = []
    with cycle_collector_paused():
        for job in jobs:
            try:
                outcomes.append(_validate(job, tax_locked, default_entity, custom))
            except ValidationError as exc:
                outcomes.append(exc.errors)
    return outcomes


def _next_ids(session: Session, count: int) -> list[int]:
    """Ids for a chunk of new customers, taken up front: a plain executemany is many times
    faster than INSERT ... RETURNING row by row. On SQLite the import holds the write lock,
    so the next ids are free; on PostgreSQL they come from the id sequence."""
    if session.get_bind().dialect.name == "sqlite":
        start = session.execute(select(func.coalesce(func.max(Customer.id), 0))).scalar() + 1
        return list(range(start, start + count))
    query = text("SELECT nextval(pg_get_serial_sequence('customer', 'id')) "
                 "FROM generate_series(1, :count)")
    return list(session.execute(query, {"count": count}).scalars())


def _write(session: Session, plans: list[_Plan], *, actor: str, import_id: int) -> None:
    """Bulk-write one chunk's new and changed customers, with one audit event each. Inserts
    go to the tables (Core executemany), not through the ORM's per-object bookkeeping."""
    now = utcnow()
    attrs = [(s.key, s.attr) for s in customer_fields()] + [("custom_fields", "custom_fields")]
    new = [p for p in plans if p.action == "new"]
    changed = [p for p in plans if p.action == "updated"]
    if new:
        ids = _next_ids(session, len(new))
        rows = [{**{attr: p.values[key] for key, attr in attrs}, "id": customer_id,
                 "version": 1, "created_at": now, "updated_at": now}
                for p, customer_id in zip(new, ids, strict=True)]
        insert_rows(session, Customer.__table__, rows)
        for plan, customer_id in zip(new, ids, strict=True):
            plan.customer_id = customer_id
        insert_rows(session, Contact.__table__,
                    [_primary_contact(p.customer_id, p.contact, now) for p in new])
    if changed:
        _update_changed(session, changed, attrs, now)
    aliases = [{"customer_id": p.customer_id, "value": a, "match_key": match_key(a),
                "created_at": now} for p in (*new, *changed) for a in p.aliases]
    alias_keys.claim(session, [(a["customer_id"], a["match_key"]) for a in aliases])
    insert_rows(session, Alias.__table__, aliases)
    search_index.reindex(session, [p.customer_id for p in (*new, *changed)])
    events = [{"at": now, "actor": actor, "entity": "customer", "entity_id": p.customer_id,
               "customer_id": p.customer_id, "import_id": import_id,
               "action": "customer.imported" if p.action == "new" else "customer.updated",
               "changes": p.changes} for p in (*new, *changed)]
    insert_rows(session, AuditEvent.__table__, events)


def _update_changed(session: Session, changed: list[_Plan], attrs: list[tuple[str, str]],
                    now) -> None:
    """Each UPDATE names the version the import read, and each contact its id: a row that
    moved anyway (it cannot while locked) fails the import instead of being written over."""
    table = Customer.__table__
    result = session.execute(
        update(table).where(table.c.id == bindparam("_id"),
                            table.c.version == bindparam("_read"))
        .values({attr: bindparam(f"_v_{attr}") for _, attr in attrs}
                | {"version": bindparam("_version"), "updated_at": bindparam("_at")}),
        [{"_id": p.customer_id, "_read": p.version, "_version": p.version + 1, "_at": now,
          **{f"_v_{attr}": p.values[key] for key, attr in attrs}} for p in changed])
    if result.rowcount != len(changed):
        raise ConflictError("Customers changed while the file was imported; nothing was "
                            "imported. Import the file again.")
    contact_values = [{**{f"_v_{k}": p.contact[PRIMARY_CONTACT_PREFIX + k]
                          for k in CONTACT_KEYS}, "_contact": p.contact_id}
                      for p in changed if p.contact and p.contact_id is not None]
    if contact_values:
        contacts = Contact.__table__
        session.execute(update(contacts).where(contacts.c.id == bindparam("_contact"))
                        .values({k: bindparam(f"_v_{k}") for k in CONTACT_KEYS}),
                        contact_values)
    insert_rows(session, Contact.__table__, [
        _primary_contact(p.customer_id, p.contact, now)
        for p in changed if p.contact and p.contact_id is None])


def _primary_contact(customer_id: int, contact: dict[str, Any], now) -> dict[str, Any]:
    return {"customer_id": customer_id, "is_primary": True, "email_billing": True,
            "email_updates": True, "email_legal": False, "created_at": now,
            **{k: contact.get(PRIMARY_CONTACT_PREFIX + k) for k in CONTACT_KEYS}}


class _Ready:
    """A result that is already there, shaped like a Future."""

    def __init__(self, value):
        self._value = value

    def result(self):
        return self._value


def _process(session: Session, path: Path, mapping: dict[str, str], report: ImportReport, *,
             write: Callable[[list[_Plan]], None] | None, invalid_out: Path | None,
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
            outcome = (workers.submit(_validate_all, *arguments) if workers
                       else _Ready(_validate_all(*arguments)))
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
                     write=lambda plans: _write(session, plans, actor=actor, import_id=run.id),
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
