"""Look-alike keys and refused characters, without a database."""

import pytest

from services.identifiers import match_key, name_key, normalise_external_id

LOOK_ALIKES = [
    ("cus_ACME1", "cus_acme1"),              # case
    ("cus_ACME1", "ｃｕｓ＿ＡＣＭＥ１"),          # full width
    ("cus_ACME1", "cus_АСМЕ1"),              # Cyrillic А, С, М, Е
    ("cus_ACME1", "cus_ACMEl"),              # digit one and small L
    ("cus_ACME1", "cus_ACMEI"),              # digit one and capital i
    ("café-7", "cafe\u0301-7"),              # composed and decomposed
    ("paypal-0", "paypal-O"),                # zero and capital o
]


@pytest.mark.parametrize(("held", "new"), LOOK_ALIKES)
def test_look_alikes_share_one_key(held, new):
    assert match_key(held) == match_key(new)


@pytest.mark.parametrize(("one", "other"), [("cus_1", "cus_2"), ("stripe/a", "stripe/b"),
                                             ("acme-10", "acme-100"), ("ab", "a b")])
def test_different_ids_keep_different_keys(one, other):
    assert match_key(one) != match_key(other)


def test_an_id_is_stored_composed():
    assert normalise_external_id("cafe\u0301") == "caf\u00e9"


@pytest.mark.parametrize(("char", "name"), [
    ("\u200b", "ZERO WIDTH SPACE (U+200B)"), ("\u200d", "ZERO WIDTH JOINER (U+200D)"),
    ("\u200e", "LEFT-TO-RIGHT MARK (U+200E)"), ("\u00ad", "SOFT HYPHEN (U+00AD)"),
    ("\ufeff", "ZERO WIDTH NO-BREAK SPACE (U+FEFF)"), ("\u3164", "HANGUL FILLER (U+3164)"),
    ("\u2060", "WORD JOINER (U+2060)"), ("\ufe0f", "VARIATION SELECTOR-16 (U+FE0F)"),
    ("\u034f", "COMBINING GRAPHEME JOINER (U+034F)"), ("\U000e0041", "TAG LATIN CAPITAL"),
])
def test_invisible_characters_are_refused_by_name(char, name):
    with pytest.raises(ValueError, match="invisible") as caught:
        normalise_external_id(f"cus{char}42")
    assert name in str(caught.value)


def test_names_equal_but_for_case_width_and_spacing_share_a_key():
    assert name_key("Acme  GmbH") == name_key("ＡＣＭＥ gmbh") == name_key("acme gmbh")
    assert name_key("Straße AG") == name_key("STRASSE AG")
    assert name_key("Acme GmbH") != name_key("Acme Ltd")
