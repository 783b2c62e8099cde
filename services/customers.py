"""Customer actions: create, read, update one profile section, archive and restore.

Each function is one user action and one transaction: it validates everything
before writing, writes, appends its audit event, and either all of it lands or
none of it does.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from models import sections as S
from models.alias import Alias
from models.catalogue import (
    EXTERNAL_IDS,
    PRIMARY_CONTACT_PREFIX,
    customer_fields,
    primary_contact_fields,
    section_fields,
    typed_customer_fields,
)
from models.choices import CustomerStatus
from models.contact import Contact
from models.customer import Customer
from models.fields import FieldSpec
from models.types import utcnow
from services import (
    access,
    alias_keys,
    audit,
    autopay,
    connected_accounts,
    family_rules,
    field_rules,
    rules,
    section_conflicts,
    tax_id_status,
)
from services.access import Actor
from services.cleaners import FieldError, clean, clean_value, is_blank, reject_unknown
from services.custom_fields import custom_specs, merged_json, section_specs, stored_values
from services.db import read_session, write_session
from services.errors import ConflictError, NotFoundError, ValidationError
from services.identifiers import match_key

CONTACTS = "contacts"


@dataclass
class NewCustomer:
    """A new customer's values, validated, before anything is written."""

    values: dict[str, Any]
    contact: dict[str, Any]
    aliases: list[str]
    others: list[dict[str, Any]] = field(default_factory=list)
    systems: dict[str, str] = field(default_factory=dict)  # External ID -> its system


def prepare_new_customer(values: Mapping[str, Any], *, tax_locked: bool | None = None,
                         custom: tuple[FieldSpec, ...] | None = None) -> NewCustomer:
    """Every rule of a new customer that needs no database (given the custom fields, as an
    import's worker process is); raises one ValidationError naming each refused field. The
    form, the API and the import all pass through here. A customer may come without a
    primary contact (a CRM's companies carry no billing email): `contact` is then empty."""
    new, _, errors = _check_new_customer(values, tax_locked=tax_locked, custom=custom)
    rules.require(errors)
    return new


def _check_new_customer(values: Mapping[str, Any], *, tax_locked: bool | None = None,
                        custom: tuple[FieldSpec, ...] | None = None,
                        contact_required: bool = False
                        ) -> tuple[NewCustomer, dict[str, int], dict[str, str]]:
    """The new customer as far as its values are valid, each External ID's row, and every
    refusal that needs no database, all of them: a field refused by its kind is left out of
    the rules across fields, which then speak only of the fields that passed. The primary
    contact is checked when any of its fields is given (a first name without an email is
    refused naming the email), or always with `contact_required` (the New Customer form)."""
    contact_specs = primary_contact_fields()
    custom = custom_specs() if custom is None else custom
    errors: dict[str, str] = {}
    try:
        reject_unknown(values, [s.key for s in (*typed_customer_fields(), *custom, *contact_specs)]
                       + [EXTERNAL_IDS, CONTACTS], "a customer")
    except ValidationError as exc:
        errors.update(exc.errors)
    cleaned = _clean_each((*typed_customer_fields(), *custom), values, errors)
    given = contact_required or any(not is_blank(values.get(s.key)) for s in contact_specs)
    contact = _clean_each(contact_specs, values, errors) if given else {}
    rows, systems, alias_errors = rules.alias_rows(values.get(EXTERNAL_IDS))
    errors.update(alias_errors)
    others, contact_errors = _further_contacts(values.get(CONTACTS),
                                               contact.get(f"{PRIMARY_CONTACT_PREFIX}email"))
    errors.update(contact_errors)
    cross = field_rules.cross_field_errors(cleaned, set(cleaned))
    errors.update({k: m for k, m in cross.items() if k not in errors})
    field_rules.default_locale(field_rules.default_tax_country(field_rules.apply_defaults(cleaned)))
    if "tax_id" not in errors:
        tax_id_status.on_save({}, cleaned)
    errors.update(field_rules.tax_rate_lock_errors({}, cleaned, tax_locked))
    if cleaned.get(autopay.AUTO_PAY) and autopay.AUTO_PAY not in errors:
        errors[autopay.AUTO_PAY] = autopay.NEW_CUSTOMER
    return NewCustomer(cleaned, contact, list(rows), others, systems), rows, errors


def _clean_each(specs: tuple[FieldSpec, ...], values: Mapping[str, Any],
                errors: dict[str, str]) -> dict[str, Any]:
    """Each field of `specs` cleaned by its kind; a refused one goes to `errors` instead.
    A field absent or None and optional is None without a call: an import row leaves most
    of the forty fields blank, and the calls cost a tenth of its validation."""
    cleaned: dict[str, Any] = {}
    for spec in specs:
        raw = values.get(spec.key)
        if raw is None and not spec.required:
            cleaned[spec.key] = None
            continue
        try:
            cleaned[spec.key] = clean_value(spec, raw)
        except FieldError as exc:
            errors[spec.key] = str(exc)
    return cleaned


def prepare_changes(before: Mapping[str, Any], values: Mapping[str, Any], specs=None, *,
                    where: str = "a customer", tax_locked: bool | None = None
                    ) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """A customer's values after `values` are applied, and the [old, new] changes; every rule
    that needs no database. Raises a ValidationError naming each refused field."""
    specs = [s for s in specs or customer_fields() if s.typed]
    reject_unknown(values, [s.key for s in specs], where)
    cleaned = field_rules.apply_defaults(clean(specs, values))
    merged = {**before, **cleaned}
    rules.require(field_rules.cross_field_errors(merged, set(cleaned)))
    rules.require(field_rules.tax_rate_lock_errors(before, cleaned, tax_locked))
    tax_id_status.on_save(before, merged)
    return merged, audit.diff(before, merged)


def create_customer(values: Mapping[str, Any], *, actor: Actor,
                    contact_required: bool = False) -> Customer:
    """A new customer with its primary contact, external IDs and any further contacts
    (under "contacts": a list of contact field mappings). Every refusal comes at once, those
    that need the database (a legal entity that does not exist, an External ID another
    customer holds) with the rest, each External ID's under its row (external_ids[i]).

    Without a primary contact (the API, a CRM's companies) the first further contact is
    primary; without any, the customer has no billing contact until one is added
    (services.contacts.add_contact). The New Customer form asks for the primary contact
    (`contact_required`), as the help page shows it."""
    actor = access.require(actor, access.EDITOR)
    custom = custom_specs()
    new, rows, errors = _check_new_customer(values, custom=custom,
                                            contact_required=contact_required)
    cleaned, contact, aliases, others = new.values, new.contact, new.aliases, new.others

    try:
        with write_session() as session:
            errors.update(_database_errors(session, cleaned, rows, errors))
            errors.update(_family_errors(session, cleaned, errors))
            rules.require(errors)
            keys = {value: match_key(value) for value in aliases}
            customer = Customer(**{s.attr: cleaned[s.key] for s in customer_fields()},
                                custom_fields=merged_json({}, cleaned, custom))
            people = [{k.removeprefix(PRIMARY_CONTACT_PREFIX): v for k, v in contact.items()}
                      ] if contact else []
            people += others
            customer.contacts.extend(Contact(is_primary=index == 0, **person)
                                     for index, person in enumerate(people))
            customer.aliases.extend(Alias(value=v, match_key=k, system=new.systems[v])
                                    for v, k in keys.items())
            session.add(customer)
            session.flush()
            alias_keys.claim(session, [(customer.id, k) for k in keys.values()])
            accounts = connected_accounts.texts(aliases, new.systems)
            changes = audit.diff({}, {**cleaned, **contact, EXTERNAL_IDS: accounts or None,
                                      CONTACTS: [o["email"] for o in others] or None})
            audit.record(session, actor=actor, action="customer.created", entity="customer",
                         entity_id=customer.id, customer_id=customer.id,
                         changes=family_rules.named_changes(session, changes))
            family_rules.note_parents(session, customer, None, customer.parent_id, actor=actor)
            created = fetch_customer(session, customer.id)
    except IntegrityError as exc:
        raise _integrity_error(exc, rows) from exc
    return created


def _database_errors(session: Session, cleaned: dict[str, Any], rows: Mapping[str, int],
                     errors: Mapping[str, str]) -> dict[str, str]:
    """The refusals that need the database: the legal entity asked for must exist (when
    none is, the one of the customer's country, services.entity_defaults; `cleaned` gets
    its id), reverse charge needs a Tax ID of another country than that entity's, and no
    External ID may be another customer's or look like one."""
    found: dict[str, str] = {}
    if "legal_entity_id" not in errors:
        try:
            cleaned["legal_entity_id"] = rules.legal_entity_id(
                session, cleaned.get("legal_entity_id"), cleaned.get("country"))
            found.update(rules.reverse_charge_errors(session, cleaned))
        except ValidationError as exc:
            found.update(exc.errors)
    found.update(_taken_by_row(session, rows))
    return found


def _family_errors(session: Session, cleaned: dict[str, Any],
                   errors: Mapping[str, str]) -> dict[str, str]:
    """A new customer's parent, if it names one, by the family rules (services.family_rules)."""
    if family_rules.PARENT in errors or family_rules.INVOICE_TO_PARENT in errors:
        return {}
    try:
        family_rules.check(session, None, {}, cleaned)
    except ValidationError as exc:
        return exc.errors
    return {}


def _taken_by_row(session: Session, rows: Mapping[str, int]) -> dict[str, str]:
    taken = alias_keys.taken_messages(session, list(rows))
    return {rules.alias_row_key(rows[value]): message for value, message in taken.items()}


def _further_contacts(raw: Any, primary_email: str | None
                      ) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Contacts besides the primary one, cleaned; errors keyed contacts[i].field."""
    if raw is None:
        return [], {}
    if not isinstance(raw, list | tuple):
        return [], {CONTACTS: "Contacts must be a list."}
    cleaned: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    seen = {primary_email.lower()} if primary_email else set()
    for index, item in enumerate(raw):
        try:
            contact = rules.clean_contact(item, complete=True)
        except ValidationError as exc:
            errors.update({f"{CONTACTS}[{index}].{k}": m for k, m in exc.errors.items()})
            continue
        if contact["email"].lower() in seen:
            errors[f"{CONTACTS}[{index}].email"] = (
                f"Email {contact['email']} is already a contact of this customer.")
        seen.add(contact["email"].lower())
        cleaned.append(contact)
    return cleaned, errors


def get_customer(customer_id: int) -> Customer:
    """A customer with its contacts, aliases and legal entity loaded."""
    with read_session() as session:
        return fetch_customer(session, customer_id)


def fetch_customer(session: Session, customer_id: int) -> Customer:
    """The customer as this session sees it, relations loaded, so a write can return the
    state it committed (its new version included) rather than re-reading after commit."""
    query = (
        select(Customer)
        .where(Customer.id == customer_id)
        .options(
            selectinload(Customer.contacts),
            selectinload(Customer.aliases),
            selectinload(Customer.payment_methods),
            selectinload(Customer.legal_entity),
        )
        .execution_options(populate_existing=True)
    )
    customer = session.exec(query).first()
    if customer is None:
        raise NotFoundError(f"Customer #{customer_id} does not exist.")
    return customer


def update_section(
    customer_id: int, section: S.Section, values: Mapping[str, Any], *, version: int | None,
    actor: Actor, loaded: Mapping[str, Any] | None = None, overwrite: bool = False
) -> Customer:
    """Save one profile section (Business Information, Billing Address or Tax Settings).

    `values` may hold any subset of the section's fields. Without `loaded`, a `version`
    other than the customer's current one is refused with a ConflictError. With `loaded`,
    the section's values as the form was loaded at `version`, the save is refused only
    where someone else changed a field of this section since, with a SectionConflict
    naming each field, their value and yours, who changed it and when; changes to the rest
    of the customer are kept. `overwrite` records a save the user chose to keep over such
    a conflict (sent with the conflict's version and values) as an overwrite in the log.
    """
    if section not in S.EDITABLE_SECTIONS:
        raise ValidationError.single("section", f"{section.label} is not an editable section.")
    return _update(customer_id, section_specs(section), section.label, values,
                   version=version, actor=actor, loaded=loaded, overwrite=overwrite)


def update_customer(customer_id: int, values: Mapping[str, Any], *, version: int | None,
                    actor: Actor) -> Customer:
    """Change any of the customer's own fields, across sections, in one transaction (the
    API's PATCH)."""
    return _update(customer_id, (*typed_customer_fields(), *custom_specs()), "a customer", values,
                   version=version, actor=actor)


def _update(customer_id: int, specs, where: str, values: Mapping[str, Any], *,
            version: int | None, actor: Actor, loaded: Mapping[str, Any] | None = None,
            overwrite: bool = False) -> Customer:
    actor = access.require(actor, access.EDITOR)
    specs = tuple(s for s in specs if s.typed)
    reject_unknown(values, [s.key for s in specs], where)
    with write_session() as session:
        customer = load_for_write(session, customer_id, version if loaded is None else None)
        before = {**rules.customer_values(customer),
                  **stored_values(customer.custom_fields, specs)}
        merged, _ = prepare_changes(before, values, specs, where=where)
        if "legal_entity_id" in values:
            merged["legal_entity_id"] = rules.legal_entity_id(session, merged["legal_entity_id"],
                                                              merged.get("country"))
        if field_rules.REVERSE_CHARGE_KEYS & set(values):
            rules.require(rules.reverse_charge_errors(session, merged))
        if loaded is not None and customer.version != version:
            section_conflicts.refuse_conflicts(
                session, customer_id=customer_id, version=customer.version, section=where,
                specs=specs, stored=before, saving=merged, loaded=loaded)
        if merged.get(autopay.AUTO_PAY) and not before.get(autopay.AUTO_PAY):
            autopay.require_usable_default(session, [customer_id])
        changes = audit.diff(before, merged)
        if family_rules.PARENT in changes or family_rules.INVOICE_TO_PARENT in changes:
            family_rules.check(session, customer, before, merged)
        if changes:
            for spec in customer_fields():
                setattr(customer, spec.attr, merged[spec.key])
            customer.custom_fields = merged_json(customer.custom_fields, merged, specs)
            touch(customer)
            session.flush()
            audit.record(session, actor=actor,
                         action="customer.overwritten" if overwrite else "customer.updated",
                         entity="customer", entity_id=customer.id, customer_id=customer.id,
                         changes=family_rules.named_changes(session, changes))
            family_rules.note_parents(session, customer, before.get(family_rules.PARENT),
                                      merged.get(family_rules.PARENT), actor=actor)
        return fetch_customer(session, customer_id)


def update_family(customer_id: int, values: Mapping[str, Any], *, version: int | None,
                  actor: Actor) -> Customer:
    """Save the profile's Family section (Parent, Invoice to parent); the family rules
    (services.family_rules) hold inside the transaction."""
    return _update(customer_id, section_fields(S.FAMILY), S.FAMILY.label, values,
                   version=version, actor=actor)


def update_business_information(customer_id: int, values: Mapping[str, Any], *,
                                version: int | None, actor: Actor) -> Customer:
    return update_section(customer_id, S.BUSINESS_INFORMATION, values, version=version,
                          actor=actor)


def update_billing_address(customer_id: int, values: Mapping[str, Any], *,
                           version: int | None, actor: Actor) -> Customer:
    return update_section(customer_id, S.BILLING_ADDRESS, values, version=version, actor=actor)


def update_tax_settings(customer_id: int, values: Mapping[str, Any], *,
                        version: int | None, actor: Actor) -> Customer:
    return update_section(customer_id, S.TAX_SETTINGS, values, version=version, actor=actor)


def archive_customer(customer_id: int, *, actor: Actor, version: int | None = None,
                     children: str | None = None) -> Customer:
    """Archive: the customer leaves the default grid and can be restored. Nothing is deleted.

    A parent with active children is archived only with a choice of what happens to them
    (`children`: family_rules.ARCHIVE_CHILDREN or DETACH_CHILDREN); without one it is
    refused, naming how many children wait, and nothing is archived."""
    return _set_status(customer_id, CustomerStatus.ARCHIVED, actor=actor, version=version,
                       children=children)


def restore_customer(customer_id: int, *, actor: Actor, version: int | None = None) -> Customer:
    return _set_status(customer_id, CustomerStatus.ACTIVE, actor=actor, version=version)


def _set_status(customer_id: int, status: CustomerStatus, *, actor: Actor,
                version: int | None, children: str | None = None) -> Customer:
    actor = access.require(actor, access.ADMIN)
    with write_session() as session:
        customer = load_for_write(session, customer_id, version)
        before = customer.status
        if before != status and status == CustomerStatus.ARCHIVED:
            _settle_children(session, customer, children, actor=actor)
        if before != status:
            customer.archived_at = utcnow() if status == CustomerStatus.ARCHIVED else None
            touch(customer)
            session.flush()
            verb = "archived" if status == CustomerStatus.ARCHIVED else "restored"
            audit.record(session, actor=actor, action=f"customer.{verb}", entity="customer",
                         entity_id=customer.id, customer_id=customer.id,
                         changes={"status": [before.value, status.value]})
        return fetch_customer(session, customer_id)


def _settle_children(session: Session, parent: Customer, children: str | None, *,
                     actor: str) -> None:
    """Before a parent is archived: its active children archived with it or detached, as
    chosen; refused when they wait for a choice (family_rules.refuse_undecided_archive)."""
    family_rules.refuse_undecided_archive(session, [parent], children)
    for child in family_rules.active_children(session, [parent.id]):
        if children == family_rules.DETACH_CHILDREN:
            family_rules.detach(session, child, actor=actor)
        else:
            child.archived_at = utcnow()
            touch(child)
            audit.record(session, actor=actor, action="customer.archived", entity="customer",
                         entity_id=child.id, customer_id=child.id,
                         changes={"status": ["active", "archived"],
                                  "archived_with": [None, family_rules.label(parent)]})


def load_for_write(session: Session, customer_id: int, version: int | None) -> Customer:
    """The customer to change, refused if someone saved it since `version` was read.

    Its row is locked first (PostgreSQL; SQLite's write lock is whole) so every write to a
    customer or its contacts and External IDs queues on the customer: none can change a
    child row and then wait on the parent that an import holds, which would deadlock."""
    customer = session.get(Customer, customer_id, with_for_update=True)
    if customer is None:
        raise NotFoundError(f"Customer #{customer_id} does not exist.")
    if version is not None and customer.version != version:
        raise ConflictError()
    return customer


def touch(customer: Customer) -> None:
    """Mark the customer changed: its updated_at moves and its version advances on flush."""
    customer.updated_at = utcnow()


def _integrity_error(exc: IntegrityError, rows: Mapping[str, int]) -> Exception:
    """Turn a unique-index violation from a race into the message the pre-check would give."""
    with read_session() as session:
        taken = _taken_by_row(session, rows)
    return ValidationError(taken) if taken else exc
