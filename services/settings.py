"""Workspace settings, such as whether a tax integration manages tax rates."""

from typing import Any

from models.app_setting import TAX_MANAGED_BY_INTEGRATION, AppSetting
from models.types import utcnow
from services import access, audit
from services.access import Actor
from services.db import read_session, write_session
from services.errors import ValidationError

TAX_MANAGED_NOTE = "Tax Rate is managed by the tax integration and cannot be changed here."


def _get(key: str, default: Any) -> Any:
    with read_session() as session:
        setting = session.get(AppSetting, key)
    return default if setting is None else setting.value


def _set(key: str, value: Any, *, actor: Actor) -> None:
    actor = access.require(actor, access.ADMIN)
    with write_session() as session:
        setting = session.get(AppSetting, key)
        before = None if setting is None else setting.value
        if before == value:
            return
        if setting is None:
            setting = AppSetting(key=key)
            session.add(setting)
        setting.value = value
        setting.updated_at = utcnow()
        audit.record(session, actor=actor, action="setting.changed", entity="setting",
                     entity_id=None, customer_id=None, changes={key: [before, value]})


def tax_managed_by_integration() -> bool:
    return bool(_get(TAX_MANAGED_BY_INTEGRATION, False))


def set_tax_managed_by_integration(on: bool, *, actor: Actor) -> None:
    if not isinstance(on, bool):
        raise ValidationError.single(TAX_MANAGED_BY_INTEGRATION, "Choose on or off.")
    _set(TAX_MANAGED_BY_INTEGRATION, on, actor=actor)
