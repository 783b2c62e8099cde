"""Column types that keep values exact across SQLite and PostgreSQL."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, Numeric
from sqlalchemy.types import TypeDecorator


def tidy_decimal(value: Decimal, min_places: int = 2) -> Decimal:
    """Drop trailing zeros but keep at least `min_places` decimals: 8.8750 -> 8.875, 0 -> 0.00."""
    normal = value.normalize()
    if normal.as_tuple().exponent > -min_places:
        return normal.quantize(Decimal(1).scaleb(-min_places))
    return normal


class ExactDecimal(TypeDecorator):
    """A decimal that round-trips exactly: NUMERIC on PostgreSQL, a scaled integer on SQLite.

    SQLite has no decimal type; its NUMERIC affinity stores floats, so 8.875 would
    come back through a float. A scaled integer keeps it exact and still sorts and
    compares in SQL.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 9, scale: int = 4):
        super().__init__()
        self.precision = precision
        self.scale = scale

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value)
        if dialect.name == "sqlite":
            return int(value.scaleb(self.scale))
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return tidy_decimal(Decimal(value).scaleb(-self.scale))
        return tidy_decimal(Decimal(value))


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both databases (SQLite drops the zone on storage)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)
