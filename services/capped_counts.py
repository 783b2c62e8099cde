"""Counts that stop at a cap, so a list over a million rows answers in milliseconds.

Counting every match of a broad filter reads every matching row; a list only needs to
say "more than 10,000 match" until someone asks for the exact figure. The count is never
an estimate: below the cap it is exact, past it the page says so and offers the exact
count on request (`exact=True`).
"""

from dataclasses import dataclass

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import Session

CAP = 10_000


@dataclass(frozen=True)
class Count:
    """How many match: `value` exactly, or (`exact` False) more than `value`."""

    value: int
    exact: bool = True

    @property
    def more(self) -> bool:
        """True when more rows match than `value` says."""
        return not self.exact


def counting_query(matching: Select, *, exact: bool = False, cap: int = CAP) -> Select:
    """The COUNT of `matching` (a SELECT of the matching rows, any columns), stopping
    after cap + 1 rows unless `exact`."""
    rows = matching.with_only_columns(literal(1), maintain_column_froms=True).order_by(None)
    if not exact:
        rows = rows.limit(cap + 1)
    return select(func.count()).select_from(rows.subquery())


def count_matches(session: Session, matching: Select, *, exact: bool = False,
                  cap: int = CAP) -> Count:
    """How many rows `matching` returns: exactly when `exact` or when no more than
    `cap`; else Count(cap, exact=False)."""
    total = session.scalar(counting_query(matching, exact=exact, cap=cap))
    if not exact and total > cap:
        return Count(cap, exact=False)
    return Count(total)
