"""The customer grid (streamlit-aggrid).

Only the selected rows' ids travel back from the browser (DataReturnMode.CUSTOM
with a small return function): the default return mode sends the whole table on
every event and breaks selection at 100,000 rows. The only JavaScript given to
the grid is the fixed code below; rows travel as data, which the grid never
evaluates, so customer text is always shown as text.
"""

from collections.abc import Sequence

import pandas as pd
from st_aggrid import AgGrid, DataReturnMode, JsCode

from models.catalogue import customer_fields, primary_contact_fields
from models.choices import payment_terms_label
from models.fields import FieldSpec
from services import reference
from services.customer_queries import CustomerRow

_RETURN_SELECTED_IDS = JsCode(
    """function({streamlitRerunEventTriggerName, eventData}) {
        return {selected: eventData.api.getSelectedRows().map(r => r.id)};
    }"""
)
_ROW_ID = JsCode("function(params) { return String(params.data.id); }")
CREATED = "created"


def grid_fields() -> list[FieldSpec]:
    """The catalogue's grid columns in their declared order."""
    specs = [s for s in (*customer_fields(), *primary_contact_fields()) if s.grid]
    return sorted(specs, key=lambda s: s.grid_order)


def _cell(spec: FieldSpec, row: CustomerRow):
    if spec.kind == "legal_entity":
        return row.legal_entity
    value = getattr(row, spec.key)
    if spec.kind == "country":
        return reference.country_name(value)
    if spec.kind == "payment_terms":
        return payment_terms_label(value)
    if spec.kind == "bool":
        return "Yes" if value else "No"
    if spec.kind == "percent":
        return float(value)
    return value


def grid_frame(rows: Sequence[CustomerRow]) -> pd.DataFrame:
    """A fresh frame for the grid (AgGrid adds a column to what it is given)."""
    specs = grid_fields()
    records = [
        {"id": r.id, **{s.key: _cell(s, r) for s in specs},
         CREATED: r.created_at.strftime("%Y-%m-%d")}
        for r in rows
    ]
    return pd.DataFrame.from_records(records, columns=["id", *(s.key for s in specs), CREATED])


def _column(spec: FieldSpec) -> dict:
    numeric = spec.kind == "percent"
    return {
        "field": spec.key,
        "headerName": spec.label,
        "headerTooltip": spec.help or spec.label,
        "filter": "agNumberColumnFilter" if numeric else "agTextColumnFilter",
        "type": ["numericColumn"] if numeric else [],
        "minWidth": 220 if spec.key in ("name", "primary_contact_email") else 120,
    }


def grid_options() -> dict:
    columns = [{"field": "id", "hide": True}]
    columns += [_column(s) for s in grid_fields()]
    columns.append({"field": CREATED, "headerName": "Created", "filter": "agDateColumnFilter",
                    "minWidth": 120})
    return {
        "columnDefs": columns,
        "defaultColDef": {"sortable": True, "resizable": True, "filter": True,
                          "floatingFilter": True, "flex": 1},
        "rowSelection": {"mode": "singleRow", "checkboxes": False,
                         "enableClickSelection": True},
        "getRowId": _ROW_ID,
        "animateRows": False,
        "pagination": True,
        "paginationPageSize": 50,
        "paginationPageSizeSelector": [25, 50, 100, 500],
        "suppressCellFocus": True,
    }


ROW_PX = 29
CHROME_PX = 150  # header, floating filters and the paging bar


def customer_grid(rows: Sequence[CustomerRow], *, key: str, height: int = 560) -> list[int]:
    """Draw the grid; returns the ids of the selected rows. A short list gets a shorter grid
    instead of an empty box."""
    response = AgGrid(
        grid_frame(rows),
        gridOptions=grid_options(),
        height=min(height, CHROME_PX + ROW_PX * max(len(rows), 3)),
        key=key,
        data_return_mode=DataReturnMode.CUSTOM,
        custom_jscode_for_grid_return=_RETURN_SELECTED_IDS,
        update_on=["selectionChanged"],
        theme="streamlit",
        show_toolbar=False,
        show_download_button=False,
        show_search=False,
    )
    data = response.raw_data if hasattr(response, "raw_data") else None
    selected = (data or {}).get("selected") or []
    return [int(i) for i in selected]
