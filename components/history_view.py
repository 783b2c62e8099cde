"""The History section: who changed what and when, old -> new, one line per field."""

import pandas as pd
import streamlit as st

from models.catalogue import by_key, contact_fields
from services.audit import customer_history

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


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def history_view(customer_id: int) -> None:
    rows = [
        {
            "When": event.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
            "Who": event.actor,
            "What": ACTIONS.get(event.action, event.action),
            "Field": _label(event.entity, key),
            "Old": _text(old),
            "New": _text(new),
        }
        for event in customer_history(customer_id)
        for key, (old, new) in event.changes.items()
    ]
    if not rows:
        st.caption("No changes recorded yet.")
        return
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
