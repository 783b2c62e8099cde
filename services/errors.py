"""Errors the services raise. Pages and the API show their messages as they are."""

from collections.abc import Mapping


class DeskError(Exception):
    """Base of every error a user may see."""


class ValidationError(DeskError):
    """Bad input. `errors` maps each field key to a message that names the field."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()))

    @classmethod
    def single(cls, key: str, message: str) -> "ValidationError":
        return cls({key: message})


class ConflictError(DeskError):
    """Someone else saved this record since it was loaded; nothing was written."""

    def __init__(self, message: str = ""):
        super().__init__(
            message
            or "This customer was changed by someone else since you opened it. "
            "Reload to see their changes; nothing was saved."
        )


class NotFoundError(DeskError):
    """The record asked for does not exist."""


class DatabaseUnavailable(DeskError):
    """The database cannot be reached (a restart, a network cut) or stayed locked by another
    writer for too long; nothing was written and the same request may simply be retried."""

    retry_after_seconds = 5

    def __init__(self, message: str = ""):
        super().__init__(
            message
            or "The database is not reachable right now (it may be restarting). Nothing was "
            "saved; try again in a few seconds."
        )
