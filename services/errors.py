"""Errors the services raise. Pages and the API show their messages as they are."""

from collections.abc import Mapping

from services.card_numbers import mask


class DeskError(Exception):
    """Base of every error a user may see."""


class ValidationError(DeskError):
    """Bad input. `errors` maps each field key to a message that names the field. A message
    that repeats the input ('Legal Entity "..." does not exist.') has any card number in
    it masked: pages, the API and the import's invalid-rows file show messages as they are."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = {key: mask(message) for key, message in errors.items()}
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
