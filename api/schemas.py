"""Request and response bodies, generated from the field catalogue.

Inputs declare each field's JSON type in the OpenAPI document but accept any JSON
value: the services validate it, so the API refuses bad input with the same words
as the pages (and a field-named problem, never a 500).
"""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from api.json_types import JSON_SCHEMA, OUT_TYPE
from api.list_parameters import CustomerSummary
from models.catalogue import contact_fields, customer_fields, typed_customer_fields
from models.choices import SourceSystem
from models.custom_field import CUSTOM_PREFIX
from models.fields import FieldSpec
from services.alias_batches import MAX_IDS
from services.custom_fields import custom_specs
from services.legal_entities import entity_fields

PREFERENCES = {"email_billing": "billing", "email_updates": "updates", "email_legal": "legal"}


def _field(spec: FieldSpec) -> tuple[Any, Any]:
    schema = JSON_SCHEMA[spec.kind](spec)
    description = " ".join(p for p in (spec.help, schema.pop("description", "")) if p)
    return Any, Field(None, title=spec.label, description=description or None,
                      json_schema_extra=schema)


def _model(name: str, specs, doc: str, **extra: Any) -> type[BaseModel]:
    fields = {s.attr if s.model == "Contact" else s.key: _field(s) for s in specs}
    return create_model(name, __config__=ConfigDict(extra="forbid"), __doc__=doc,
                        **fields, **extra)


EmailPreferences = create_model(
    "EmailPreferences", __config__=ConfigDict(extra="forbid"),
    __doc__="Which emails the contact receives.",
    **{short: (bool | None, Field(None, title=spec.label, description=spec.help))
       for spec in contact_fields() if spec.kind == "bool"
       for attr, short in PREFERENCES.items() if attr == spec.attr},
)
_NAME_FIELDS = [s for s in contact_fields() if s.kind != "bool"]
ContactIn = _model("ContactIn", _NAME_FIELDS, "A contact of the customer.",
                   email_preferences=(EmailPreferences | None, None))
_CUSTOM = (dict[str, Any] | None, Field(None, description=(
    "Values of the custom fields made in Settings, by key (see CustomFieldValues).")))
CustomerFields = _model("CustomerFields", typed_customer_fields(),
                        "Fields of a customer; send only those to change.",
                        custom_fields=_CUSTOM,
                        version=(int | None, Field(None, description=(
                            "The version you read; or send it as If-Match."))))
_SYSTEM = {"type": "string", "enum": [s.value for s in SourceSystem]}
_SYSTEM_HELP = ("The system the External ID comes from (a connected account): "
                + ", ".join(f"{s.value} ({s.label})" for s in SourceSystem)
                + "; other when left out.")
_ALIAS_ITEM = {"anyOf": [
    {"type": "string", "maxLength": 255},
    {"type": "object", "additionalProperties": False, "required": ["value"],
     "properties": {"value": {"type": "string", "maxLength": 255}, "system": _SYSTEM}}]}


def _alias_items(schema: dict[str, Any]) -> None:
    schema["anyOf"][0]["items"] = _ALIAS_ITEM


CustomerCreate = _model(
    "CustomerCreate", typed_customer_fields(), "A new customer.",
    primary_contact=(ContactIn | None, Field(None, description=(
        "Its billing contact; when given, its email is required. Without one (and without "
        "contacts) the customer has no billing contact until one is added: its "
        "primary_contact reads null and the list's has_billing_contact=false finds it."))),
    aliases=(list[Any] | None, Field(None, json_schema_extra=_alias_items, description=(
        'External IDs from other systems: each a string (system "other") or '
        '{"value": "cus_123", "system": "stripe"}. ' + _SYSTEM_HELP))),
    contacts=(list[ContactIn] | None, Field(None, description="Contacts besides the primary.")),
    custom_fields=_CUSTOM,
)


class AliasIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Any = Field(None, title="External ID", json_schema_extra={"type": "string",
                                                                     "maxLength": 255})
    system: Any = Field(None, title="System", description=_SYSTEM_HELP,
                        json_schema_extra=_SYSTEM)


LegalEntityIn = _model("LegalEntityIn", entity_fields(),
                       "A legal entity's fields; on PATCH send only those to change.",
                       version=(int | None, Field(None, description=(
                           "On PATCH: the version you read; or send it as If-Match."))))


ContactOut = create_model(
    "ContactOut",
    __doc__="A contact of the customer.",
    id=(int, ...),
    **{s.attr: (OUT_TYPE[s.kind] | None, Field(None, title=s.label)) for s in _NAME_FIELDS},
    is_primary=(bool, ...),
    email_preferences=(dict[str, bool], ...),
)


class AliasOut(BaseModel):
    """An External ID with the system it comes from (a connected account)."""

    id: int
    value: str
    system: str = Field(..., description=_SYSTEM_HELP, json_schema_extra={"enum": _SYSTEM["enum"]})


def alias_out(alias) -> BaseModel:
    return AliasOut(id=alias.id, value=alias.value, system=alias.system)


LegalEntityOut = create_model(
    "LegalEntityOut",
    __doc__="A legal entity under which customers are billed.",
    id=(int, ...),
    version=(int, Field(..., description="Send it back as If-Match to change or delete it.")),
    **{s.key: (OUT_TYPE[s.kind] | None, Field(None, title=s.label)) for s in entity_fields()},
    created_at=(datetime, ...),
    updated_at=(datetime, ...),
)


def legal_entity_out(entity) -> BaseModel:
    return LegalEntityOut(id=entity.id, version=entity.version,
                          **{s.key: getattr(entity, s.attr) for s in entity_fields()},
                          created_at=entity.created_at, updated_at=entity.updated_at)


CustomerOut = create_model(
    "CustomerOut",
    __doc__="A customer with its contacts and aliases.",
    id=(int, ...),
    version=(int, Field(..., description="Send it back as If-Match to change the customer.")),
    status=(str, ...),
    **{s.key: (OUT_TYPE[s.kind] | None, Field(None, title=s.label))
       for s in customer_fields()},
    legal_entity=(str | None, None),
    primary_contact=(ContactOut | None, Field(None, description=(
        "The billing contact; null: the customer has none yet (\"No billing contact\"), "
        "and the first contact added becomes it."))),
    contacts=(list[ContactOut], ...),
    aliases=(list[AliasOut], ...),
    custom_fields=(dict[str, Any], Field(default_factory=dict, description=(
        "Values of the custom fields, by key (see CustomFieldValues)."))),
    created_at=(datetime, ...),
    updated_at=(datetime, ...),
)


class TaxIdCheckOut(BaseModel):
    result: str = Field(..., description=(
        "What VIES said: verified, invalid or unverifiable (could not be checked)."))
    message: str = Field(..., description="The same, in words for people.")
    customer: CustomerOut  # type: ignore[valid-type]


class CustomerList(BaseModel):
    data: list[CustomerSummary]
    total: int
    limit: int
    offset: int
    next: str | None = Field(None, description=(
        "The next page, or null on the last: a path with its query, relative to the API's "
        "host, or a full URL under the public base URL the operator configured."))


class FamilyMemberOut(BaseModel):
    """A child customer: set its parent_id with PATCH /customers/{id}."""

    id: int
    name: str
    status: str
    invoice_to_parent: bool


class AliasResolution(BaseModel):
    alias: str
    customer_id: int
    customer_name: str
    status: str


class AliasBatchIn(BaseModel):
    """External IDs to resolve, as a metering pipeline collects them from usage events."""

    model_config = ConfigDict(extra="forbid")
    aliases: Any = Field(..., title="External IDs", description=(
        f"1 to {MAX_IDS:,} External IDs, each resolved as GET /aliases/{{alias}} resolves one "
        "(exact, case-sensitive, in NFC). A repeated ID is answered once."),
        json_schema_extra={"type": "array", "minItems": 1, "maxItems": MAX_IDS,
                           "items": {"type": "string", "minLength": 1, "maxLength": 255}})


class AliasCustomer(BaseModel):
    customer_id: int
    system: str = Field(..., description=_SYSTEM_HELP, json_schema_extra={"enum": _SYSTEM["enum"]})


class AliasBatchResolution(BaseModel):
    """Each distinct ID sent is in exactly one of the two: `resolved` (keyed by the ID as
    sent) or `missing` (no customer holds it; in the order sent)."""

    resolved: dict[str, AliasCustomer]
    missing: list[str]


def contact_out(contact) -> BaseModel:
    return ContactOut(id=contact.id, is_primary=contact.is_primary,
                      **{s.attr: getattr(contact, s.attr) for s in _NAME_FIELDS},
                      email_preferences={short: getattr(contact, attr)
                                         for attr, short in PREFERENCES.items()})


def customer_out(customer) -> BaseModel:
    values = {s.key: getattr(customer, s.attr) for s in customer_fields()}
    values["tax_rate"] = str(values["tax_rate"])
    return CustomerOut(
        id=customer.id, version=customer.version, status=customer.status.value, **values,
        legal_entity=customer.legal_entity.name if customer.legal_entity else None,
        primary_contact=contact_out(customer.primary_contact) if customer.primary_contact
        else None,
        contacts=[contact_out(c) for c in customer.contacts],
        aliases=[alias_out(a) for a in customer.aliases],
        custom_fields=custom_out(customer.custom_fields),
        created_at=customer.created_at, updated_at=customer.updated_at,
    )


def custom_out(stored: dict[str, Any] | None) -> dict[str, Any]:
    """The active custom fields' values as JSON keeps them (dates, decimals as text)."""
    active = {s.attr for s in custom_specs()}
    return {key: value for key, value in (stored or {}).items() if key in active}


def custom_in(values: dict[str, Any]) -> None:
    """Move a body's custom_fields object into the services' cf_<key> fields."""
    for key, value in (values.pop("custom_fields", None) or {}).items():
        values[CUSTOM_PREFIX + str(key)] = value


def contact_values(body: BaseModel) -> dict[str, Any]:
    """A ContactIn as the services take it (email preferences as flat fields)."""
    values = body.model_dump(exclude_unset=True, exclude={"email_preferences"})
    preferences = getattr(body, "email_preferences", None)
    if preferences is not None:
        chosen = preferences.model_dump(exclude_unset=True)
        values.update({attr: chosen[short] for attr, short in PREFERENCES.items()
                       if short in chosen})
    return values


def service_key_to_api(key: str) -> str:
    """Name a refused field the way the API spells it."""
    if key.startswith("primary_contact_"):
        return "primary_contact." + key.removeprefix("primary_contact_")
    if key.startswith("external_ids"):  # the whole list, or one row: external_ids[2]
        return "aliases" + key.removeprefix("external_ids")
    if key.startswith(CUSTOM_PREFIX):
        return "custom_fields." + key.removeprefix(CUSTOM_PREFIX)
    for attr, short in PREFERENCES.items():
        if key.endswith(attr):
            return key[: -len(attr)] + "email_preferences." + short
    return key
