import threading

import pytest

from services.aliases import add_alias, remove_alias, resolve_alias
from services.customers import create_customer, get_customer
from services.errors import NotFoundError, ValidationError
from tests.unit.factories import ACTOR, customer_history, customer_input, make_customer

pytestmark = pytest.mark.usefixtures("database")


def test_add_alias_and_resolve_it():
    customer = make_customer(external_ids=[])
    add_alias(customer.id, "  stripe:cus_123 ", actor=ACTOR)
    assert resolve_alias("stripe:cus_123").id == customer.id
    assert customer_history(customer.id)[0].changes == {
        "external_ids": [None, "Other · stripe:cus_123"]}


def test_unknown_alias_does_not_resolve():
    with pytest.raises(NotFoundError):
        resolve_alias("nobody")


def test_alias_of_another_customer_is_refused_naming_it():
    holder = make_customer(name="Holder Inc", external_ids=["sf-42"])
    other = make_customer(name="Other Inc", external_ids=[])
    with pytest.raises(ValidationError) as caught:
        add_alias(other.id, "sf-42", actor=ACTOR)
    assert f"Holder Inc (#{holder.id})" in caught.value.errors["external_ids"]
    assert get_customer(other.id).aliases == []


def test_alias_must_not_be_blank():
    customer = make_customer()
    with pytest.raises(ValidationError) as caught:
        add_alias(customer.id, "   ", actor=ACTOR)
    assert "External ID is required" in caught.value.errors["external_ids"]


def test_remove_alias_frees_it_for_another_customer():
    first = make_customer(external_ids=["moving-id"])
    second = make_customer(external_ids=[])
    remove_alias(first.aliases[0].id, actor=ACTOR)
    add_alias(second.id, "moving-id", actor=ACTOR)
    assert resolve_alias("moving-id").id == second.id
    assert customer_history(first.id)[0].changes == {"external_ids": ["Other · moving-id", None]}


def test_two_writers_racing_for_one_alias_leave_it_with_exactly_one_customer():
    customers = [make_customer(name=f"Racer {i}", external_ids=[]) for i in range(4)]
    barrier = threading.Barrier(len(customers))
    outcomes: list[str] = []

    def claim(customer_id: int) -> None:
        barrier.wait()
        try:
            add_alias(customer_id, "contested", actor=ACTOR)
            outcomes.append("won")
        except ValidationError as exc:
            assert "already belongs to customer Racer" in exc.errors["external_ids"]
            outcomes.append("refused")

    threads = [threading.Thread(target=claim, args=(c.id,)) for c in customers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "refused", "refused", "won"]
    owner = resolve_alias("contested")
    assert sum(a.value == "contested" for c in customers
               for a in get_customer(c.id).aliases) == 1
    assert owner.name.startswith("Racer")


def test_two_creates_racing_for_one_alias_create_one_customer():
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create(name: str) -> None:
        barrier.wait()
        try:
            create_customer(customer_input(name=name, external_ids=["same"]), actor=ACTOR)
            outcomes.append("created")
        except ValidationError:
            outcomes.append("refused")

    threads = [threading.Thread(target=create, args=(n,)) for n in ("Left", "Right")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created", "refused"]
    assert resolve_alias("same").name in ("Left", "Right")
