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
from models.legal_entity import LegalEntity
from models.types import utcnow
from services import access, alias_keys, audit, rules, settings
from services.access import Actor
from services.bulk_work import cycle_collector_paused
from services.custom_fields import custom_specs, merged_json, stored_values
from services.customers import prepare_changes, prepare_new_customer
from services.db import read_session, write_session
from services.errors import ConflictError, ValidationError
from services.fast_insert import insert_rows
from services.formula_guard import guarded
from services.identifiers import match_key, name_key
from services.import_mapping import CUSTOMER_DESK, IGNORE, suggest
from services.upload_reading import estimate_rows, read_table
from services.validation import clean

CHUNK = 2_000
PARALLEL_FROM_ROWS = 5_000
PREVIEW_ROWS = 200
ALL_OR_NOTHING = "all_or_nothing"
VALID_ONLY = "valid_only"
MODES = {ALL_OR_NOTHING: "All or nothing", VALID_ONLY: "Import the valid rows"}
ACTIONS = ("new", "updated", "unchanged", "invalid")
CONTACT_KEYS = ("first_name", "last_name", "email")
CONTACT_ID = "_contact_id"  # the primary contact the import read, which it updates by id

Progress = Callable[[int], None]


@dataclass
class RowResult:
    line: int
    action: str
    cells: list[str | None]
    errors: dict[str, str] = field(default_factory=dict)  # source column -> message
    customer_id: int | None = None

    @property
    def message(self) -> str:
        """The row's errors in one line (each message names its field)."""
        return " ".join(self.errors.values())


@dataclass
class ImportReport:
    headers: list[str]
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    preview: list[RowResult] = field(default_factory=list)
    run_id: int | None = None

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


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


class _Context:
    """What every row of one import needs to know, read once."""

    def __init__(self, session: Session, headers: list[str], mapping: dict[str, str]):
        self.headers = headers
        self.columns = [(i, mapping.get(h, IGNORE)) for i, h in enumerate(headers)]
        self.source = {}
        for header in headers:
            self.source.setdefault(mapping.get(header, IGNORE), header)
        self.entities = {k: i for i, k in session.execute(
            select(LegalEntity.id, LegalEntity.name_key)).all()}
        self.default_entity = rules.legal_entity_id(session, None)
        self.tax_locked = settings.tax_managed_by_integration()
        self.custom = custom_specs()
        self.seen_keys: dict[str, tuple[int, str]] = {}  # look-alike key -> (row, ID)
        self.updated: dict[int, int] = {}  # customer id -> the row that updates it

    def column_of(self, key: str) -> str:
        base = key.split("[")[0]
        return self.source.get(key) or self.source.get(base) or key


def _values(ctx: _Context, cells: list[str | None]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for index, key in ctx.columns:
        if key == IGNORE:
            continue
        cell = cells[index] if index < len(cells) else None
        if key == EXTERNAL_IDS:
            values.setdefault(EXTERNAL_IDS, []).extend(
                part.strip() for part in (cell or "").split(",") if part.strip())
        elif cell is not None:
            values[key] = cell
    entity = values.get("legal_entity_id")
    if entity is not None:
        text = str(entity).strip()
        found = ctx.entities.get(name_key(text))
        if found is None and text.isdigit() and int(text) in ctx.entities.values():
            found = int(text)  # the entity's number, as our own export may carry it
        if found is None:
            raise ValidationError.single("legal_entity_id",
                                         f'Legal Entity "{entity}" does not exist.')
        values["legal_entity_id"] = found
    if EXTERNAL_IDS in values:
        # Cleaned here, once: routing looks them up in the database (a NUL must never get
        # there) and a row whose IDs are invalid is refused before it is routed.
        values[EXTERNAL_IDS] = rules.clean_aliases(values[EXTERNAL_IDS])
    return values


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(rows, size)):
        yield batch


def _owners(session: Session, aliases: set[str]) -> dict[str, int]:
    if not aliases:
        return {}
    query = select(Alias.value, Alias.customer_id).where(Alias.value.in_(aliases))
    return dict(session.execute(query).all())


def _current(session: Session, ids: set[int], *, lock: bool) -> dict[int, dict[str, Any]]:
    """Stored values of the customers a chunk updates, with their primary contact's.

    With `lock` (a real import) the customers' rows stay locked until the import commits,
    so nobody can save them between this read and the import's write: a save waits, then
    finds the version moved and is refused as a conflict instead of being written over.
    (SQLite needs no row lock: the import holds its only write lock throughout.) Rows are
    locked in id order so two imports, or an import and a bulk action, cannot deadlock."""
    if not ids:
        return {}
    columns = [getattr(Customer, s.attr).label(s.key) for s in customer_fields()]
    query = (
        select(Customer.id, Customer.version, Customer.custom_fields, *columns,
               Contact.id.label(CONTACT_ID),
               *(getattr(Contact, k).label(PRIMARY_CONTACT_PREFIX + k) for k in CONTACT_KEYS))
        .outerjoin(Contact, (Contact.customer_id == Customer.id) & Contact.is_primary)
        .where(Customer.id.in_(ids))
        .order_by(Customer.id)
    )
    if lock:
        query = query.with_for_update(of=Customer.__table__)
    current = {row.id: dict(row._mapping) for row in session.execute(query)}
    others = select(Contact.customer_id, func.lower(Contact.email)).where(
        Contact.customer_id.in_(ids), Contact.is_primary.is_(False))
    for customer_id, email in session.execute(others):
        current[customer_id].setdefault("_other_emails", set()).add(email)
    return current


@dataclass
class _Job:
    """A row routed to "new" or to the customer it updates, still to be validated."""

    line: int
    values: dict[str, Any]
    aliases: list[str]
    customer_id: int | None = None
    before: dict[str, Any] | None = None
    added: list[str] = field(default_factory=list)


def _route(ctx: _Context, line: int, values: dict[str, Any], owners: dict[str, int],
           holders: dict[str, tuple[int, str, str]], current: dict[int, dict[str, Any]]
           ) -> _Job:
    """The checks that need this import's state and the database: External IDs named twice
    in the file (or look-alikes of one another), owned by two customers, look-alikes of
    another customer's, or a customer changed twice."""
    aliases = values.get(EXTERNAL_IDS, [])
    keys = {alias: match_key(alias) for alias in aliases}
    for alias, key in keys.items():
        first, held = ctx.seen_keys.get(key, (line, alias))
        if first != line:
            how = "appears" if held == alias else f'looks like "{held}", which appears'
            raise ValidationError.single(
                EXTERNAL_IDS, f'External ID "{alias}" {how} in row {first} too.')
    owned = {owners[a] for a in aliases if a in owners}
    if len(owned) > 1:
        raise ValidationError.single(
            EXTERNAL_IDS, "These External IDs belong to different customers: "
                          + ", ".join(f"#{h}" for h in sorted(owned)) + ".")
    customer_id = next(iter(owned), None)
    for alias, key in keys.items():
        holder = holders.get(key)
        if holder is not None and holder[0] != customer_id:
            raise ValidationError.single(EXTERNAL_IDS, alias_keys.taken_message(alias, holder))
    for alias, key in keys.items():
        ctx.seen_keys.setdefault(key, (line, alias))
    if customer_id is None:
        return _Job(line, values, aliases)
    earlier = ctx.updated.get(customer_id)
    if earlier is not None:
        raise ValidationError.single(
            EXTERNAL_IDS, f"Row {earlier} already updates this customer (#{customer_id}); "
                          "a file may change each customer once.")
    ctx.updated[customer_id] = line
    added = [a for a in aliases if a not in owners]
    return _Job(line, values, aliases, customer_id, current[customer_id], added)


def _validate(job: _Job, tax_locked: bool, default_entity: int,
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


def _validate_all(jobs: list[_Job], tax_locked: bool, default_entity: int,
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
    ctx = _Context(session, headers, mapping)
    sink = invalid_out.open("w", encoding="utf-8-sig", newline="") if invalid_out else None
    writer = csv.writer(sink) if sink else None
    if writer:
        writer.writerow(guarded(["Row", *headers, "Error"]))

    def finish(batch) -> None:
        outcome, jobs, results, cells = batch
        plans = []
        for job, planned in zip(jobs, outcome.result(), strict=True):
            if isinstance(planned, dict):
                results.append(_invalid(ctx, job.line, cells[job.line],
                                        ValidationError(planned)))
            else:
                plans.append(planned)
                results.append(RowResult(job.line, planned.action, cells[job.line]))
        if write:
            write(plans)
        for result in sorted(results, key=lambda r: r.line):
            report.counts[result.action] += 1
            if len(report.preview) < PREVIEW_ROWS:
                report.preview.append(result)
            if writer and result.action == "invalid":
                # The reader undid our export's guard on these cells: guard them again.
                writer.writerow(guarded([result.line, *result.cells, result.message]))
        if progress:
            progress(report.rows)

    pending = None
    try:
        for chunk in _chunks(rows, CHUNK):
            mapped, results = [], []
            cells = {line: row_cells for line, row_cells in chunk}
            for line, row_cells in chunk:
                try:
                    mapped.append((line, _values(ctx, row_cells)))
                except ValidationError as exc:
                    results.append(_invalid(ctx, line, row_cells, exc))
            named = {a for _, v in mapped for a in v.get(EXTERNAL_IDS, ())}
            owners = _owners(session, named)
            holders = alias_keys.holders(session, map(match_key, named))
            current = _current(session, set(owners.values()), lock=write is not None)
            jobs = []
            for line, values in mapped:
                try:
                    jobs.append(_route(ctx, line, values, owners, holders, current))
                except ValidationError as exc:
                    results.append(_invalid(ctx, line, cells[line], exc))
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


def _invalid(ctx: _Context, line: int, cells, exc: ValidationError) -> RowResult:
    errors = {ctx.column_of(key): message for key, message in exc.errors.items()}
    return RowResult(line, "invalid", cells, errors)


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
