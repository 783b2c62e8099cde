"""One declaration per user-facing field.

A column is declared with `desk_field(...)`, which is SQLModel's `Field` plus the
field's label, help text, sections and kind. The label becomes the JSON-schema
title and the help its description, so the API schema reads the same words; the
catalogue (models.catalogue) reads the rest back for forms, grid, exports and
import, and the services validate each value by its kind.
"""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Field

from models.filters import ListFilter
from models.kinds import KINDS, Kind
from models.sections import Section

_META_KEY = "desk"


@dataclass(frozen=True)
class OnlyIf:
    """A field that applies only while another field holds one of `values` (an individual
    has no Business Name; a shipping address only when it is not the billing one). Forms
    hide it otherwise; the services refuse a value in it (`clears`: empty it instead, as the
    other field's change makes it meaningless)."""

    key: str
    values: tuple
    clears: bool = False


def desk_field(
    default: Any = ...,
    *,
    label: str,
    kind: str,
    section: Section,
    help: str = "",
    form_section: Section | None = None,
    form_order: int = 100,
    section_label: str | None = None,
    form_label: str | None = None,
    required: bool = False,
    grid: bool = False,
    grid_order: int = 100,
    max_length: int | None = None,
    filter: ListFilter | None = None,
    sortable: bool = False,
    summary: bool = False,
    only_if: OnlyIf | None = None,
    **field_kwargs: Any,
) -> Any:
    """A SQLModel Field that also carries the field's UI metadata: how the customer list
    filters it, whether it sorts by it, and whether the API's list summary carries it."""
    meta = {
        "kind": kind,
        "section": section,
        "form_section": form_section,
        "form_order": form_order,
        "section_label": section_label,
        "form_label": form_label,
        "required": required,
        "grid": grid,
        "grid_order": grid_order,
        "filter": filter,
        "sortable": sortable,
        "summary": summary,
        "only_if": only_if,
    }
    return Field(
        default,
        title=label,
        description=help,
        max_length=max_length,
        schema_extra={"json_schema_extra": {_META_KEY: meta}},
        **field_kwargs,
    )


@dataclass(frozen=True)
class FieldSpec:
    """What every layer needs to know about one field."""

    key: str
    label: str
    kind: str
    section: Section | None  # None: a custom field whose stored section is none of ours
    help: str
    model: str
    attr: str
    form_section: Section | None = None
    form_order: int = 100
    section_label: str | None = None
    form_label: str | None = None
    required: bool = False
    grid: bool = False
    grid_order: int = 100
    max_length: int | None = None
    options: tuple[str, ...] = ()  # the choices of a select field
    filter: ListFilter | None = None
    sortable: bool = False
    summary: bool = False
    only_if: OnlyIf | None = None

    @property
    def typed(self) -> bool:
        """Whether people set it (a form, the API, an import) or the system keeps it (the
        Tax ID status: shown, filtered and exported, never typed)."""
        return KINDS[Kind(self.kind)].typed

    @property
    def label_in_section(self) -> str:
        return self.section_label or self.label

    @property
    def label_in_form(self) -> str:
        return self.form_label or self.label


def specs_of(model: type, *, prefix: str = "") -> list[FieldSpec]:
    """The FieldSpecs declared on a SQLModel class with desk_field, in declaration order."""
    specs = []
    for attr, info in model.model_fields.items():
        extra = info.json_schema_extra
        if not isinstance(extra, dict) or _META_KEY not in extra:
            continue
        meta = extra[_META_KEY]
        max_length = next(
            (m.max_length for m in info.metadata if getattr(m, "max_length", None)), None
        )
        specs.append(
            FieldSpec(
                key=prefix + attr,
                label=info.title or attr,
                help=info.description or "",
                model=model.__name__,
                attr=attr,
                max_length=max_length,
                **meta,
            )
        )
    return specs
