"""Auto Pay means something: it needs a usable default payment method to charge.

A default is usable when it is neither revoked nor expired (an "expiring soon" card still
charges). Every path that can turn Auto Pay on (a profile section, the API, a bulk action,
the import, a new customer) asks here before writing. A customer whose default is later
removed, revoked or expires keeps Auto Pay on and is flagged instead (the grid's filter
"Auto Pay without a usable payment method": Auto Pay on, not `has_usable_default`), because
switching it off behind finance's back would hide the problem.
"""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, not_, or_, select
from sqlmodel import Session

from models.customer import Customer
from models.payment_method import PaymentMethod
from models.types import utcnow
from services.errors import ValidationError

AUTO_PAY = "auto_pay"
NO_METHOD = ("Auto Pay needs a usable default payment method (not expired or revoked); "
             "add one or make one the default first.")
NEW_CUSTOMER = ("Auto Pay needs a usable default payment method, and a new customer has "
                "none yet: add one on the customer's profile, then turn Auto Pay on.")
_NAMED = 3  # customers a bulk refusal names


def today() -> date:
    """Today in UTC, the day expiry is measured against."""
    return utcnow().date()


def usable_clause(day: date | None = None, method=PaymentMethod) -> ColumnElement[bool]:
    """SQL: the payment_method row (or an alias of the table, `method`) is usable on `day`
    (not revoked, not expired)."""
    day = day or today()
    return and_(method.revoked_at.is_(None),
                or_(method.expires_on.is_(None), method.expires_on >= day))


def has_usable_default(day: date | None = None) -> ColumnElement[bool]:
    """SQL: the customer (of the enclosing query on customer) has a usable default."""
    return exists(select(PaymentMethod.id).where(
        PaymentMethod.customer_id == Customer.id, PaymentMethod.is_default,
        usable_clause(day)))


def without_usable_default(session: Session, customer_ids: Iterable[int]
                           ) -> list[tuple[int, str]]:
    """(id, name) of each of `customer_ids` with no usable default method, by id."""
    ids = sorted(set(customer_ids))
    if not ids:
        return []
    query = (select(Customer.id, Customer.name)
             .where(Customer.id.in_(ids), not_(has_usable_default()))
             .order_by(Customer.id))
    return [(row[0], row[1]) for row in session.execute(query)]


def require_usable_default(session: Session, customer_ids: Iterable[int]) -> None:
    """Refuse, on the field auto_pay, turning Auto Pay on for customers without a usable
    default; a refusal of several names the first few."""
    ids = set(customer_ids)
    missing = without_usable_default(session, ids)
    if not missing:
        return
    if len(ids) == 1:
        raise ValidationError.single(AUTO_PAY, NO_METHOD)
    named = ", ".join(f"{name} (#{customer_id})" for customer_id, name in missing[:_NAMED])
    more = f" and {len(missing) - _NAMED:,} more" if len(missing) > _NAMED else ""
    raise ValidationError.single(
        AUTO_PAY, f"Auto Pay needs a usable default payment method (not expired or revoked); "
        f"{len(missing):,} of the selected customers have none: {named}{more}. Nothing was "
        "changed.")
