"""/api/v1/imports: a CSV or Excel file of customers, checked or imported as the Import page
does it (services.imports), with the preset detected from its headers unless one is named.

The file is the request body itself, within the API's body limit (api.body_limit reads at
most that much). It is stored as an upload (services.upload_store, whose size limit and
the readers' limits apply) and deleted once answered: the answer carries the invalid rows
with their errors instead of a file to download. Any file gets a 4xx naming what is
wrong with it, never a 5xx.
"""

import io
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.import_schemas import ImportOut, ImportRefused, import_out
from api.problems import MEDIA_TYPE, WRITE_ERRORS, Problem
from api.security import actor, writer
from models.api_key import ApiKey
from services import imports
from services.access import Actor
from services.cleaners import has_control
from services.errors import ValidationError
from services.import_mapping import PRESETS, detect, suggest
from services.imports import ALL_OR_NOTHING, MODES, VALID_ONLY
from services.upload_reading import charsets, read_table
from services.upload_store import discard_upload, store_upload

router = APIRouter(prefix="/imports", tags=["imports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_BODY = {"requestBody": {"required": True, "description": (
    "The file's bytes: a CSV (any delimiter; UTF-8, UTF-16 or Windows-1252) or an Excel "
    "workbook (its first worksheet), its first row naming the columns."),
    "content": {"text/csv": _BINARY, XLSX: _BINARY, "application/octet-stream": _BINARY}}}
Encoding = Literal[tuple(c for c in charsets.CHOICES if c != charsets.AUTOMATIC)]


def _filename(filename: str | None, content_type: str) -> str:
    """The file's name as the run records it; its ending says CSV or Excel, or, without
    a name, the body's content type does."""
    if filename is None:
        return "upload.xlsx" if content_type.split(";")[0].strip() == XLSX else "upload.csv"
    name = Path(filename.replace("\\", "/")).name.strip()
    if not name or has_control(name):
        raise ValidationError.single("filename", "filename must be a file's name such as "
                                                 "customers.csv, on one line.")
    return name


def _refused(refused: ValidationError, out: ImportOut) -> JSONResponse:
    body = ImportRefused(title="Invalid input", status=422, detail=str(refused),
                         errors=[{"field": "file", "message": str(refused)}], report=out)
    return JSONResponse(body.model_dump(mode="json"), status_code=422, media_type=MEDIA_TYPE)


def _check(body: bytes, name: str, preset: str | None, mode: str, checking: bool,
           encoding: str | None, by: Actor) -> JSONResponse:
    if preset is not None and preset not in PRESETS:
        raise ValidationError.single("preset", f"preset must be one of: {', '.join(PRESETS)}.")
    path = store_upload(io.BytesIO(body), name)
    try:
        headers, _ = read_table(path, encoding)
        detection = None if preset else detect(headers)
        chosen = preset or detection.preset
        mapping = suggest(headers, chosen)

        def out(report) -> ImportOut:
            return import_out(report, dry_run=checking, mode=mode, preset=chosen,
                              detection=detection)

        if checking:
            return JSONResponse(out(imports.dry_run(path, mapping, encoding=encoding))
                                .model_dump(mode="json"), status_code=200)
        try:
            report = imports.run_import(path, mapping, mode=mode, actor=by, filename=name,
                                        preset=chosen, encoding=encoding)
        except ValidationError as refused:
            if mode != ALL_OR_NOTHING or "file" not in refused.errors:
                raise
            # Some rows are invalid: check the file again to list them.
            return _refused(refused, out(imports.dry_run(path, mapping, encoding=encoding)))
        return JSONResponse(out(report).model_dump(mode="json"), status_code=201)
    finally:
        discard_upload(path)


@router.post(
    "", status_code=201, response_model=ImportOut, openapi_extra=_BODY,
    summary="Import a CSV or Excel file of customers (or check it with dry_run)",
    responses={**WRITE_ERRORS,
               200: {"model": ImportOut, "description": "The dry run's outcome."},
               413: {"model": Problem, "content": {MEDIA_TYPE: {}},
                     "description": "The body is over the API's body limit."},
               422: {"model": ImportRefused, "content": {MEDIA_TYPE: {}}, "description": (
                   "The file, or a parameter, was refused; in all_or_nothing mode with "
                   "invalid rows, `report` lists them and nothing was imported.")}})
async def import_file(
    request: Request,
    filename: Annotated[str | None, Query(max_length=255, description=(
        "The file's name, e.g. customers.xlsx: .xlsx or .xlsm is read as Excel, anything "
        "else as CSV. Without it the Content-Type decides."))] = None,
    preset: Annotated[str | None, Query(description=(
        f"How the columns map: {', '.join(PRESETS)}. Detected from the file's headers "
        "when absent; the answer says which and why."))] = None,
    mode: Annotated[Literal[ALL_OR_NOTHING, VALID_ONLY], Query(description=(
        f"{ALL_OR_NOTHING}: {MODES[ALL_OR_NOTHING]} (nothing is imported if any row is "
        f"invalid); {VALID_ONLY}: {MODES[VALID_ONLY]}."))] = ALL_OR_NOTHING,
    dry_run: Annotated[bool, Query(description=(
        "Check every row and write nothing."))] = False,
    encoding: Annotated[Encoding | None, Query(description=(
        "A CSV file's text encoding; detected when absent."))] = None,
    key: ApiKey = Depends(writer),
):
    """Rows whose External ID belongs to a customer update it; others create customers.
    An editor's (write) key is needed, for a dry run too."""
    name = _filename(filename, request.headers.get("content-type", ""))
    body = await request.body()
    return await run_in_threadpool(_check, body, name, preset, mode, dry_run, encoding,
                                   actor(key))
