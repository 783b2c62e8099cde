"""ISO reference data: countries (3166-1), their subdivisions (3166-2) and currencies (4217)."""

import unicodedata
from datetime import date
from functools import cache

import pycountry
from babel.numbers import get_territory_currencies


@cache
def countries() -> dict[str, str]:
    """Alpha-2 code -> common name, sorted by name."""
    pairs = ((c.alpha_2, getattr(c, "common_name", c.name)) for c in pycountry.countries)
    return dict(sorted(pairs, key=lambda p: _sort_key(p[1])))


@cache
def currencies() -> dict[str, str]:
    """ISO 4217 alpha-3 code -> name, sorted by code."""
    return dict(sorted((c.alpha_3, c.name) for c in pycountry.currencies))


@cache
def subdivisions(country: str) -> dict[str, str]:
    """ISO 3166-2 code -> name for a country, sorted by name; empty where it has none."""
    subs = pycountry.subdivisions.get(country_code=country) or []
    return dict(sorted(((s.code, s.name) for s in subs), key=lambda p: _sort_key(p[1])))


def country_name(code: str | None) -> str:
    return countries().get(code or "", code or "")


@cache
def country_codes_by_name() -> dict[str, str]:
    """The name the app shows for a country (countries()), case-folded -> its code."""
    return {name.casefold(): code for code, name in countries().items()}


def default_currency(country: str | None) -> str | None:
    """The currency in use in a country today (Babel's CLDR data), for pre-filling forms."""
    if not country:
        return None
    found = get_territory_currencies(country, start_date=date.today(), tender=True)
    return next((c for c in found if c in currencies()), None)


def find_subdivision(country: str, text: str) -> str | None:
    """The ISO 3166-2 code meant by `text`: the full code, the part after the dash, or the name."""
    wanted = text.strip().casefold()
    for code, name in subdivisions(country).items():
        if wanted in (code.casefold(), code.split("-", 1)[1].casefold(), name.casefold()):
            return code
    return None


def _sort_key(name: str) -> str:
    """Sort "Åland Islands" under A, as people expect, not after Z."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
