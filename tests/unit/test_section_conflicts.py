"""Two people on one profile: a section saves unless someone else changed a field of that
very section since the form was loaded; then the conflict names each field, both values,
who changed it and when, and the user may keep theirs or take the other change."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from models import sections as S
from services.contacts import add_contact
from services.custom_fields import section_specs
from services.customers import get_customer, update_billing_address, update_section
from services.errors import ConflictError
from services.section_conflicts import SectionConflict, loaded_values
from tests.unit.factories import admin, customer_history, make_customer

pytestmark = pytest.mark.usefixtures("database")

ALICE = admin("alice@example.com")
BOB = admin("bob@example.com")


def _open(customer_id: int, section: S.Section) -> tuple[int, dict]:
    """What a profile section holds when opened: the version and the section's values."""
    customer = get_customer(customer_id)
    return customer.version, loaded_values(customer, section_specs(section))


def _save(customer_id: int, section: S.Section, opened: tuple[int, dict], values: dict,
          actor=ALICE, **kwargs):
    version, loaded = opened
    return update_section(customer_id, section, values, version=version, loaded=loaded,
                          actor=actor, **kwargs)


def test_a_section_nobody_else_touched_saves_and_keeps_the_other_changes():
    customer = make_customer()
    alices_form = _open(customer.id, S.BUSINESS_INFORMATION)
    bob_saw = get_customer(customer.id)
    update_billing_address(customer.id, {"city": "Hamburg"}, version=bob_saw.version, actor=BOB)
    add_contact(customer.id, {"email": "ops@acme.example"}, version=bob_saw.version + 1,
                actor=BOB)

    saved = _save(customer.id, S.BUSINESS_INFORMATION, alices_form,
                  {"business_name": "Acme Holding", "payment_terms_days": 45})

    assert (saved.business_name, saved.payment_terms_days) == ("Acme Holding", 45)
    assert saved.city == "Hamburg"
    assert "ops@acme.example" in {c.email for c in saved.contacts}
    assert customer_history(customer.id)[0].changes == {
        "business_name": [None, "Acme Holding"], "payment_terms_days": [30, 45]}


def test_another_field_of_the_same_section_changed_by_someone_else_conflicts():
    """The rule is per section: a field of it changed since, even one the user left as
    loaded, is shown rather than quietly set back."""
    customer = make_customer()
    alices_form = _open(customer.id, S.BILLING_ADDRESS)
    update_billing_address(customer.id, {"postal_code": "10119"}, version=customer.version,
                           actor=BOB)
    values = {**alices_form[1], "city": "Potsdam"}

    with pytest.raises(SectionConflict) as caught:
        _save(customer.id, S.BILLING_ADDRESS, alices_form, values)

    (field,) = caught.value.details.fields
    assert (field.label, field.theirs, field.mine, field.actor) == (
        "Postal Code", "10119", "10117", "bob@example.com")
    assert get_customer(customer.id).city == "Berlin"


def test_same_field_conflict_says_who_changed_what_and_when():
    customer = make_customer()
    alices_form = _open(customer.id, S.BILLING_ADDRESS)
    before = datetime.now(UTC)
    update_billing_address(customer.id, {"city": "Hamburg", "postal_code": "20095"},
                           version=customer.version, actor=BOB)
    current = get_customer(customer.id)

    with pytest.raises(ConflictError) as caught:  # still a conflict to every caller
        _save(customer.id, S.BILLING_ADDRESS, alices_form,
              {"city": "Munich", "postal_code": "20095"})

    details = caught.value.details
    (field,) = details.fields  # the postal code both agree on is no conflict
    assert (field.key, field.label, field.theirs, field.mine) == (
        "city", "City", "Hamburg", "Munich")
    assert field.actor == "bob@example.com"
    assert before - timedelta(seconds=1) <= field.at <= datetime.now(UTC)
    assert details.section == "Billing Address"
    assert details.version == current.version
    assert details.current["city"] == "Hamburg"
    assert "City (by bob@example.com at " in str(caught.value)
    assert "Nothing was saved" in str(caught.value)
    stored = get_customer(customer.id)
    assert (stored.city, stored.version) == ("Hamburg", current.version)
    assert customer_history(customer.id)[0].actor == "bob@example.com"


def test_who_changed_a_field_is_found_behind_many_later_events():
    customer = make_customer()
    alices_form = _open(customer.id, S.BUSINESS_INFORMATION)
    version = update_section(customer.id, S.BUSINESS_INFORMATION, {"name": "Bob's Name"},
                             version=customer.version, actor=BOB).version
    for n in range(60):  # more than one batch of the log
        version = update_billing_address(customer.id, {"postal_code": f"{10100 + n}"},
                                         version=version, actor=admin("carol@example.com"),
                                         ).version

    with pytest.raises(SectionConflict) as caught:
        _save(customer.id, S.BUSINESS_INFORMATION, alices_form, {"name": "Alice's Name"})

    (field,) = caught.value.details.fields
    assert (field.label, field.theirs, field.actor) == ("Customer Name", "Bob's Name",
                                                        "bob@example.com")


def test_keep_mine_overwrites_theirs_deliberately_and_is_logged_as_such():
    customer = make_customer()
    alices_form = _open(customer.id, S.BILLING_ADDRESS)
    update_billing_address(customer.id, {"city": "Hamburg"}, version=customer.version,
                           actor=BOB)
    with pytest.raises(SectionConflict) as caught:
        _save(customer.id, S.BILLING_ADDRESS, alices_form, {"city": "Munich"})
    details = caught.value.details

    saved = _save(customer.id, S.BILLING_ADDRESS, (details.version, details.current),
                  {"city": "Munich"}, overwrite=True)

    assert saved.city == "Munich"
    latest = customer_history(customer.id)[0]
    assert (latest.actor, latest.action) == ("alice@example.com", "customer.overwritten")
    assert latest.changes == {"city": ["Hamburg", "Munich"]}


def test_keep_mine_is_refused_again_when_the_field_changed_once_more():
    customer = make_customer()
    alices_form = _open(customer.id, S.BILLING_ADDRESS)
    update_billing_address(customer.id, {"city": "Hamburg"}, version=customer.version,
                           actor=BOB)
    with pytest.raises(SectionConflict) as first:
        _save(customer.id, S.BILLING_ADDRESS, alices_form, {"city": "Munich"})
    details = first.value.details
    update_billing_address(customer.id, {"city": "Bremen"}, version=details.version,
                           actor=admin("carol@example.com"))

    with pytest.raises(SectionConflict) as second:
        _save(customer.id, S.BILLING_ADDRESS, (details.version, details.current),
              {"city": "Munich"}, overwrite=True)

    (field,) = second.value.details.fields
    assert (field.theirs, field.actor) == ("Bremen", "carol@example.com")
    assert get_customer(customer.id).city == "Bremen"


def test_take_theirs_keeps_the_other_typed_fields():
    """Their value in the conflicting field, the user's own in the others, saved over the
    conflict's values, overwrites nothing of theirs."""
    customer = make_customer()
    alices_form = _open(customer.id, S.BUSINESS_INFORMATION)
    update_section(customer.id, S.BUSINESS_INFORMATION, {"payment_terms_days": 60},
                   version=customer.version, actor=BOB)
    typed = {**alices_form[1], "payment_terms_days": 14, "business_name": "Acme Holding"}
    with pytest.raises(SectionConflict) as caught:
        _save(customer.id, S.BUSINESS_INFORMATION, alices_form, typed)
    details = caught.value.details
    taken = {**typed, **{f.key: f.theirs for f in details.fields}}

    saved = _save(customer.id, S.BUSINESS_INFORMATION, (details.version, details.current),
                  taken)

    assert (saved.payment_terms_days, saved.business_name) == (60, "Acme Holding")
    latest = customer_history(customer.id)[0]
    assert (latest.action, latest.changes) == (
        "customer.updated", {"business_name": [None, "Acme Holding"]})


def test_exact_decimals_loaded_are_not_mistaken_for_a_change():
    customer = make_customer(tax_rate="8.875")
    tax_form = _open(customer.id, S.TAX_SETTINGS)
    update_billing_address(customer.id, {"city": "Hamburg"}, version=customer.version,
                           actor=BOB)

    saved = _save(customer.id, S.TAX_SETTINGS, tax_form,
                  {**tax_form[1], "tax_rate": "8.8750", "tax_id": "DE136695976"})

    assert saved.tax_rate == Decimal("8.875")
    assert saved.tax_id == "DE136695976"


def test_without_loaded_values_a_stale_version_is_still_refused():
    """The API's If-Match: any change since the version read refuses the write."""
    customer = make_customer()
    update_billing_address(customer.id, {"city": "Hamburg"}, version=customer.version,
                           actor=BOB)

    with pytest.raises(ConflictError) as caught:
        update_section(customer.id, S.BUSINESS_INFORMATION, {"business_name": "Acme"},
                       version=customer.version, actor=ALICE)

    assert not isinstance(caught.value, SectionConflict)
    assert get_customer(customer.id).business_name is None
