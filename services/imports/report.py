"""What an import tells its caller: each row's outcome, the counts per outcome, a
preview of the first rows, each invalid one with its errors, the first invalid rows
wherever they are (for the API's answer), the file of the invalid rows and the first
customers created and updated."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ACTIONS = ("new", "updated", "unchanged", "invalid")
PREVIEW_ROWS = 200
INVALID_KEPT = 100  # invalid rows kept with their errors wherever they are in the file
# Customers kept per action for links to them: enough to look at a few, bounded however
# large the file (the counts say how many there are in all).
WRITTEN_KEPT = 20
WRITTEN = ("new", "updated")

Progress = Callable[[int], None]  # called with the number of rows done so far


@dataclass
class RowResult:
    line: int
    action: str
    cells: list[str | None]
    errors: dict[str, str] = field(default_factory=dict)  # source column -> message
    customer_id: int | None = None
    notes: list[str] = field(default_factory=list)  # what the import filled in, and from what

    @property
    def message(self) -> str:
        """The row's errors in one line (each message names its field)."""
        return " ".join(self.errors.values())


@dataclass(frozen=True)
class WrittenCustomer:
    """A customer the import created or updated."""

    customer_id: int
    name: str


@dataclass
class ImportReport:
    headers: list[str]
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    preview: list[RowResult] = field(default_factory=list)
    run_id: int | None = None
    invalid_rows: Path | None = None  # the CSV of the invalid rows, when asked for and any
    written: dict[str, list[WrittenCustomer]] = field(
        default_factory=lambda: {action: [] for action in WRITTEN})
    invalid: list[RowResult] = field(default_factory=list)  # the first INVALID_KEPT
    noted: int = 0  # rows the import filled a value in (a currency from the country)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def add(self, result: RowResult) -> None:
        """Count a row, and keep it for the preview (and an invalid one for the list of
        invalid rows) while there is room."""
        self.counts[result.action] += 1
        self.noted += bool(result.notes)
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append(result)
        if result.action == "invalid" and len(self.invalid) < INVALID_KEPT:
            self.invalid.append(result)

    def wrote(self, action: str, customer_id: int, name: str) -> None:
        """Keep a customer created or updated while there is room (WRITTEN_KEPT)."""
        kept = self.written.get(action)
        if kept is not None and len(kept) < WRITTEN_KEPT:
            kept.append(WrittenCustomer(customer_id, name))
