"""The profile's Payment Methods section as a user drives it: add a card, errors under the
fields, make default, revoke and remove (asked first; removing the default asks which method
takes its place), the Auto Pay warning and refusal, and read-only views."""

import pytest
from streamlit.testing.v1 import AppTest

from components.text import md_escape
from models import sections as S
from services import autopay
from services.autopay import NO_METHOD
from services.customers import archive_customer, get_customer, update_section
from services.payment_methods import add_payment_method, revoke_payment_method
from tests.app.conftest import APP, as_read, open_page, shown, texts
from tests.unit.factories import ACTOR, make_customer

PROFILE = "app_pages/customer_profile.py"
VISA = {"provider": "stripe", "reference": "pm_visa4242", "method_type": "card",
        "brand": "Visa", "last4": "4242", "exp_month": 8, "exp_year": 2099}
SEPA = {"provider": "gocardless", "reference": "MD000123ABC", "method_type": "sepa_debit",
        "bank_name": "Deutsche Bank"}
AMEX = {"provider": "stripe", "reference": "pm_amex0005", "method_type": "card",
        "brand": "Amex", "last4": "0005", "exp_month": 1, "exp_year": 2098}


@pytest.fixture
def customer(app_db):
    return make_customer()


def prefix(customer_id: int) -> str:
    return f"profile.{customer_id}.payment_methods"


def open_profile(app, customer_id: int):
    return open_page(app, PROFILE, customer=str(customer_id))


def with_methods(customer_id: int, *methods: dict):
    for values in methods:
        add_payment_method(customer_id, values, actor=ACTOR)
    return {m.reference: m for m in get_customer(customer_id).payment_methods}


def section_lines(app) -> list[str]:
    box = next(e for e in app.expander if as_read(e.label) == "Payment Methods")
    return [line.replace("**", "") for line in texts(box.markdown)]  # as read, not bold


def header_fact(app, label: str) -> str:
    """The value under a caption of the header (outside the sections)."""
    def pairs(block):
        children = list(getattr(block, "children", {}).values())
        kinds = [getattr(c, "type", None) for c in children]
        if kinds == ["caption", "markdown"]:
            yield texts([children[0]])[0], texts([children[1]])[0]
        for child in children:
            yield from pairs(child)
    for block in app.main.children.values():
        if getattr(block, "type", None) != "expander":
            for caption, value in pairs(block):
                if caption == label:
                    return value
    raise AssertionError(f"no {label} in the header")


def test_add_a_card_shows_it_as_the_default_in_the_section_and_header(app, customer):
    open_profile(app, customer.id)
    assert "No payment methods yet." in texts(app.caption)
    assert header_fact(app, "Default payment method") == "None"
    p = prefix(customer.id)
    app.button(key=f"{p}.newbtn").click().run()
    assert app.selectbox(key=f"{p}.new.method_type").value == "card"  # a card's fields show
    app.selectbox(key=f"{p}.new.provider").select("stripe")
    app.text_input(key=f"{p}.new.reference").input("pm_123")
    app.text_input(key=f"{p}.new.provider_customer_id").input("cus_Acme1")
    app.text_input(key=f"{p}.new.brand").input("Visa")
    app.text_input(key=f"{p}.new.last4").input("4242")
    app.text_input(key=f"{p}.new.exp_month").input("8")
    app.text_input(key=f"{p}.new.exp_year").input("2099")
    app.text_input(key=f"{p}.new.holder_name").input("Ada Lovelace")
    app.button(key=f"{p}.new.submit").click().run()
    assert not app.exception, app.exception
    assert "Payment method added." in texts(app.toast)
    assert "Visa •••• 4242 · expires 08/99 · Stripe · pm_123  :blue-badge[Default]" in \
        section_lines(app)
    assert shown(app.caption, "Holder: Ada Lovelace · Provider customer ID: cus_Acme1")
    assert header_fact(app, "Default payment method") == "Visa •••• 4242 · 08/99"
    assert "cus_Acme1" in header_fact(app, "External IDs")  # it became an External ID
    assert not app.text_input  # the form closed
    (method,) = get_customer(customer.id).payment_methods
    assert (method.reference, method.last4, method.is_default) == ("pm_123", "4242", True)


def test_a_card_has_brand_last4_and_expiry_other_types_do_not(app, customer):
    open_profile(app, customer.id)
    p = prefix(customer.id)
    app.button(key=f"{p}.newbtn").click().run()
    card_fields = {f"{p}.new.{k}" for k in ("brand", "last4", "exp_month", "exp_year")}
    assert card_fields <= {t.key for t in app.text_input}
    app.selectbox(key=f"{p}.new.method_type").select("sepa_debit").run()
    keys = {t.key for t in app.text_input}
    assert not card_fields & keys
    assert {f"{p}.new.reference", f"{p}.new.holder_name", f"{p}.new.bank_name"} <= keys
    app.selectbox(key=f"{p}.new.provider").select("gocardless")
    app.text_input(key=f"{p}.new.reference").input("MD000999XYZ")
    app.text_input(key=f"{p}.new.bank_name").input("Deutsche Bank")
    app.button(key=f"{p}.new.submit").click().run()
    assert "SEPA Direct Debit · Deutsche Bank · GoCardless · MD000999XYZ  :blue-badge[Default]" \
        in section_lines(app)


def test_errors_show_under_their_fields_and_nothing_is_added(app, customer):
    open_profile(app, customer.id)
    p = prefix(customer.id)
    app.button(key=f"{p}.newbtn").click().run()
    app.selectbox(key=f"{p}.new.provider").select("stripe")
    app.text_input(key=f"{p}.new.reference").input("visa card")
    app.text_input(key=f"{p}.new.last4").input("42")
    app.text_input(key=f"{p}.new.exp_month").input("13")
    app.text_input(key=f"{p}.new.exp_year").input("2027")
    app.button(key=f"{p}.new.submit").click().run()
    assert not app.toast
    errors = texts(app.error)
    assert any("Method reference at Stripe must look like pm_" in e for e in errors)
    assert any("Last 4 digits must be exactly four digits" in e for e in errors)
    assert any("Expiry month must be a month from 1 to 12" in e for e in errors)
    assert app.text_input(key=f"{p}.new.last4").value == "42"  # what was typed stays
    assert get_customer(customer.id).payment_methods == []
    # Each message sits in the column of its field, under it.
    last4_column = next(c for c in app.columns
                        if any(t.key == f"{p}.new.last4" for t in c.text_input))
    assert texts(last4_column.error) == ["Last 4 digits must be exactly four digits, such as "
                                         "4242."]


def test_edit_and_make_default(app, customer):
    methods = with_methods(customer.id, VISA, AMEX)
    amex = methods["pm_amex0005"]
    open_profile(app, customer.id)
    p = prefix(customer.id)
    assert f"{p}.default{methods['pm_visa4242'].id}" not in {b.key for b in app.button}
    app.button(key=f"{p}.default{amex.id}").click().run()
    assert "Default payment method changed." in texts(app.toast)
    assert section_lines(app)[0].startswith("Amex •••• 0005")  # the default comes first
    assert get_customer(customer.id).payment_methods[1].is_default
    app.button(key=f"{p}.editbtn{amex.id}").click().run()
    assert app.text_input(key=f"{p}.edit{amex.id}.last4").value == "0005"
    app.text_input(key=f"{p}.edit{amex.id}.holder_name").input("Grace Hopper")
    app.button(key=f"{p}.edit{amex.id}.submit").click().run()
    assert "Payment method saved." in texts(app.toast)
    assert shown(app.caption, "Holder: Grace Hopper")


def test_removing_the_default_asks_which_method_becomes_default(app, customer):
    methods = with_methods(customer.id, VISA, SEPA, AMEX)
    visa, sepa = methods["pm_visa4242"], methods["MD000123ABC"]
    open_profile(app, customer.id)
    p = prefix(customer.id)
    app.button(key=f"{p}.remove{visa.id}").click().run()
    assert shown(app.markdown, "Remove Visa •••• 4242 · expires 08/99 · Stripe · pm_visa4242 "
                               "from Acme Analytics GmbH's payment methods? It is the default")
    choice = app.selectbox(key=f"{p}.removing.new_default")
    assert choice.options == ["SEPA Direct Debit · Deutsche Bank · GoCardless · MD000123ABC",
                              "Amex •••• 0005 · expires 01/98 · Stripe · pm_amex0005"]
    choice.select(sepa.id)
    app.button(key=f"{p}.removing.go").click().run()
    assert "Payment method removed." in texts(app.toast)
    left = {m.reference: m.is_default for m in get_customer(customer.id).payment_methods}
    assert left == {"MD000123ABC": True, "pm_amex0005": False}
    # A method that is not the default goes without the question.
    app.button(key=f"{p}.remove{methods['pm_amex0005'].id}").click().run()
    assert not [s for s in app.selectbox if s.key == f"{p}.removing.new_default"]
    app.button(key=f"{p}.removing.cancel").click().run()
    assert len(get_customer(customer.id).payment_methods) == 2


def test_revoke_asks_first_and_marks_the_method(app, customer):
    methods = with_methods(customer.id, VISA, AMEX)
    amex = methods["pm_amex0005"]
    open_profile(app, customer.id)
    p = prefix(customer.id)
    app.button(key=f"{p}.revoke{amex.id}").click().run()
    assert shown(app.markdown, "Revoke Amex •••• 0005")
    app.button(key=f"{p}.revoking.cancel").click().run()
    assert get_customer(customer.id).payment_methods[1].revoked_at is None
    app.button(key=f"{p}.revoke{amex.id}").click().run()
    app.button(key=f"{p}.revoking.go").click().run()
    assert "Payment method revoked." in texts(app.toast)
    assert any(line.endswith(":gray-badge[Revoked]") for line in section_lines(app))
    keys = {b.key for b in app.button}
    assert f"{p}.revoke{amex.id}" not in keys and f"{p}.default{amex.id}" not in keys


def test_auto_pay_without_a_usable_default_is_refused_and_warned_about(app, customer):
    open_profile(app, customer.id)
    section = f"profile.{customer.id}.business_information"
    app.button(key=f"{section}.edit").click().run()
    app.checkbox(key=f"{section}.auto_pay").check()
    app.button(key=f"{section}.save").click().run()
    auto_pay = next(c for c in app.columns
                    if any(b.key == f"{section}.auto_pay" for b in c.checkbox))
    assert texts(auto_pay.error) == [NO_METHOD]  # under Auto Pay
    assert not get_customer(customer.id).auto_pay
    assert not shown(app.warning, "Auto Pay is on")

    visa = with_methods(customer.id, VISA)["pm_visa4242"]
    update_section(customer.id, S.BUSINESS_INFORMATION, {"auto_pay": True}, version=None,
                   actor=ACTOR)
    app = open_profile(app, customer.id)
    assert not shown(app.warning, "Auto Pay is on")
    revoke_payment_method(visa.id, actor=ACTOR)
    app.run()
    assert shown(app.warning, "Auto Pay is on, but the default payment method (Visa •••• "
                              "4242 · 08/99) is revoked: nothing can be charged automatically.")
    assert header_fact(app, "Default payment method") == "Visa •••• 4242 · 08/99 (Revoked)"


def test_history_labels_payment_method_events(app, customer):
    with_methods(customer.id, VISA)
    open_profile(app, customer.id)
    frame = app.dataframe[0].value
    assert "Added payment method" in list(frame["What"])


def test_an_archived_customers_methods_read_only(app, customer):
    with_methods(customer.id, VISA, AMEX)
    archive_customer(customer.id, actor=ACTOR)
    open_profile(app, customer.id)
    assert len(section_lines(app)) == 2
    assert not [b for b in app.button if str(b.key).startswith(prefix(customer.id))]


def test_a_viewer_reads_the_methods_and_changes_nothing(app_db, configured):
    customer = make_customer()
    with_methods(customer.id, VISA)
    configured(local_user="vera@example.com")  # no role granted: a viewer
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    open_profile(at, customer.id)
    assert section_lines(at) == ["Visa •••• 4242 · expires 08/99 · Stripe · pm_visa4242  "
                                 ":blue-badge[Default]"]
    assert [b.label for b in at.main.button] == []


def test_expiring_and_expired_cards_are_badged(app, customer):
    today = autopay.today()
    with_methods(customer.id, VISA,
                 {**AMEX, "exp_month": today.month, "exp_year": today.year},
                 {**AMEX, "reference": "pm_old", "exp_month": 1, "exp_year": 2020})
    open_profile(app, customer.id)
    lines = section_lines(app)
    assert lines[0].endswith("pm_visa4242  :blue-badge[Default]")
    assert lines[1].endswith("pm_amex0005  :orange-badge[Expiring soon]")
    assert lines[2] == "Amex •••• 0005 · expires 01/20 · Stripe · pm_old  :red-badge[Expired]"


def test_what_people_typed_shows_as_typed(app, customer):
    typed = "[click](http://evil.example) **b** <i>x</i>"
    with_methods(customer.id, {**VISA, "brand": "<b>Visa</b>", "holder_name": typed})
    open_profile(app, customer.id)
    assert section_lines(app)[0].startswith("<b>Visa</b> •••• 4242")
    assert shown(app.caption, f"Holder: {typed}")
    assert md_escape(f"Holder: {typed}") in [c.value for c in app.caption]  # never a link
