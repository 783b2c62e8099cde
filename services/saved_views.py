"""Saved views: a named set of grid filters, sort and visible columns."""

from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models.fields import specs_of
from models.saved_view import SavedView
from services import access, audit
from services.access import Actor
from services.db import read_session, write_session
from services.errors import NotFoundError, ValidationError
from services.validation import clean


def list_views() -> list[SavedView]:
    with read_session() as session:
        return list(session.exec(select(SavedView).order_by(func.lower(SavedView.name))))


def _taken(name: str) -> ValidationError:
    return ValidationError.single("name", f'A view named "{name}" already exists.')


def save_view(name: str, state: dict[str, Any], *, actor: Actor) -> SavedView:
    """Save the grid's state under a new name."""
    actor = access.require(actor, access.EDITOR)
    value = clean(specs_of(SavedView), {"name": name})["name"]
    if not isinstance(state, dict):
        raise ValidationError.single("state", "A view's state must be a mapping.")
    try:
        with write_session() as session:
            exists = session.exec(
                select(SavedView.id).where(func.lower(SavedView.name) == value.lower())
            ).first()
            if exists is not None:
                raise _taken(value)
            view = SavedView(name=value, state=state, created_by=actor)
            session.add(view)
            session.flush()
            audit.record(session, actor=actor, action="view.saved", entity="saved_view",
                         entity_id=view.id, customer_id=None, changes={"name": [None, value]})
    except IntegrityError as exc:
        raise _taken(value) from exc
    return view


def delete_view(view_id: int, *, actor: Actor) -> None:
    actor = access.require(actor, access.EDITOR)
    with write_session() as session:
        view = session.get(SavedView, view_id)
        if view is None:
            raise NotFoundError(f"Saved view #{view_id} does not exist.")
        session.delete(view)
        audit.record(session, actor=actor, action="view.deleted", entity="saved_view",
                     entity_id=view_id, customer_id=None, changes={"name": [view.name, None]})
