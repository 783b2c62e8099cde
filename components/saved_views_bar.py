"""Pick, save and delete saved views of the grid."""

import streamlit as st

from components import book_filters
from components.session import current_actor, flash, may_edit, shown_actor
from components.text import md_escape
from services.errors import DeskError
from services.saved_views import delete_view, list_views, may_delete, save_view


def _pick() -> None:
    view_id = st.session_state.get("views.pick")
    view = next((v for v in list_views() if v.id == view_id), None)
    if view is not None:
        book_filters.apply_state(view.state)
        flash(f"Showing the view {view.name}.", icon="🔖")


def _save() -> None:
    st.session_state.pop("views.error", None)
    try:
        view = save_view(st.session_state.get("views.name", ""), book_filters.state(),
                         actor=current_actor())
    except DeskError as exc:
        st.session_state["views.error"] = str(exc)
        return
    st.session_state["views.name"] = ""
    st.session_state["views.pick"] = view.id
    flash(f"View {view.name} saved.")


def _delete() -> None:
    st.session_state.pop("views.error", None)
    view_id = st.session_state.get("views.pick")
    if view_id is None:
        return
    try:
        delete_view(view_id, actor=current_actor())
    except DeskError as exc:
        st.session_state["views.error"] = str(exc)
        return
    st.session_state["views.pick"] = None
    flash("View deleted.")


def saved_views_bar() -> None:
    """The picker names a view only while the grid still shows it: change a filter and it
    goes back to "Choose a saved view", so picking the view again re-applies it."""
    saved = {v.id: v for v in list_views()}
    views = {view_id: v.name for view_id, v in saved.items()}
    picked = saved.get(st.session_state.get("views.pick"))
    if picked is None or picked.state != book_filters.state():
        st.session_state["views.pick"] = None
    if not may_edit():
        st.selectbox("Saved view", list(views), format_func=views.get, index=None,
                     placeholder="Choose a saved view" if views else "No saved views yet",
                     key="views.pick", on_change=_pick)
        return
    pick, name, save, delete = st.columns([3, 3, 1, 1], vertical_alignment="bottom")
    pick.selectbox("Saved view", list(views), format_func=views.get, index=None,
                   placeholder="Choose a saved view" if views else "No saved views yet",
                   key="views.pick", on_change=_pick)
    name.text_input("Save current view as", key="views.name", max_chars=100,
                    placeholder="e.g. German customers on Net 45", on_change="ignore")
    save.button("Save view", on_click=_save, width="stretch")
    chosen = saved.get(st.session_state.get("views.pick"))
    deletable = chosen is not None and may_delete(chosen, shown_actor())
    delete.button("Delete view", on_click=_delete, width="stretch", disabled=not deletable,
                  help=None if deletable or chosen is None else
                  md_escape(f"Only {chosen.created_by}, who saved it, or an admin may delete "
                            "this view."))
    if "views.error" in st.session_state:
        st.error(md_escape(st.session_state["views.error"]), icon="⚠️")
