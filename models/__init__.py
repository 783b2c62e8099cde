"""SQLModel tables and the field catalogue. Importing the package registers every table."""

import models.metadata  # noqa: F401  (naming convention first, before any table)
from models.alias import Alias, AliasKey
from models.api_key import ApiKey
from models.app_setting import AppSetting
from models.audit import AuditEvent
from models.contact import Contact
from models.custom_field import CustomField
from models.customer import Customer
from models.idempotency import IdempotencyRecord
from models.import_run import ImportRun
from models.legal_entity import LegalEntity
from models.no_billing_contact import NoBillingContact
from models.payment_method import PaymentMethod
from models.role_grant import RoleGrant
from models.saved_view import SavedView

__all__ = [
    "Alias", "AliasKey", "ApiKey", "AppSetting", "AuditEvent", "Contact", "CustomField", "Customer",
    "IdempotencyRecord", "ImportRun", "LegalEntity", "NoBillingContact", "PaymentMethod",
    "RoleGrant", "SavedView",
]
