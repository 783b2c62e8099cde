"""Saved views: a named set of grid filters, sort and visible columns."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models.fields import specs_of
from models.saved_view import SavedView
from services import access, audit
from services.access import Actor
from services.card_numbers import MESSAGE as CARD_MESSAGE
from services.card_numbers import holds_card_number
from services.cleaners import clean
from services.db import read_session, write_session
from services.errors import NotFoundError, ValidationError


def list_views() -> list[SavedView]:
    with read_session() as session:
        return list(session.exec(select(SavedView).order_by(func.lower(SavedView.name))))


def _taken(name: str) -> ValidationError:
    return ValidationError.single("name", f'A view named "{name}" already exists.')


def _texts(value: Any) -> Iterator[str]:
    """Every text in a view's state (a search term is stored with the view)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def save_view(name: str, state: dict[str, Any], *, actor: Actor) -> SavedView:
    """Save the grid's state under a new name."""
    actor = access.require(actor, access.EDITOR)
    value = clean(specs_of(SavedView), {"name": name})["name"]
    if not isinstance(state, dict):
        raise ValidationError.single("state", "A view's state must be a mapping.")
    if any(holds_card_number(text) for text in _texts(state)):
        raise ValidationError.single("state", f"Search and filters: {CARD_MESSAGE}")
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
                         entity_id=view.id, customer_id=None,
                         changes={"name": [None, value], "state": [None, state]})
    except IntegrityError as exc:
        raise _taken(value) from exc
    return view


def may_delete(view: SavedView, actor: Actor | None) -> bool:
    """A view is deleted by the editor who saved it, or by an admin: views are shared, and
    one person's cleanup must not take away the views the others work from."""
    if actor is None or not actor.can(access.EDITOR):
        return False
    return actor.can(access.ADMIN) or _same_person(actor.email, view.created_by)


def _same_person(email: str, other: str) -> bool:
    return email.strip().lower() == other.strip().lower()


def delete_view(view_id: int, *, actor: Actor) -> None:
    """Delete a view; the audit event keeps all of it (name, filters, columns, who saved it)
    so it can be told, and made again, from the Activity log."""
    by = access.require(actor, access.EDITOR)
    with write_session() as session:
        view = session.get(SavedView, view_id)
        if view is None:
            raise NotFoundError(f"Saved view #{view_id} does not exist.")
        if not may_delete(view, actor):
            raise access.AccessDenied(
                f"The view {view.name} was saved by {view.created_by}: only they or an admin "
                "may delete it. Nothing was changed.")
        audit.record(session, actor=by, action="view.deleted", entity="saved_view",
                     entity_id=view_id, customer_id=None,
                     changes={"name": [view.name, None], "state": [view.state, None],
                              "created_by": [view.created_by, None]})
        session.delete(view)
