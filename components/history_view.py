"""The History section: who changed what and when, old -> new, one line per field."""

import pandas as pd
import streamlit as st

from components.text import md_escape
from models.catalogue import by_key, contact_fields
from models.choices import InvoicingFlow, payment_terms_label
from services.audit import customer_history
from services.legal_entities import list_legal_entities

ACTIONS = {
    "customer.created": "Created customer",
    "customer.updated": "Edited customer",
    "customer.archived": "Archived",
    "customer.restored": "Restored",
    "contact.added": "Added contact",
    "contact.updated": "Edited contact",
    "contact.removed": "Removed contact",
    "contact.primary_set": "Changed primary contact",
    "alias.added": "Added External ID",
    "alias.removed": "Removed External ID",
}
OTHER_LABELS = {"status": "Status", "primary_contact": "Primary Contact",
                "external_ids": "External ID"}


def _label(entity: str, key: str) -> str:
    if entity == "contact":
        labels = {s.key: s.label for s in contact_fields()}
    else:
        labels = {k: s.label for k, s in by_key().items()}
    return labels.get(key) or OTHER_LABELS.get(key, key)


def _text(key: str, value, entities: dict[int, str]) -> str:
    """A logged value as people read it: labels instead of codes where the field has them."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    kind = by_key()[key].kind if key in by_key() else None
    if kind == "invoicing_flow" and value in {f.value for f in InvoicingFlow}:
        return InvoicingFlow(value).label
    if kind == "payment_terms":
        return payment_terms_label(value)
    if kind == "legal_entity":
        return entities.get(value, f"#{value}")
    return str(value)


def history_view(customer_id: int) -> None:
    entities = {e.id: e.name for e in list_legal_entities()}
    rows = [
        {
            "When": event.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
            "Who": event.actor,
            "What": ACTIONS.get(event.action, event.action),
            "Field": _label(event.entity, key),
            "Old": _text(key, old, entities),
            "New": _text(key, new, entities),
        }
        for event in customer_history(customer_id)
        for key, (old, new) in event.changes.items()
    ]
    if not rows:
        st.caption("No changes recorded yet.")
        return
    # st.table renders its cells as markdown: escape them so every value shows as typed.
    st.table(pd.DataFrame(rows).map(md_escape), hide_index=True, border="horizontal")
