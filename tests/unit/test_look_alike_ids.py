"""External IDs people cannot confuse, and names and labels duplicated but for case, on
SQLite and PostgreSQL: through the form's service and a race (the import's refusals are in
tests/unit/test_import_routing.py)."""

import threading

import pytest
from sqlmodel import select

from models import Alias, AliasKey
from services.aliases import add_alias, remove_alias, resolve_alias
from services.custom_fields import add_custom_field, update_custom_field
from services.customers import get_customer
from services.db import read_session
from services.errors import NotFoundError, ValidationError
from services.legal_entities import create_legal_entity, rename_legal_entity
from tests.unit.factories import ACTOR, make_customer

pytestmark = pytest.mark.usefixtures("database")

VARIANTS = ["cus_acme1", "ｃｕｓ＿ＡＣＭＥ１", "cus_АСМЕ1", "cus_ACMEl", "CUS_ACME1"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_look_alike_of_another_customers_id_is_refused_naming_it(variant):
    holder = make_customer(name="Holder Inc", external_ids=["cus_ACME1"])
    other = make_customer(name="Other Inc", external_ids=[])
    with pytest.raises(ValidationError) as caught:
        add_alias(other.id, variant, actor=ACTOR)
    message = caught.value.errors["external_ids"]
    assert f'looks like "cus_ACME1", which belongs to customer Holder Inc (#{holder.id})' \
        in message
    if variant == "cus_АСМЕ1":
        assert "CYRILLIC CAPITAL LETTER A (U+0410)" in message
    if variant == "CUS_ACME1":
        assert message.endswith("they differ only in case.")
    assert get_customer(other.id).aliases == []
    with pytest.raises(ValidationError, match="Holder Inc"):
        make_customer(name="Third Inc", external_ids=["new-1", variant])


def test_zero_width_and_other_invisible_characters_are_refused_by_name():
    customer = make_customer(external_ids=[])
    with pytest.raises(ValidationError) as caught:
        add_alias(customer.id, "cus_\u200b42\u00ad", actor=ACTOR)
    message = caught.value.errors["external_ids"]
    assert "ZERO WIDTH SPACE (U+200B)" in message and "SOFT HYPHEN (U+00AD)" in message
    with pytest.raises(ValidationError, match="ZERO WIDTH JOINER"):
        make_customer(external_ids=["cus_\u200d7"])


def test_an_id_is_stored_composed_and_resolves_from_either_form():
    customer = make_customer(external_ids=["cafe\u0301-7"])
    assert [a.value for a in get_customer(customer.id).aliases] == ["caf\u00e9-7"]
    assert resolve_alias("cafe\u0301-7").id == customer.id
    assert resolve_alias("caf\u00e9-7").id == customer.id


def test_resolution_is_exact_and_case_sensitive():
    make_customer(external_ids=["cus_ACME1"])
    with pytest.raises(NotFoundError):
        resolve_alias("cus_acme1")


def test_one_customer_may_hold_look_alikes_of_its_own_ids_and_keeps_the_key_until_the_last():
    customer = make_customer(external_ids=["cus_ACME1", "cus_acme1"])
    other = make_customer(external_ids=[])
    first, second = get_customer(customer.id).aliases
    remove_alias(first.id, actor=ACTOR)
    with pytest.raises(ValidationError, match="looks like"):
        add_alias(other.id, "CUS_ACME1", actor=ACTOR)
    remove_alias(second.id, actor=ACTOR)
    add_alias(other.id, "CUS_ACME1", actor=ACTOR)
    assert resolve_alias("CUS_ACME1").id == other.id


def test_writers_racing_with_look_alikes_leave_the_key_with_exactly_one_customer():
    customers = [make_customer(name=f"Racer {i}", external_ids=[]) for i in range(4)]
    barrier = threading.Barrier(len(customers))
    outcomes: list[str] = []

    def claim(customer_id: int, value: str) -> None:
        barrier.wait()
        try:
            add_alias(customer_id, value, actor=ACTOR)
            outcomes.append("won")
        except ValidationError as exc:
            outcomes.append(exc.errors["external_ids"])

    threads = [threading.Thread(target=claim, args=(c.id, v))
               for c, v in zip(customers, VARIANTS, strict=False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("won") == 1
    assert all("belongs to customer Racer" in o for o in outcomes if o != "won")
    with read_session() as session:
        holders = set(session.exec(select(Alias.customer_id)))
        keys = list(session.exec(select(AliasKey)))
    assert len(holders) == 1 and [k.customer_id for k in keys] == list(holders)


def test_ten_thousand_ids_in_one_request_are_accepted():
    values = [f"bulk-{n:05d}" for n in range(10_000)]
    customer = make_customer(external_ids=values)
    assert len(get_customer(customer.id).aliases) == 10_000
    with pytest.raises(ValidationError, match='"bulk-09999" is listed twice'):
        make_customer(external_ids=[*[f"more-{n}" for n in range(9_999)], "bulk-09999",
                                    "bulk-09999"])


def test_legal_entity_names_differing_only_in_case_are_one_name_on_both_databases():
    entity = create_legal_entity("Ärger Straße GmbH", actor=ACTOR)
    for taken in ("ärger straße gmbh", "ÄRGER STRASSE GMBH", "Ärger  Straße ＧｍｂＨ"):
        with pytest.raises(ValidationError, match="already exists"):
            create_legal_entity(taken, actor=ACTOR)
    other = create_legal_entity("Öl AG", actor=ACTOR)
    with pytest.raises(ValidationError, match="already exists"):
        rename_legal_entity(other.id, "ärger straße gmbh", actor=ACTOR)
    assert rename_legal_entity(entity.id, "ÄRGER Straße GmbH", actor=ACTOR).name \
        == "ÄRGER Straße GmbH"


@pytest.mark.parametrize("label", ["Customer Name", "customer name", "External IDs",
                                   "External ID", "Status", "Primary Contact Email"])
def test_a_custom_field_label_may_not_be_a_built_in_fields(label):
    with pytest.raises(ValidationError) as caught:
        add_custom_field({"key": "shadow", "label": label, "kind": "text"}, actor=ACTOR)
    assert "built-in field" in caught.value.errors["label"]


def test_custom_field_labels_differing_only_in_case_are_one_label():
    add_custom_field({"key": "segment", "label": "Ségment", "kind": "text"}, actor=ACTOR)
    with pytest.raises(ValidationError, match="exists already"):
        add_custom_field({"key": "segment2", "label": "SÉGMENT", "kind": "text"}, actor=ACTOR)
    tier = add_custom_field({"key": "tier", "label": "Tier", "kind": "text"}, actor=ACTOR)
    with pytest.raises(ValidationError, match="exists already"):
        update_custom_field(tier.id, {"label": "ségment"}, actor=ACTOR)
    assert update_custom_field(tier.id, {"label": "TIER"}, actor=ACTOR).label == "TIER"
