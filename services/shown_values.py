"""How a stored value reads on screen, for the kinds where that differs from what is stored:
a country's name for its code, "Net 30" for 30 days, Yes/No, an invoicing flow's, a
status's and a Tax ID status's label. The grid (components.customer_grid.DISPLAY) shows
these and the exports (services.export) write them, from this one table; every other kind
reads as stored (a currency reads as its code, EUR, on screen and in files).

Each function takes a value that is not None.
"""

from collections.abc import Callable
from typing import Any

from models.choices import InvoicingFlow, TaxIdStatus, payment_terms_label
from models.kinds import Kind
from services.reference import country_name


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


_FLOW_LABELS = {flow.value: flow.label for flow in InvoicingFlow}


def invoicing_flow_label(value: str) -> str:
    """The flow's label; a value no flow has (written before a flow was retired) as stored."""
    return _FLOW_LABELS.get(value, value)


_TAX_ID_STATUS_LABELS = {status.value: status.label for status in TaxIdStatus}


def tax_id_status_label(value: str) -> str:
    return _TAX_ID_STATUS_LABELS.get(value, value)


def status_label(value: str) -> str:
    return value.capitalize()


def joined(values: list) -> str:
    return ", ".join(str(v) for v in values)


SHOWN: dict[Kind, Callable[[Any], str]] = {
    Kind.COUNTRY: country_name,
    Kind.PAYMENT_TERMS: payment_terms_label,
    Kind.BOOL: yes_no,
    Kind.INVOICING_FLOW: invoicing_flow_label,
    Kind.STATUS: status_label,
    Kind.TAX_ID_STATUS: tax_id_status_label,
    Kind.MULTI_CHOICE: joined,
}
