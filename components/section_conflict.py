"""A profile section's save against what someone else changed meanwhile, and the conflict
shown when they changed the same fields: who changed what and when, their value beside
the one typed, and two ways on, "Keep mine" and "Take theirs".

A section remembers the version and values it was loaded with (not the profile's one
version), so a save succeeds where only other sections, contacts or External IDs changed,
and a section refilled later (back from another page) is judged by what it then showed.
What the user typed stays in the form throughout.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from components import profile_state
from components.activity_log import viewer_zone
from components.field_inputs import WIDGETS, read_field, write_field
from components.section_fields import field_key
from components.session import current_actor, flash
from components.text import md_escape
from models import sections as S
from models.customer import Customer
from models.fields import FieldSpec
from models.kinds import Kind
from services.customers import update_section
from services.errors import ValidationError
from services.section_conflicts import SectionConflict, SectionConflictDetails, loaded_values

_COUNTRY = "country"


def _loaded_key(prefix: str) -> str:
    return f"{prefix}.loaded"


def _conflict_key(prefix: str) -> str:
    return f"{prefix}.conflict"


def remember(prefix: str, customer: Customer, specs: tuple[FieldSpec, ...]) -> None:
    """Note what the section's fields were just filled with from `customer`. Filling only
    some fields (a custom field added meanwhile) keeps the others' values and the older
    version, so no change made between the two is taken for seen."""
    values = loaded_values(customer, specs)
    version, before = st.session_state.get(_loaded_key(prefix), (customer.version, {}))
    if before.keys() <= values.keys():  # every field refilled: a conflict shown is moot
        st.session_state[_loaded_key(prefix)] = (customer.version, values)
        st.session_state.pop(_conflict_key(prefix), None)
    else:
        st.session_state[_loaded_key(prefix)] = (min(version, customer.version),
                                                 {**before, **values})


def save(customer_id: int, section: S.Section, prefix: str, values: dict[str, Any], *,
         keep_mine: bool = False) -> Customer | None:
    """Save the section over what it was loaded with; None when someone else changed its
    fields meanwhile (the conflict is then shown). `keep_mine` saves over the conflict shown,
    on purpose. Raises ValidationError as update_section does."""
    conflict: SectionConflictDetails | None = st.session_state.pop(_conflict_key(prefix), None)
    if keep_mine and conflict is not None:
        version, loaded = conflict.version, conflict.current
    else:
        version, loaded = st.session_state[_loaded_key(prefix)]
    try:
        updated = update_section(customer_id, section, values, version=version, loaded=loaded,
                                 actor=current_actor(), overwrite=keep_mine)
    except SectionConflict as exc:
        st.session_state[_conflict_key(prefix)] = exc.details
        return None
    except ValidationError:
        if keep_mine and conflict is not None:  # still to resolve once the fields are fixed
            st.session_state[_conflict_key(prefix)] = conflict
        raise
    # The profile's version guards contacts, External IDs and archiving, whose forms were
    # not refreshed: it moves on only when no one else's change lies in between.
    if updated.version == profile_state.loaded_version(updated) + 1:
        profile_state.adopt(updated)
    return updated


def _take_theirs(prefix: str, specs: tuple[FieldSpec, ...]) -> None:
    """Their values into the conflicting fields; every other field keeps what was typed.
    The section now counts as loaded with what the conflict found."""
    details: SectionConflictDetails = st.session_state.pop(_conflict_key(prefix))
    by_key = {spec.key: spec for spec in specs}
    theirs = {f.key: f.theirs for f in details.fields if f.key in by_key}
    country = theirs.get(_COUNTRY, st.session_state.get(f"{prefix}.{_COUNTRY}"))
    for key, value in theirs.items():
        write_field(by_key[key], field_key(prefix, by_key[key]), value, country=country)
    st.session_state[_loaded_key(prefix)] = (details.version, details.current)
    st.session_state.pop(f"{prefix}.errors", None)
    names = ", ".join(by_key[key].label_in_section for key in theirs)
    flash(f"Took their {names}. Save {details.section} to keep your other changes.", "↩️")


def _shown(spec: FieldSpec, value: Any, country: str | None) -> str:
    """A value as its widget shows it: names, not codes ("Net 30", "Germany")."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if spec.kind == Kind.BOOL:
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    named = WIDGETS[spec.kind](spec, "section_conflict.shown", country).extra.get("format_func")
    return str((named(value) if named else None) or value)


def _when(at: datetime | None) -> str:
    """A time in the viewer's timezone with how long ago it was."""
    if at is None:
        return "unknown"
    local = at.astimezone(viewer_zone())
    seconds = max(0, int((datetime.now(UTC) - at).total_seconds()))
    if seconds < 60:
        ago = "just now"
    elif seconds < 3600:
        ago = f"{seconds // 60} min ago"
    elif seconds < 86400:
        ago = f"{seconds // 3600} h ago"
    else:
        ago = f"{seconds // 86400} days ago"
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({ago})"


def show_conflict(prefix: str, specs: tuple[FieldSpec, ...], *,
                  keep_mine: Callable[..., None], args: tuple) -> bool:
    """The section's conflict, if its last save met one, with "Keep mine" (calls `keep_mine`
    with `args`) and "Take theirs"; False when there is none."""
    details: SectionConflictDetails | None = st.session_state.get(_conflict_key(prefix))
    if details is None:
        return False
    by_key = {spec.key: spec for spec in specs}
    fields = [f for f in details.fields if f.key in by_key]
    country = st.session_state.get(f"{prefix}.{_COUNTRY}")
    people = sorted({f.actor or "someone else" for f in fields})
    st.warning(f"{md_escape(', '.join(people))} changed {md_escape(details.section)} since "
               "you opened it. Nothing was saved; what you typed is still in the form. "
               "Keep yours, or take their change and save the rest.", icon="🔄")
    rows = [{"Field": spec.label_in_section,
             "Their value": _shown(spec, f.theirs, details.current.get(_COUNTRY, country)),
             "Your value": _shown(spec, read_field(spec, field_key(prefix, spec),
                                                   country=country), country),
             "Changed by": f.actor or "someone else",
             "When": _when(f.at)}
            for f in fields for spec in (by_key[f.key],)]
    # st.table renders its cells as markdown: escape them so every value shows as typed.
    st.table(pd.DataFrame(rows).map(md_escape), hide_index=True, border="horizontal")
    mine, theirs, _ = st.columns([1, 1, 3])
    mine.button("Keep mine", key=f"{prefix}.keep_mine", on_click=keep_mine, args=args,
                help="Save what you typed over their change.", width="stretch")
    theirs.button("Take theirs", key=f"{prefix}.take_theirs", on_click=_take_theirs,
                  args=(prefix, specs), width="stretch",
                  help="Put their values in the conflicting fields and keep your other "
                       "changes in the form, to save.")
    return True
