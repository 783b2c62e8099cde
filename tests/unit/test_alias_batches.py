"""Resolving many External IDs at once (the usage-attribution path) answers each ID as
resolve_alias answers it alone, names every refused value, and drops none."""

import pytest

from services.alias_batches import MAX_IDS, resolve_aliases
from services.aliases import resolve_alias
from services.customers import archive_customer
from services.errors import NotFoundError, ValidationError
from tests.hostile import HOSTILE
from tests.unit.factories import ACTOR, make_customer

pytestmark = pytest.mark.usefixtures("database")


def single(value: str) -> int | None:
    try:
        return resolve_alias(value).id
    except NotFoundError:
        return None


def test_each_id_resolves_to_its_customer_and_system_and_unknown_ids_are_listed():
    acme = make_customer(external_ids=["crm-1", {"value": "cus_A1", "system": "stripe"}])
    other = make_customer(name="Other", primary_contact_email="o@other.example",
                          external_ids=["hs-77"])
    answer = resolve_aliases(["cus_A1", "nobody", "hs-77", "crm-1", "cus_A1", "ghost"])
    assert answer.found == {"cus_A1": (acme.id, "stripe"), "hs-77": (other.id, "other"),
                            "crm-1": (acme.id, "other")}
    assert answer.missing == ["nobody", "ghost"]


def test_look_alikes_resolve_exactly_as_the_single_lookup_does():
    make_customer(external_ids=["cus_ACME1", "Caf\u00e9-7"])
    variants = ["cus_ACME1", "  cus_ACME1\t", "cus_acme1", "ｃｕｓ＿ＡＣＭＥ１", "cus_АСМЕ1",
                "cus_ACME\u200b1", "cus_ACME1\x00", "Cafe\u0301-7", "CAF\u00c9-7"]
    answer = resolve_aliases(variants)
    for value in variants:
        expected = single(value)
        assert answer.found.get(value, (None,))[0] == expected, value
        assert (value in answer.missing) == (expected is None), value


def test_an_archived_customer_s_id_still_resolves():
    customer = make_customer(external_ids=["old-1"])
    archive_customer(customer.id, actor=ACTOR)
    assert resolve_aliases(["old-1"]).found == {"old-1": (customer.id, "other")}


@pytest.mark.parametrize("count", [1, 3, 600, MAX_IDS])
def test_batches_of_any_size_up_to_the_limit_resolve_every_id(count):
    ids = [f"id-{n:04d}" for n in range(count)]
    customer = make_customer(external_ids=ids)
    answer = resolve_aliases(ids)
    assert answer.found == {value: (customer.id, "other") for value in ids}
    assert answer.missing == []


@pytest.mark.parametrize(("raw", "field", "fragment"), [
    ([], "external_ids", "1 to 1,000"),
    (None, "external_ids", "1 to 1,000"),
    ("cus_1", "external_ids", "1 to 1,000"),
    (["x"] * (MAX_IDS + 1), "external_ids", "not 1,001"),
    (["ok", 7], "external_ids[1]", "must be text"),
    (["ok", ""], "external_ids[1]", "must not be empty"),
    (["x" * 256], "external_ids[0]", "at most 255 characters"),
    (["ok", "a\ud800b"], "external_ids[1]", "lone surrogate"),
])
def test_bad_input_is_refused_naming_the_field(raw, field, fragment):
    with pytest.raises(ValidationError) as caught:
        resolve_aliases(raw)
    assert fragment in caught.value.errors[field]


def test_hostile_values_are_resolved_as_missing_or_refused_naming_the_field():
    make_customer(external_ids=["acme-001"])
    for name, raw in HOSTILE.items():
        try:
            answer = resolve_aliases(["acme-001", raw])
        except ValidationError as refused:
            assert set(refused.errors) == {"external_ids[1]"}, name
            continue
        assert "acme-001" in answer.found, name
        assert (raw in answer.missing) == (single(raw) is None), name
