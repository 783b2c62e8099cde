"""Reference data: countries (ISO 3166-1), their subdivisions (3166-2), currencies (4217),
invoice languages (Babel's locales) and time zones (IANA, through zoneinfo)."""

import unicodedata
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import pycountry
from babel import Locale
from babel.core import get_global
from babel.languages import get_official_languages
from babel.localedata import locale_identifiers
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


# How other systems write a country that ISO's names and codes do not cover (CRMs keep
# what people typed: "USA", "UK", "U.S.").
COUNTRY_FORMS = {"uk": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
                 "scotland": "GB", "wales": "GB", "northern ireland": "GB", "u.k.": "GB",
                 "us": "US", "u.s.": "US", "u.s.a.": "US",
                 "russia": "RU", "turkey": "TR", "czech republic": "CZ", "holland": "NL"}


@cache
def country_codes_by_name() -> dict[str, str]:
    """How a country may be written, case-folded -> its code: the name the app shows
    (countries()), ISO's short and official names, the alpha-3 code and COUNTRY_FORMS."""
    forms = {}
    for country in pycountry.countries:
        for form in (country.alpha_3, country.name, getattr(country, "official_name", None),
                     getattr(country, "common_name", None)):
            if form:
                forms[form.casefold()] = country.alpha_2
    forms.update({name.casefold(): code for code, name in countries().items()})
    return {**forms, **COUNTRY_FORMS}


def default_currency(country: str | None) -> str | None:
    """The currency in use in a country today (Babel's CLDR data), for pre-filling forms."""
    if not country:
        return None
    found = get_territory_currencies(country, start_date=date.today(), tender=True)
    return next((c for c in found if c in currencies()), None)


def find_subdivision(country: str, text: str) -> str | None:
    """The ISO 3166-2 code meant by `text`: the full code, the part after the dash, or the
    name (accents aside: "Quebec" is Québec)."""
    return _subdivision_forms(country).get(_plain(text.strip()))


@cache
def _subdivision_forms(country: str) -> dict[str, str]:
    """How a country's subdivisions may be written, plain (_plain) -> ISO 3166-2 code; read
    once per country, as an import asks for every row."""
    forms = {}
    for code, name in subdivisions(country).items():
        for form in (name, code.split("-", 1)[1], code):
            forms.setdefault(_plain(form), code)
    return forms


def _plain(text: str) -> str:
    """Case-folded and without accents (most names have none: those skip the decomposing)."""
    return text.casefold() if text.isascii() else _sort_key(text)


def _sort_key(name: str) -> str:
    """Sort "Åland Islands" under A, as people expect, not after Z."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@cache
def languages() -> dict[str, str]:
    """Babel locale id (de_DE, fr_CA, en) -> its English name, sorted by name; the locales of
    one language and a territory or none (no scripts or variants)."""
    found = {}
    for ident in locale_identifiers():
        locale = Locale.parse(ident)
        name = locale.get_display_name("en")
        if locale.script or locale.variant or not name:
            continue
        found[ident] = name
    return dict(sorted(found.items(), key=lambda p: _sort_key(p[1])))


@cache
def language_ids_by_key() -> dict[str, str]:
    """How a language may be written (de-DE, de_de, "German (Germany)") -> its id."""
    keys = {}
    for ident, name in languages().items():
        keys[ident.casefold()] = ident
        keys[ident.replace("_", "-").casefold()] = ident
        keys[name.casefold()] = ident
    return keys


@cache
def default_language(country: str | None) -> str | None:
    """The country's first language (official, else in common use), with the country's
    conventions where Babel has them (de_CH for Switzerland)."""
    if not country:
        return None
    spoken = get_official_languages(country) or get_official_languages(country, de_facto=True)
    for language in spoken:
        for ident in (f"{language}_{country}", language):
            if ident in languages():
                return ident
    return None


def language_name(ident: str | None) -> str:
    return languages().get(ident or "", ident or "")


@cache
def timezones() -> tuple[str, ...]:
    """The IANA time zones this machine's zoneinfo knows, by name, without the legacy
    aliases (US/Eastern, Etc/GMT+5) people would not pick."""
    return tuple(sorted(z for z in available_timezones()
                        if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))))


@cache
def timezones_by_key() -> dict[str, str]:
    """A time zone's name, case-folded -> the name (an import reads one per row)."""
    return {zone.casefold(): zone for zone in timezones()}


@cache
def default_timezone(country: str | None) -> str | None:
    """The country's zone when it keeps one clock: its zones (CLDR) all at the same offsets
    in January and July (Germany's Europe/Berlin and Europe/Busingen), else none (the
    United States, Spain with the Canaries)."""
    zones = [z for z in get_global("territory_zones").get(country or "", ())
             if z in set(timezones())]
    if not zones:
        return None
    year = date.today().year
    clocks = {tuple(datetime(year, month, 15, tzinfo=ZoneInfo(z)).utcoffset()
                    for month in (1, 7)) for z in zones}
    return zones[0] if len(clocks) == 1 else None
