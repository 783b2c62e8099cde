"""Payment methods of a customer: add, edit, remove, make default, revoke.

A method is a reference to where the payment data lives (Stripe's pm_..., a GoCardless
mandate), never the data: brand, last 4 digits and expiry are kept for display only; no
field takes a card number (the text cleaners refuse one everywhere) and there is no CVC.

Exactly one method is the default whenever the customer has methods: the first one added
becomes it, make_default moves it in one transaction, and removing it names its successor
(the partial unique index keeps "at most one" in the database as well). Every write carries
the customer's version, as contacts do, advances it and is audited. A method's provider
customer ID (cus_...) becomes an External ID of the customer in the same transaction.
"""

import calendar
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.alias import Alias
from models.catalogue import payment_method_fields
from models.choices import SYSTEM_LABELS
from models.customer import Customer
from models.fields import FieldSpec
from models.payment_method import (
    CARD,
    DOTS,
    METHOD_TYPES,
    PROVIDERS,
    USABLE_STATUSES,
    PaymentMethod,
)
from models.types import utcnow
from services import access, alias_keys, audit, autopay
from services.access import Actor
from services.aliases import attach_alias
from services.cleaners import FieldError, clean_value
from services.config import settings
from services.connected_accounts import OTHER
from services.customers import fetch_customer, load_for_write, touch
from services.db import read_session, write_session
from services.errors import NotFoundError, ValidationError

WHERE = "a payment method"
NEW_DEFAULT = "new_default_id"
DEFAULT_CHANGE = "default_payment_method"  # the audit key of a default moving
CARD_ONLY = ("brand", "last4", "exp_month", "exp_year")
DEBITS = ("sepa_debit", "ach_debit", "bacs_debit")
# Keys a client might send card data under: refused by name, never just "unknown".
_CARD_DATA_KEYS = {"card_number", "number", "pan", "cvc", "cvv", "cvc2", "cvv2",
                   "security_code"}
CARD_DATA = ("Card numbers and security codes (CVC) are never stored: keep them at the "
             "payment provider and enter its method reference (such as pm_...) instead.")

# Formats of the provider's IDs where the provider documents one: (pattern, example).
_REFERENCE_FORMATS = {
    "stripe": (re.compile(r"(pm|card|src|ba)_[A-Za-z0-9]+"),
               "pm_..., card_..., src_... or ba_... (letters and digits after the prefix)"),
    "gocardless": (re.compile(r"MD[A-Z0-9]+"), "a mandate ID such as MD000123ABCDEF"),
}
_CUSTOMER_ID_FORMATS = {
    "stripe": (re.compile(r"cus_[A-Za-z0-9]+"), "cus_... (letters and digits after cus_)"),
    "gocardless": (re.compile(r"CU[A-Z0-9]+"), "a customer ID such as CU000123ABCDEF"),
}
_NO_SPACE = re.compile(r"\S+")
EXP_YEAR_MIN, EXP_YEAR_MAX = 2000, 2100


# Status ----------------------------------------------------------------------------------

def expiry_date(exp_month: int | None, exp_year: int | None) -> date | None:
    """The last day a card with this expiry charges: the end of its expiry month."""
    if exp_month is None or exp_year is None:
        return None
    return date(exp_year, exp_month, calendar.monthrange(exp_year, exp_month)[1])


def status(method: Any, today: date | None = None, expiring_days: int | None = None) -> str:
    """"revoked", "expired", "expiring" (within the configured days) or "active", from
    anything with revoked_at and expires_on. Methods without expiry are active until
    revoked."""
    if method.revoked_at is not None:
        return "revoked"
    if method.expires_on is None:
        return "active"
    today = today or autopay.today()
    if expiring_days is None:
        expiring_days = settings().payment_method_expiring_days
    if method.expires_on < today:
        return "expired"
    if (method.expires_on - today).days <= expiring_days:
        return "expiring"
    return "active"


def is_usable(method: Any, today: date | None = None) -> bool:
    """Whether Auto Pay can charge it: active or expiring soon."""
    return status(method, today) in USABLE_STATUSES


def default_method(customer: Customer) -> PaymentMethod | None:
    return next((m for m in customer.payment_methods if m.is_default), None)


def autopay_at_risk(customer: Customer, today: date | None = None) -> bool:
    """Auto Pay is on but its default is gone, revoked or expired (the profile's warning)."""
    default = default_method(customer)
    return customer.auto_pay and (default is None or not is_usable(default, today))


def card_name(method: Any) -> str:
    """"Visa •••• 4242"; the brand alone (or "Card") without the last 4 digits."""
    brand = method.brand or METHOD_TYPES[CARD]
    return f"{brand} {DOTS} {method.last4}" if method.last4 else brand


def expiry_text(method: Any) -> str | None:
    """"08/27"; None without an expiry."""
    if method.exp_month is None or method.exp_year is None:
        return None
    return f"{method.exp_month:02d}/{method.exp_year % 100:02d}"


def method_label(method: Any) -> str:
    """How a method reads in one line: "Visa •••• 4242 · 08/27", "SEPA Direct Debit ·
    MD0001"."""
    if method.method_type == CARD:
        expiry = expiry_text(method)
        return f"{card_name(method)} · {expiry}" if expiry else card_name(method)
    return f"{METHOD_TYPES.get(method.method_type, method.method_type)} · {method.reference}"


# Validation ------------------------------------------------------------------------------

def _choice(spec: FieldSpec, raw: Any, labels: Mapping[str, str]) -> str:
    """A code, or its label, in any case."""
    text = clean_value(replace(spec, kind="text"), raw)
    if text is None:
        return None
    for code, label in labels.items():
        if text.casefold() in (code.casefold(), label.casefold()):
            return code
    raise FieldError(f"{spec.label} must be one of: {', '.join(labels.values())}.")


def _last4(spec: FieldSpec, raw: Any) -> str | None:
    value = clean_value(replace(spec, max_length=None), raw if raw is None else str(raw))
    if value is not None and not re.fullmatch(r"[0-9]{4}", value):
        raise FieldError(f"{spec.label} must be exactly four digits, such as 4242.")
    return value


def _clean_one(spec: FieldSpec, raw: Any) -> Any:
    if spec.attr == "provider":
        return _choice(spec, raw, PROVIDERS)
    if spec.attr == "method_type":
        return _choice(spec, raw, METHOD_TYPES)
    if spec.attr == "last4":
        return _last4(spec, raw)
    value = clean_value(spec, raw)
    if spec.attr == "exp_month" and value is not None and not 1 <= value <= 12:
        raise FieldError(f"{spec.label} must be a month from 1 to 12.")
    if spec.attr == "exp_year" and value is not None and not (
            EXP_YEAR_MIN <= value <= EXP_YEAR_MAX):
        raise FieldError(f"{spec.label} must be a four-digit year from {EXP_YEAR_MIN} to "
                         f"{EXP_YEAR_MAX}, such as 2027.")
    return value


def _format_error(spec: FieldSpec, value: str | None, provider: str | None,
                  formats: Mapping[str, tuple[re.Pattern, str]]) -> str | None:
    if value is None:
        return None
    if provider in formats:
        pattern, example = formats[provider]
        if not pattern.fullmatch(value):
            return f"{spec.label} at {PROVIDERS[provider]} must look like {example}."
    elif not _NO_SPACE.fullmatch(value):
        return f"{spec.label} must not contain spaces."
    return None


def _cross_field_errors(merged: Mapping[str, Any]) -> dict[str, str]:
    """Rules across a method's fields: formats per provider, what only cards carry."""
    specs = {s.attr: s for s in payment_method_fields()}
    provider, kind = merged.get("provider"), merged.get("method_type")
    errors: dict[str, str] = {}
    for attr, formats in (("reference", _REFERENCE_FORMATS),
                          ("provider_customer_id", _CUSTOMER_ID_FORMATS)):
        message = _format_error(specs[attr], merged.get(attr), provider, formats)
        if message:
            errors[attr] = message
    if provider == "gocardless" and kind is not None and kind not in DEBITS:
        errors["method_type"] = ("GoCardless collects direct debits only: choose "
                                 + ", ".join(METHOD_TYPES[d] for d in DEBITS) + ".")
    if provider == "manual" and kind is not None and kind != "bank_transfer":
        errors["method_type"] = (f"A {PROVIDERS['manual']} method is a "
                                 f"{METHOD_TYPES['bank_transfer']}.")
    if kind is not None and kind != CARD:
        for attr in CARD_ONLY:
            if merged.get(attr) is not None:
                errors[attr] = (f"{specs[attr].label} applies to cards only; leave it empty "
                                f"for {METHOD_TYPES[kind]}.")
    if kind == CARD:
        month, year = merged.get("exp_month"), merged.get("exp_year")
        if (month is None) != (year is None):
            missing, given = ("exp_year", "exp_month") if year is None else ("exp_month",
                                                                              "exp_year")
            errors[missing] = (f"{specs[missing].label} is needed with the "
                               f"{specs[given].label.lower()}.")
    return errors


def clean_payment_method(values: Mapping[str, Any], *,
                         before: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A method's values after `values` apply to `before` (None: a new method, whose
    missing fields are empty), every field checked; raises one ValidationError naming each
    refused field. Needs no database (the import calls it too)."""
    if not isinstance(values, Mapping):
        raise ValidationError.single("payment_method",
                                     "A payment method must be an object of fields.")
    specs = payment_method_fields()
    keys = {s.key for s in specs}
    errors: dict[str, str] = {}
    for key in values:
        if key in keys:
            continue
        card_data = str(key).casefold() in _CARD_DATA_KEYS
        errors[str(key)] = CARD_DATA if card_data else f"{key} is not a field of {WHERE}."
    cleaned: dict[str, Any] = {}
    for spec in specs:
        if before is not None and spec.key not in values:
            continue
        try:
            cleaned[spec.key] = _clean_one(spec, values.get(spec.key))
        except FieldError as exc:
            errors[spec.key] = str(exc)
    merged = {**(before or {s.key: None for s in specs}), **cleaned}
    for key, message in _cross_field_errors(merged).items():
        errors.setdefault(key, message)
    if errors:
        raise ValidationError(errors)
    return merged


# Reading ---------------------------------------------------------------------------------

def list_payment_methods(customer_id: int) -> list[PaymentMethod]:
    """The customer's methods, the default first, then as added."""
    with read_session() as session:
        if session.get(Customer, customer_id) is None:
            raise NotFoundError(f"Customer #{customer_id} does not exist.")
        return list(session.scalars(
            select(PaymentMethod).where(PaymentMethod.customer_id == customer_id)
            .order_by(PaymentMethod.is_default.desc(), PaymentMethod.id)))


def _load(session: Session, method_id: int) -> PaymentMethod:
    method = session.get(PaymentMethod, method_id)
    if method is None:
        raise NotFoundError(f"Payment method #{method_id} does not exist.")
    return method


def _values(method: PaymentMethod) -> dict[str, Any]:
    return {s.key: getattr(method, s.attr) for s in payment_method_fields()}


def _methods(session: Session, customer_id: int) -> list[PaymentMethod]:
    return list(session.scalars(select(PaymentMethod)
                                .where(PaymentMethod.customer_id == customer_id)
                                .order_by(PaymentMethod.id)))


# Database rules --------------------------------------------------------------------------

def _reference_error(session: Session, provider: str, reference: str, *, customer_id: int,
                     own_id: int | None) -> ValidationError | None:
    """The method reference is one method's only, per provider."""
    query = (select(PaymentMethod.customer_id, Customer.name)
             .join(Customer, Customer.id == PaymentMethod.customer_id)
             .where(PaymentMethod.provider == provider, PaymentMethod.reference == reference))
    if own_id is not None:
        query = query.where(PaymentMethod.id != own_id)
    row = session.execute(query).first()
    if row is None:
        return None
    holder_id, name = row
    where = "this customer" if holder_id == customer_id else f"customer {name} (#{holder_id})"
    return ValidationError.single(
        "reference", f'Method reference "{reference}" at {PROVIDERS[provider]} is already a '
        f"payment method of {where}.")


def _external_id_error(session: Session, customer_id: int, value: str
                       ) -> ValidationError | None:
    taken = alias_keys.taken_messages(session, [value], own_id=customer_id)
    if not taken:
        return None
    return ValidationError.single(
        "provider_customer_id", f"Provider customer ID {value} cannot become an External ID "
        f"of this customer: {taken[value]}")


def _link_external_id(session: Session, customer: Customer, merged: Mapping[str, Any],
                      actor: str) -> None:
    """Make the provider customer ID an External ID of the customer, unless it is one: a
    connected account of the provider where it is a source system (Stripe), else other."""
    value = merged["provider_customer_id"]
    held = session.scalars(select(Alias.value).where(Alias.customer_id == customer.id)).all()
    if value in held:
        return
    error = _external_id_error(session, customer.id, value)
    if error:
        raise error
    system = merged["provider"] if merged["provider"] in SYSTEM_LABELS else OTHER
    attach_alias(session, customer.id, value, actor=actor, system=system)


def _race_error(exc: IntegrityError, merged: Mapping[str, Any], *, customer_id: int,
                own_id: int | None, link: bool) -> Exception:
    """A unique index caught a second writer: the message the pre-check would have given."""
    with read_session() as session:
        external_id = merged.get("provider_customer_id")
        error = link and external_id and _external_id_error(session, customer_id, external_id)
        error = error or _reference_error(session, merged["provider"], merged["reference"],
                                          customer_id=customer_id, own_id=own_id)
    return error or exc


def _set_values(method: PaymentMethod, merged: Mapping[str, Any]) -> None:
    for spec in payment_method_fields():
        setattr(method, spec.attr, merged[spec.key])
    method.expires_on = expiry_date(method.exp_month, method.exp_year)
    method.updated_at = utcnow()


# Writing ---------------------------------------------------------------------------------

def add_payment_method(customer_id: int, values: Mapping[str, Any], *, actor: Actor,
                       version: int | None = None, add_external_id: bool = True) -> Customer:
    """Add a method; the customer's first becomes its default. Returns the customer as
    committed (find the method by its provider and reference). `add_external_id`: the
    provider customer ID becomes an External ID of the customer too."""
    actor = access.require(actor, access.EDITOR)
    merged = clean_payment_method(values)
    link = add_external_id and merged["provider_customer_id"] is not None
    try:
        with write_session() as session:
            customer = load_for_write(session, customer_id, version)
            error = _reference_error(session, merged["provider"], merged["reference"],
                                     customer_id=customer_id, own_id=None)
            if error:
                raise error
            first = not _methods(session, customer_id)
            method = PaymentMethod(customer_id=customer_id, is_default=first)
            _set_values(method, merged)
            session.add(method)
            session.flush()
            audit.record(session, actor=actor, action="payment_method.added",
                         entity="payment_method", entity_id=method.id,
                         customer_id=customer_id,
                         changes=audit.diff({}, {**merged, "is_default": first or None}))
            if link:
                _link_external_id(session, customer, merged, actor)
            touch(customer)
            session.flush()
            return fetch_customer(session, customer_id)
    except IntegrityError as exc:
        raise _race_error(exc, merged, customer_id=customer_id, own_id=None,
                          link=link) from exc


def update_payment_method(method_id: int, values: Mapping[str, Any], *, actor: Actor,
                          version: int | None = None, add_external_id: bool = True
                          ) -> Customer:
    """Change any of a method's fields; a new provider customer ID becomes an External ID."""
    actor = access.require(actor, access.EDITOR)
    merged: dict[str, Any] = {}
    customer_id, link = 0, False
    try:
        with write_session() as session:
            method = _load(session, method_id)
            customer_id = method.customer_id
            customer = load_for_write(session, customer_id, version)
            before = _values(method)
            merged = clean_payment_method(values, before=before)
            changes = audit.diff(before, merged)
            if not changes:
                return fetch_customer(session, customer.id)
            if {"provider", "reference"} & changes.keys():
                error = _reference_error(session, merged["provider"], merged["reference"],
                                         customer_id=customer.id, own_id=method.id)
                if error:
                    raise error
            _set_values(method, merged)
            session.flush()
            audit.record(session, actor=actor, action="payment_method.updated",
                         entity="payment_method", entity_id=method.id,
                         customer_id=customer.id, changes=changes)
            link = (add_external_id and "provider_customer_id" in changes
                    and merged["provider_customer_id"] is not None)
            if link:
                _link_external_id(session, customer, merged, actor)
            touch(customer)
            session.flush()
            return fetch_customer(session, customer.id)
    except IntegrityError as exc:
        raise _race_error(exc, merged, customer_id=customer_id, own_id=method_id,
                          link=link) from exc


def remove_payment_method(method_id: int, *, actor: Actor, version: int | None = None,
                          new_default_id: int | None = None) -> Customer:
    """Remove a method. Removing the default of a customer with other methods names the
    one that becomes default (`new_default_id`): one not revoked, if any is not."""
    actor = access.require(actor, access.EDITOR)
    with write_session() as session:
        method = _load(session, method_id)
        customer = load_for_write(session, method.customer_id, version)
        others = [m for m in _methods(session, customer.id) if m.id != method.id]
        successor = _successor(method, others, new_default_id)
        before = _values(method)
        label = method_label(method)
        session.delete(method)
        session.flush()  # the removed default lets go of the index first
        audit.record(session, actor=actor, action="payment_method.removed",
                     entity="payment_method", entity_id=method_id, customer_id=customer.id,
                     changes={k: [audit.to_json(v), None] for k, v in
                              {**before, "is_default": method.is_default or None}.items()
                              if v is not None})
        if successor is not None:
            successor.is_default = True
            successor.updated_at = utcnow()
            session.flush()
            audit.record(session, actor=actor, action="payment_method.defaulted",
                         entity="payment_method", entity_id=successor.id,
                         customer_id=customer.id,
                         changes={DEFAULT_CHANGE: [label, method_label(successor)]})
        touch(customer)
        session.flush()
        return fetch_customer(session, customer.id)


def _successor(method: PaymentMethod, others: list[PaymentMethod],
               new_default_id: int | None) -> PaymentMethod | None:
    """The method that becomes default when `method` goes, as the caller named it."""
    if not method.is_default:
        if new_default_id is not None:
            raise ValidationError.single(
                NEW_DEFAULT, "Only removing the default payment method names a new default.")
        return None
    if not others:
        return None
    candidates = [m for m in others if m.revoked_at is None] or others
    if new_default_id is None:
        raise ValidationError.single(
            NEW_DEFAULT, "This is the customer's default payment method: choose which of "
            "its other methods becomes the default.")
    chosen = next((m for m in candidates if m.id == new_default_id), None)
    if chosen is None:
        raise ValidationError.single(
            NEW_DEFAULT, f"Payment method #{new_default_id} cannot become the default: choose "
            "one of this customer's other methods that is not revoked.")
    return chosen


def make_default(method_id: int, *, actor: Actor, version: int | None = None) -> Customer:
    """Make a method the customer's default; the previous default stops being it."""
    actor = access.require(actor, access.EDITOR)
    with write_session() as session:
        method = _load(session, method_id)
        customer = load_for_write(session, method.customer_id, version)
        if method.is_default:
            return fetch_customer(session, customer.id)
        if method.revoked_at is not None:
            raise ValidationError.single(
                "is_default", "A revoked payment method cannot become the default.")
        previous = next((m for m in _methods(session, customer.id) if m.is_default), None)
        if previous is not None:
            previous.is_default = False
            previous.updated_at = utcnow()
            session.flush()  # the old default lets go before the new one takes the index
        method.is_default = True
        method.updated_at = utcnow()
        touch(customer)
        session.flush()
        audit.record(session, actor=actor, action="payment_method.defaulted",
                     entity="payment_method", entity_id=method.id, customer_id=customer.id,
                     changes={DEFAULT_CHANGE: [method_label(previous) if previous else None,
                                               method_label(method)]})
        return fetch_customer(session, customer.id)


def revoke_payment_method(method_id: int, *, actor: Actor, version: int | None = None
                          ) -> Customer:
    """Mark a method revoked (the provider withdrew it, the mandate was cancelled): kept for
    the record, never charged. A revoked default stays the default until another is made
    so, and a customer with Auto Pay on is then flagged."""
    actor = access.require(actor, access.EDITOR)
    with write_session() as session:
        method = _load(session, method_id)
        customer = load_for_write(session, method.customer_id, version)
        if method.revoked_at is not None:
            return fetch_customer(session, customer.id)
        was = status(method)
        method.revoked_at = utcnow()
        method.updated_at = method.revoked_at
        touch(customer)
        session.flush()
        audit.record(session, actor=actor, action="payment_method.revoked",
                     entity="payment_method", entity_id=method.id, customer_id=customer.id,
                     changes={"status": [was, "revoked"]})
        return fetch_customer(session, customer.id)
