"""The answer of POST /api/v1/imports: what the Import page shows after a dry run or an
import, as JSON."""

from pydantic import BaseModel, Field

from api.problems import Problem
from services.import_mapping import PRESETS, Detection
from services.imports import ImportReport


class ImportCounts(BaseModel):
    new: int = Field(description="Rows that create a customer.")
    updated: int = Field(description="Rows that change the customer their External ID names.")
    unchanged: int = Field(description="Rows whose customer already holds their values.")
    invalid: int = Field(description="Rows refused; `invalid_rows` says why.")


class CellError(BaseModel):
    column: str = Field(description="The file's column, as its header names it.")
    message: str


class InvalidRow(BaseModel):
    row: int = Field(description="The row's line in the file (the header is line 1).")
    errors: list[CellError]


class ImportOut(BaseModel):
    """The outcome of one file: counts, the preset used and why, and the invalid rows."""

    dry_run: bool = Field(description="True: the rows were checked and nothing was written.")
    mode: str
    run_id: int | None = Field(description="The import run; none for a dry run or a file "
                                           "refused as a whole.")
    preset: str = Field(description="The preset that mapped the file's columns.")
    preset_name: str
    preset_detected: bool = Field(description="Whether the preset was detected from the "
                                              "file's headers (no `preset` was sent).")
    preset_reason: str = Field(description="Why this preset was used, in words.")
    counts: ImportCounts
    invalid_rows: list[InvalidRow] = Field(description="The first invalid rows of the file, "
                                                       "each with its errors (at most 100).")
    invalid_rows_truncated: bool = Field(description="More rows are invalid than are listed.")


class ImportRefused(Problem):
    """All or nothing: some rows are invalid, so nothing was imported; `report` lists them."""

    report: ImportOut


def import_out(report: ImportReport, *, dry_run: bool, mode: str, preset: str,
               detection: Detection | None) -> ImportOut:
    """The answer for a report; `detection` is None when the request named the preset."""
    reason = detection.reason if detection else "The request named this preset."
    return ImportOut(
        dry_run=dry_run, mode=mode, run_id=report.run_id, preset=preset,
        preset_name=PRESETS[preset], preset_detected=detection is not None,
        preset_reason=reason, counts=ImportCounts(**report.counts),
        invalid_rows=[InvalidRow(row=r.line, errors=[CellError(column=c, message=m)
                                                     for c, m in r.errors.items()])
                      for r in report.invalid],
        invalid_rows_truncated=report.counts["invalid"] > len(report.invalid))
