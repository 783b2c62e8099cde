"""The quick search as SQL: which customers a fragment finds, from each database's index
(models.search_index); services.found_customers makes them a page's condition."""

from sqlalchemy import Select, select, union
from sqlalchemy.sql.expression import union_all

from models.alias import Alias
from models.contact import Contact
from models.customer import Customer
from models.search_index import sqlite_holds, sqlite_owners, sqlite_search
from services.db import get_engine
from services.query_values import like_pattern

TRIGRAM = 3  # fragments this long or longer are answered by the trigram index


def _postgres_arms(term: str) -> list[Select]:
    """One arm per searched column, so each reads its own trigram index (an OR of the
    columns made PostgreSQL's planner fall back to scanning the table)."""
    pattern, escape = like_pattern(term)
    return [select(Customer.id).where(Customer.name.ilike(pattern, escape=escape)),
            select(Customer.id).where(Customer.business_name.ilike(pattern, escape=escape)),
            select(Customer.id).where(Customer.tax_id.ilike(pattern, escape=escape)),
            select(Contact.customer_id).where(Contact.email.ilike(pattern, escape=escape)),
            select(Alias.customer_id).where(Alias.value.ilike(pattern, escape=escape))]


def found_ids(term: str) -> Select:
    """Ids of the customers a fragment finds, answered from the search index."""
    if get_engine().dialect.name == "sqlite":
        if len(term) >= TRIGRAM:
            return sqlite_owners(sqlite_holds(term))
        pattern, escape = like_pattern(term)
        return sqlite_owners(sqlite_search.c.body.like(pattern, escape=escape))
    return union(*_postgres_arms(term))


def found_rows(term: str) -> Select:
    """The rows PostgreSQL's trigram indexes find for a fragment, one or more per customer:
    what a plan asks the statistics to estimate (services.page_plans)."""
    return union_all(*_postgres_arms(term)).subquery().select()
