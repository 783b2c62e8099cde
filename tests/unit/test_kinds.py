"""Every layer knows every kind it must: one table per layer, keyed by kind. A kind added to
models/kinds.py and missing from any table fails here, naming the table."""

from enum import StrEnum

import pytest

from api.json_types import JSON_SCHEMA, OUT_TYPE
from api.list_parameters import QUERY_VALUE
from components.customer_grid import DISPLAY
from components.field_inputs import WIDGET_VALUE, WIDGETS
from components.field_text import TEXT
from components.filter_widgets import FILTER_WIDGETS
from models.kinds import KINDS, TYPED, Filter, Kind
from services.builtin_columns import builtin_columns
from services.cleaners import CLEANERS
from services.customer_columns import CUSTOM_SQL
from services.export import CSV_VALUE
from services.list_filters import FILTER_SQL

CUSTOM_KINDS = {k for k, info in KINDS.items() if info.custom}
# A "has a value" filter is the same whatever the kind (Filter.PRESENT): no table holds it.
BY_KIND = [c for c in builtin_columns().values() if c.filter and c.filter.style != Filter.PRESENT]
FILTERED = CUSTOM_KINDS | {c.kind for c in BY_KIND}
API_FILTERED = {c.kind for c in BY_KIND}

# layer -> (its table, the kinds it must know)
LAYERS = {
    "cleaner (services.cleaners.CLEANERS)": (CLEANERS, TYPED),
    "form widget (components.field_inputs.WIDGETS)": (WIDGETS, TYPED),
    "form value (components.field_inputs.WIDGET_VALUE)": (WIDGET_VALUE, TYPED),
    "grid display (components.customer_grid.DISPLAY)": (DISPLAY, set(Kind)),
    "read view text (components.field_text.TEXT)": (TEXT, set(Kind)),
    "export value (services.export.CSV_VALUE)": (CSV_VALUE, set(Kind)),
    "JSON schema (api.json_types.JSON_SCHEMA)": (JSON_SCHEMA, set(Kind)),
    "response type (api.json_types.OUT_TYPE)": (OUT_TYPE, set(Kind)),
    "custom field SQL (services.customer_columns.CUSTOM_SQL)": (CUSTOM_SQL, CUSTOM_KINDS),
    "filter SQL (services.list_filters.FILTER_SQL)": (FILTER_SQL, FILTERED),
    "filter widget (components.filter_widgets.FILTER_WIDGETS)": (FILTER_WIDGETS, FILTERED),
    "API filter value (api.list_parameters.QUERY_VALUE)": (QUERY_VALUE, API_FILTERED),
}


def missing(kinds: type[StrEnum], layers=LAYERS) -> dict[str, set[str]]:
    """Per layer, the kinds of `kinds` it must know and does not (an import reads cells
    with the cleaners, so they are its parsing table too)."""
    gaps = {}
    for name, (table, needed) in layers.items():
        wanted = {str(k) for k in needed} | {str(k) for k in kinds if str(k) not in set(Kind)}
        lacking = wanted - {str(k) for k in table}
        if lacking:
            gaps[name] = lacking
    return gaps


def test_every_layer_knows_every_kind_it_must():
    assert missing(Kind) == {}


def test_every_kind_is_described():
    assert set(KINDS) == set(Kind)


def test_a_new_kind_is_named_by_every_layer_until_each_table_has_it(monkeypatch):
    """What adding a kind takes: an entry in models/kinds.py, then one in each table."""
    with_iban = StrEnum("Kind", {**{k.name: k.value for k in Kind}, "IBAN": "iban"})
    assert set(missing(with_iban)) == set(LAYERS)
    for table, _needed in LAYERS.values():
        monkeypatch.setitem(table, "iban", table.get(Kind.TEXT, next(iter(table.values()))))
    assert missing(with_iban) == {}


@pytest.mark.parametrize("kind", sorted(CUSTOM_KINDS))
def test_each_custom_kind_has_a_name_and_a_filter(kind):
    assert KINDS[kind].custom_label and KINDS[kind].filter
