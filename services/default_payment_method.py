"""The customer book's "Default Payment Method" column and "Payment Method" filter, as SQL
on both databases.

The grid, exports and the API list read a customer's default method through one LEFT JOIN
on the partial unique index that keeps one default per customer (`joined_on`). The column
reads as the profile names a method, "Visa •••• 4242 · 08/27" or "SEPA Direct Debit ·
MD0001", with " · revoked" after a revoked one.

The filter answers from the defaults alone (every customer with methods has one): no
method, expiring within the configured days, expired, and Auto Pay on without a usable
default (none, revoked or expired), the customers whose next invoice cannot be charged.
Each is a subquery over the defaults (the partial index on their expiry answers the dated
ones), so the count and the page use the same condition without a join.
"""

from datetime import timedelta

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from models.customer import Customer
from models.payment_method import CARD, DOTS, METHOD_TYPES, PaymentMethod
from services import autopay
from services.config import settings
from services.errors import ValidationError
from services.found_customers import among

KEY = "payment_method"
NONE, EXPIRING, EXPIRED, AUTOPAY_AT_RISK = "none", "expiring", "expired", "autopay_at_risk"
STATES = (NONE, EXPIRING, EXPIRED, AUTOPAY_AT_RISK)  # the filter's choices, as the API takes them
SEPARATOR = " · "


def state_labels() -> dict[str, str]:
    """The filter's choices as the Customers page names them."""
    return {
        NONE: "No payment method",
        EXPIRING: f"Expiring within {expiring_days()} days",
        EXPIRED: "Expired",
        AUTOPAY_AT_RISK: "Auto Pay without a usable payment method",
    }


def expiring_days() -> int:
    return settings().payment_method_expiring_days


def _month(month: ColumnElement) -> ColumnElement:
    """8 -> "08" on both databases (no % operator: a statement printed with its values, as
    the bench's floor runs it, would double it for the PostgreSQL driver)."""
    return func.substr(cast(month + 100, String), 2)


def _year(year: ColumnElement) -> ColumnElement:
    """2027 -> "27": the service keeps expiry years at four digits."""
    return func.substr(cast(year, String), 3)


def _label(labels: dict[str, str], column: ColumnElement) -> ColumnElement:
    return case(labels, value=column, else_=column)


def display() -> ColumnElement:
    """The default method as it reads on screen (NULL without one): the profile's own line
    (services.payment_methods.method_label), in SQL so pages and exports read it without
    loading methods."""
    pm = PaymentMethod
    last4 = case((pm.last4.is_not(None), f" {DOTS} " + pm.last4), else_="")
    expiry = case((and_(pm.exp_month.is_not(None), pm.exp_year.is_not(None)),
                   SEPARATOR + _month(pm.exp_month) + "/" + _year(pm.exp_year)),
                  else_="")
    card = func.coalesce(pm.brand, METHOD_TYPES[CARD]) + last4 + expiry
    other = _label(METHOD_TYPES, pm.method_type) + SEPARATOR + pm.reference
    revoked = case((pm.revoked_at.is_not(None), SEPARATOR + "revoked"), else_="")
    return case((pm.id.is_(None), None),
                else_=case((pm.method_type == CARD, card), else_=other) + revoked)


# The defaults as the filter's subqueries read them: an alias of their own, so that a
# subquery never correlates with the page's join of the same table.
_DEFAULTS_NAME = "default_method"
_DEFAULTS = aliased(PaymentMethod, name=_DEFAULTS_NAME)


def _is_default(table: str) -> ColumnElement[bool]:
    """`<table>.is_default` written bare, as the partial indexes' WHERE says it: SQLite reads
    a partial index only for a query that repeats its condition, and SQLAlchemy would write
    "is_default = 1" there."""
    return literal_column(f"{table}.is_default")


def _defaults(*conditions: ColumnElement[bool]):
    return select(_DEFAULTS.customer_id).where(_is_default(_DEFAULTS_NAME), *conditions)


def _dated(state: str) -> Select:
    """The customers whose default expires soon or has expired, read off its expiry index."""
    day, pm = autopay.today(), _DEFAULTS
    if state == EXPIRING:
        return _defaults(pm.revoked_at.is_(None), pm.expires_on >= day,
                         pm.expires_on <= day + timedelta(days=expiring_days()))
    return _defaults(pm.revoked_at.is_(None), pm.expires_on < day)


def _checked(states: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [s for s in states if s not in STATES]
    if unknown:
        raise ValidationError.single(KEY, f"Payment Method has no filter {', '.join(unknown)}; "
                                          f"choose from {', '.join(STATES)}.")
    return tuple(dict.fromkeys(states))


def found(states: tuple[str, ...]) -> Select | None:
    """The customers in `states` as one set read off the expiry index, when every state
    asked is a dated one (expiring, expired); services.page_plans sizes it."""
    return _dated_set(_checked(states))


def _dated_set(states: tuple[str, ...]) -> Select | None:
    if not states or any(s not in (EXPIRING, EXPIRED) for s in states):
        return None
    return union_all(*(_dated(s) for s in states)).subquery().select()


def condition(states: tuple[str, ...], *, walked: bool = False) -> ColumnElement[bool] | None:
    """Customers in any of `states` (STATES); None when none is asked for. Dated states
    alone are one set, read as a page walking its order asks (walked) or looked up; beside
    the others, each is a condition of the OR (a set looked up inside an OR would be
    searched once per customer)."""
    states = _checked(states)
    dated = _dated_set(states)
    if dated is not None:
        return among(dated, walked=walked)
    day, pm = autopay.today(), _DEFAULTS
    made = {
        NONE: lambda: ~exists(_defaults(pm.customer_id == Customer.id)),
        EXPIRING: lambda: Customer.id.in_(_dated(EXPIRING)),
        EXPIRED: lambda: Customer.id.in_(_dated(EXPIRED)),
        AUTOPAY_AT_RISK: lambda: and_(Customer.auto_pay.is_(True), ~exists(_defaults(
            pm.customer_id == Customer.id, autopay.usable_clause(day, pm)))),
    }
    parts = [made[s]() for s in states]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else or_(*parts)


def joined_on() -> ColumnElement[bool]:
    """How book_query joins each customer's default method."""
    return and_(PaymentMethod.customer_id == Customer.id,
                _is_default(PaymentMethod.__tablename__))
