"""Filters of the customer list, declared on their field like Django admin's list_filter:
`desk_field(..., filter=ListFilter(...))`. The Customers page's panel and URL, saved views,
CustomerQuery and the API's list parameters are generated from these declarations (a custom
field gets its filter from its kind). Adding a filter: README, "Adding a filter"."""

from dataclasses import dataclass

from models.kinds import Filter


@dataclass(frozen=True)
class ListFilter:
    style: Filter
    param: str  # the page's URL parameter and a saved view's key
    api: str  # the API's query parameter (a range's ends: <api>_from and <api>_to)
    label: str | None = None  # when the panel says it shorter than the field's label
    placeholder: str = "Any"  # what an empty multi-select says
    panel: tuple[int, int] = (0, 0)  # column and row in the Customers page's filter panel
    ends: tuple[str, str] | None = None  # a range's URL parameters, if not <param>_from/_to
    # A present filter's yes and no, when "Has a <label>" and "No <label>" do not say it
    answers: tuple[str, str] | None = None

    @property
    def end_params(self) -> tuple[str, str]:
        return self.ends or (f"{self.param}_from", f"{self.param}_to")

    @property
    def api_ends(self) -> tuple[str, str]:
        return f"{self.api}_from", f"{self.api}_to"
