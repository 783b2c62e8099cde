"""The Import page's Preset choice: the preset detected from each new upload's headers,
chosen for the user and explained, which the user may change (that choice then stays
for the upload)."""

import streamlit as st

from components.text import md_escape
from services.import_mapping import PRESETS, Detection

PRESET = "import.preset"
_DETECTED_FOR = "import.preset.detected_for"


def choose_preset(upload_id: str | None, detection: Detection | None) -> str:
    """The preset to map the file with. A new upload's detection is chosen once, before the
    selectbox is drawn, so the user's later choice is not undone on the next rerun."""
    if detection is not None and st.session_state.get(_DETECTED_FOR) != upload_id:
        st.session_state[PRESET] = detection.preset
        st.session_state[_DETECTED_FOR] = upload_id
    preset = st.selectbox("Preset", list(PRESETS), format_func=PRESETS.get, key=PRESET,
                          help="How the file's columns map onto our fields.")
    if detection is not None:  # one caption either way, so nothing below it moves
        chosen = (f" You chose {PRESETS.get(preset, preset)} instead."
                  if preset != detection.preset else "")
        st.caption(md_escape(f"Detected — {detection.reason}{chosen}"))
    return preset
