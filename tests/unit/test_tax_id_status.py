"""The Tax ID status on both databases: earned on every save by the Tax ID's format, and
changed by a VIES check against the local stand-in (never the EU): verified, invalid, and
"could not be checked" when VIES times out, fails or answers nonsense, without losing an
earlier verdict. Each check is audited and carries the customer's version."""

import csv
import io

import pytest

from models.choices import TaxIdStatus
from services.customers import get_customer, update_customer, update_tax_settings
from services.errors import ConflictError, ValidationError
from services.export import export_customers
from services.tax_id_check import CHECKED, check
from services.tax_id_status import VIES_OFF, status_text
from tests.unit.factories import (
    ACTOR,
    VIEWER_ACTOR,
    customer_history,
    customer_query,
    make_customer,
)
from tooling import vies_stand_in as stand

pytestmark = pytest.mark.usefixtures("database")

VAT = "DE123456704"
OTHER_VAT = "DE123456712"


def german(**overrides):
    return make_customer(tax_id=VAT, **overrides)


def test_a_tax_id_with_a_validator_has_a_valid_format_when_saved():
    customer = german()
    assert customer.tax_id_status == TaxIdStatus.VALID_FORMAT
    assert customer.tax_id_checked_at is not None
    assert customer_history(customer.id)[0].changes["tax_id_status"] == [None, "valid_format"]


def test_a_tax_id_without_a_validator_is_not_checked():
    customer = make_customer(country="AQ", currency="USD", address_line1=None, city=None,
                             state=None, postal_code=None, tax_id="ANT-42")
    assert customer.tax_id_status == TaxIdStatus.NOT_CHECKED
    assert customer.tax_id_checked_at is None


def test_clearing_the_tax_id_clears_its_status(vies):
    vies.answer(VAT, stand.VALID)
    customer = check(german().id, version=None, actor=ACTOR).customer
    cleared = update_tax_settings(customer.id, {"tax_id": None}, version=customer.version,
                                  actor=ACTOR)
    assert (cleared.tax_id_status, cleared.tax_id_checked_at) == ("not_checked", None)


def test_saving_tax_settings_keeps_a_verified_status_while_the_tax_id_stays(vies):
    vies.answer(VAT, stand.VALID)
    customer = check(german().id, version=None, actor=ACTOR).customer
    saved = update_tax_settings(customer.id, {"tax_id": "de 123 456 704", "tax_rate": "7"},
                                version=customer.version, actor=ACTOR)
    assert saved.tax_id_status == TaxIdStatus.VERIFIED
    changed = update_tax_settings(saved.id, {"tax_id": OTHER_VAT}, version=saved.version,
                                  actor=ACTOR)
    assert changed.tax_id_status == TaxIdStatus.VALID_FORMAT


def test_nobody_sets_the_status_by_hand():
    customer = german()
    with pytest.raises(ValidationError) as refused:
        update_customer(customer.id, {"tax_id_status": "verified"}, version=customer.version,
                        actor=ACTOR)
    assert "tax_id_status" in refused.value.errors
    assert get_customer(customer.id).tax_id_status == TaxIdStatus.VALID_FORMAT


def test_a_registered_number_is_verified_with_the_date_and_audited(vies):
    vies.answer(VAT, stand.VALID)
    customer = german()
    done = check(customer.id, version=customer.version, actor=ACTOR)
    assert done.result == TaxIdStatus.VERIFIED
    assert done.customer.tax_id_status == TaxIdStatus.VERIFIED
    assert done.customer.version == customer.version + 1
    assert status_text(done.customer.tax_id_status, done.customer.tax_id_checked_at) == (
        f"Verified {done.customer.tax_id_checked_at:%-d %b %Y}")
    event = customer_history(customer.id)[0]
    assert (event.action, event.actor) == (CHECKED, ACTOR.email)
    assert event.changes["tax_id_status"] == ["valid_format", "verified"]
    assert vies.asked == [VAT]


def test_an_unregistered_number_is_invalid(vies):
    vies.answer(VAT, stand.INVALID)
    done = check(german().id, version=None, actor=ACTOR)
    assert done.result == done.customer.tax_id_status == TaxIdStatus.INVALID
    assert "not registered" in done.message


@pytest.mark.parametrize("how", [stand.SLOW, stand.ERROR, stand.MALFORMED, stand.UNAVAILABLE])
def test_no_answer_could_not_be_checked_and_says_why(vies, how):
    """A slow VIES answers VALID only long after the one-second timeout: the check has given
    up by then, so it reports "could not be checked" instead of waiting."""
    vies.answer(VAT, how)
    customer = german()
    done = check(customer.id, version=customer.version, actor=ACTOR)
    assert done.result == done.customer.tax_id_status == TaxIdStatus.UNVERIFIABLE
    assert done.message.startswith("The Tax ID could not be checked: VIES")
    assert done.customer.tax_id_checked_at > customer.tax_id_checked_at
    assert customer_history(customer.id)[0].action == CHECKED


def test_no_answer_keeps_an_earlier_verdict_and_its_date(vies):
    vies.answer(VAT, stand.VALID)
    verified = check(german().id, version=None, actor=ACTOR).customer
    vies.answer(VAT, stand.SLOW)
    done = check(verified.id, version=verified.version, actor=ACTOR)
    assert done.result == TaxIdStatus.UNVERIFIABLE
    assert done.customer.tax_id_status == TaxIdStatus.VERIFIED
    assert done.customer.tax_id_checked_at == verified.tax_id_checked_at
    assert "It stays Verified" in done.message
    event = customer_history(verified.id)[0]
    assert event.changes == {"vies": [None, "VIES did not answer in time (1 s)"]}


def test_a_check_carries_the_version_it_read(vies):
    customer = german()
    update_tax_settings(customer.id, {"tax_rate": "7"}, version=customer.version, actor=ACTOR)
    with pytest.raises(ConflictError):
        check(customer.id, version=customer.version, actor=ACTOR)
    assert vies.asked == []


def test_the_check_is_refused_with_the_reason_when_it_is_not_available(vies, configured):
    with pytest.raises(ValidationError, match="Only EU VAT numbers"):
        check(make_customer(country="US", currency="USD", state="CA", tax_id="04-2103594",
                            external_ids=["us-1"]).id, version=None, actor=ACTOR)
    with pytest.raises(ValidationError, match="no Tax ID"):
        check(make_customer(external_ids=["none-1"]).id, version=None, actor=ACTOR)
    configured(vies_enabled=None)
    with pytest.raises(ValidationError) as refused:
        check(german().id, version=None, actor=ACTOR)
    assert refused.value.errors == {"tax_id": VIES_OFF}
    assert vies.asked == []


def test_viewers_cannot_check(vies):
    with pytest.raises(PermissionError):
        check(german().id, version=None, actor=VIEWER_ACTOR)


def test_the_book_filters_and_exports_the_status(vies):
    vies.answer(VAT, stand.VALID)
    verified = check(german(name="Verified GmbH", external_ids=["v-1"]).id, version=None,
                     actor=ACTOR).customer
    german(name="Format Only GmbH", external_ids=["f-1"])
    q = customer_query(tax_id_status=["verified"])
    out = io.BytesIO()
    export_customers(q, ["name", "tax_id_status"], "csv", out)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert rows[0][1:4] == ["Customer Name", "Tax ID Status", "Tax ID Status code"]
    assert [row[:4] for row in rows[1:]] == [
        [str(verified.id), "Verified GmbH", "Verified", "verified"]]


def test_an_import_gives_new_and_changed_tax_ids_their_status(tmp_path, vies):
    from services.import_mapping import template_headers
    from services.imports import VALID_ONLY, default_mapping, run_import

    vies.answer(VAT, stand.VALID)
    kept = check(german(name="Kept GmbH", external_ids=["crm-2"]).id, version=None,
                 actor=ACTOR).customer
    path = tmp_path / "tax.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=template_headers())
        writer.writeheader()
        base = {"Billing Currency": "EUR", "Country": "DE", "Tax Rate": "19"}
        writer.writerow({**base, "Customer Name": "New GmbH", "External IDs": "crm-1",
                         "Primary Contact Email": "a@new.example",
                         "Tax ID / VAT number": OTHER_VAT})
        writer.writerow({**base, "Customer Name": "Kept GmbH", "External IDs": "crm-2",
                         "Primary Contact Email": "billing@acme.example",
                         "Tax ID / VAT number": "DE123456729"})
    report = run_import(path, default_mapping(path), mode=VALID_ONLY, actor=ACTOR)
    assert (report.counts["new"], report.counts["updated"]) == (1, 1), report.preview
    new = get_customer(kept.id + 1)
    assert (new.tax_id, new.tax_id_status) == (OTHER_VAT, TaxIdStatus.VALID_FORMAT)
    changed = get_customer(kept.id)  # was verified: the new Tax ID is not
    assert (changed.tax_id, changed.tax_id_status) == ("DE123456729", TaxIdStatus.VALID_FORMAT)


def test_a_greek_vat_number_is_asked_with_its_el_prefix(vies):
    vies.answer("EL094259216", stand.VALID)
    greek = make_customer(country="GR", currency="EUR", state=None, tax_id="094259216",
                          external_ids=["gr-1"])
    assert check(greek.id, version=None, actor=ACTOR).result == TaxIdStatus.VERIFIED
    assert vies.asked == ["EL094259216"]
