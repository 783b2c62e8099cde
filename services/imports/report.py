"""What an import tells its caller: each row's outcome, the counts per outcome and a
preview of the first rows, each invalid one with its errors."""

from collections.abc import Callable
from dataclasses import dataclass, field

ACTIONS = ("new", "updated", "unchanged", "invalid")
PREVIEW_ROWS = 200

Progress = Callable[[int], None]  # called with the number of rows done so far


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

    def add(self, result: RowResult) -> None:
        """Count a row, and keep it for the preview while the preview has room."""
        self.counts[result.action] += 1
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append(result)
