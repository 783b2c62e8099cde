"""Identifiers people cannot confuse: External IDs, legal entity names, field labels.

An External ID is stored in Unicode NFC and may not hold invisible or format characters
(zero-width spaces and joiners, bidi marks, soft hyphens, the BOM, Hangul fillers,
variation selectors): each is refused by name. Two customers may never hold External IDs
that look alike: `match_key` is the UTS #39 confusable skeleton of the ID, case folded,
so "ACME-1", "acme-1", "ＡＣＭＥ-1" and a Cyrillic "АСМЕ-1" share one key. The key is a
SHA-256 of that skeleton: a skeleton can be several times longer than the ID, a digest
always fits an index.

Resolution (services.aliases.resolve_alias) stays exact: the NFC form of what the caller
sends, case-sensitive, because the systems IDs come from (Stripe, CRMs) treat case as
meaningful; look-alikes cannot belong to two customers, so an exact match is never a
near miss of someone else's ID.

Names and labels (`name_key`) are compared case-folded in NFKC with spaces collapsed, in
Python, so SQLite and PostgreSQL find the same duplicates.
"""

import unicodedata
from functools import cache, lru_cache
from hashlib import sha256
from pathlib import Path

_TABLE_FILE = Path(__file__).parent / "data" / "confusables.txt"

# Default-ignorable code points that are not format characters (category Cf), plus the
# blank Braille pattern: they show as nothing, or as a blank, wherever an ID is printed.
_INVISIBLE_RANGES = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
                     (0x2800, 0x2800), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0),
                     (0xE0000, 0xE0FFF))
_REFUSED_CATEGORIES = {"Cf": "invisible", "Cs": "unpaired surrogate", "Cn": "unassigned",
                       "Co": "private-use"}


@cache
def _skeleton_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for line in _TABLE_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, *prototype = line.split()
            table[int(source, 16)] = "".join(chr(int(p, 16)) for p in prototype)
    return table


def character_name(char: str) -> str:
    """ZERO WIDTH SPACE (U+200B): how an error names a character nobody can see."""
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    return f"{name} ({code})" if name else code


def refused_characters(text: str) -> dict[str, list[str]]:
    """The characters an identifier may not hold, grouped by why (invisible, unassigned...).
    ASCII holds none of them: most IDs (Stripe's, Salesforce's, HubSpot's) are ASCII, and an
    import checks one or two per row."""
    if text.isascii():
        return {}
    found: dict[str, list[str]] = {}
    for char in dict.fromkeys(text):
        code = ord(char)
        why = _REFUSED_CATEGORIES.get(unicodedata.category(char))
        if why is None and any(low <= code <= high for low, high in _INVISIBLE_RANGES):
            why = "invisible"
        if why is not None:
            found.setdefault(why, []).append(character_name(char))
    return found


def normalise_external_id(text: str) -> str:
    """`text` in NFC; ValueError naming each invisible or otherwise unusable character."""
    value = unicodedata.normalize("NFC", text)
    refused = refused_characters(value)
    if refused:
        parts = [f"{why} characters: {', '.join(names)}" for why, names in refused.items()]
        raise ValueError(f"must not contain {'; '.join(parts)}")
    return value


def skeleton(text: str) -> str:
    """UTS #39 skeleton: NFD, each character replaced by its prototype, NFD again."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", decomposed.translate(_skeleton_table()))


@lru_cache(maxsize=65_536)
def match_key(external_id: str) -> str:
    """One key for every External ID that looks like this one (compatibility forms, case,
    confusable letters from other scripts). Case is folded between two skeleton passes, so
    "I", "l" and "1" meet as well as "A" and "a". Remembered: an import asks for each of a
    chunk's IDs when it cleans, routes and writes them."""
    folded = skeleton(unicodedata.normalize("NFKC", external_id)).casefold()
    return sha256(skeleton(folded).encode("utf-8", "surrogatepass")).hexdigest()


def name_key(name: str) -> str:
    """Legal entity names and field labels: equal when they differ only in case, width or
    spacing. A digest, so a long name in a compatibility form still fits an index."""
    folded = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    return sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()
