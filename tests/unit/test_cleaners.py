"""Every kind's cleaner, without a database: a table of values it takes (and what they
become) and values it refuses (and a fragment of the message, which names the field)."""

from datetime import date
from decimal import Decimal

import pytest

from models.fields import FieldSpec
from models.kinds import KINDS, TYPED, Kind
from services.cleaners import CLEANERS, FieldError, clean, clean_value, values_remembered
from services.errors import ValidationError

GOOD: dict[Kind, list[tuple[object, object]]] = {
    Kind.TEXT: [("  Acme  ", "Acme"), ("Zoë ✓ 株式会社", "Zoë ✓ 株式会社")],
    Kind.LONG_TEXT: [("one\r\ntwo\tthree", "one\ntwo\tthree")],
    Kind.EMAIL: [("Ada@Example.COM", "Ada@example.com")],
    Kind.EMAIL_OR_DOMAIN: [("Ada@Example.com", "ada@example.com"),
                           ("@Acme.Example", "@acme.example")],
    Kind.URL: [("https://crm.example/a?b=1", "https://crm.example/a?b=1")],
    Kind.TAX_ID: [(" DE123 ", "DE123")],
    Kind.ALIAS: [("cafe\u0301", "caf\u00e9")],
    Kind.STATE: [("CA", "CA")],
    Kind.COUNTRY: [("de", "DE"), ("Germany", "DE"), (" côte d'ivoire ", "CI")],
    Kind.CURRENCY: [("eur", "EUR")],
    Kind.INTEGER: [("1,200", 1200), (12, 12), (12.0, 12), ("-7", -7)],
    Kind.DECIMAL: [("12.500", Decimal("12.5")), (3, Decimal(3))],
    Kind.PERCENT: [("8.875%", Decimal("8.875")), ("0", Decimal("0.00")), (19, Decimal("19.00"))],
    Kind.PAYMENT_TERMS: [("Net 45", 45), ("30", 30), (0, 0)],
    Kind.DATE: [("2027-03-31", date(2027, 3, 31)), ("2027-03-31T10:00:00", date(2027, 3, 31))],
    Kind.BOOL: [("Yes", True), ("off", False), (True, True), ("0", False)],
    Kind.CHOICE: [("smb", "SMB")],
    Kind.MULTI_CHOICE: [("smb, Enterprise, SMB", ["SMB", "Enterprise"]), (["SMB"], ["SMB"])],
    Kind.INVOICING_FLOW: [("Customer Desk", "customer_desk"), ("customer_desk", "customer_desk")],
    Kind.LEGAL_ENTITY: [("7", 7)],
    Kind.CUSTOMER: [("12", 12), (12, 12), (" #12 ", 12)],
    Kind.FIELD_KEY: [("contract_end", "contract_end")],
    Kind.CUSTOMER_TYPE: [("Individual", "individual"), ("company", "company")],
    Kind.TAX_EXEMPTION: [("Reverse charge", "reverse_charge"), ("EXEMPT", "exempt"),
                         ("reverse", "reverse_charge")],  # Stripe's word
    Kind.PHONE: [("+49 30 901820", "+4930901820"), ("0044 20 7946 0958", "+442079460958"),
                 ("+1 (202) 555-0143", "+12025550143")],
    Kind.LANGUAGE: [("de-DE", "de_DE"), ("French (Canada)", "fr_CA"), ("en", "en")],
    Kind.TIMEZONE: [("europe/berlin", "Europe/Berlin"), ("America/New_York", "America/New_York")],
    Kind.DAYS: [("7", 7), ("14 days", 14), (0, 0)],
}
BAD: dict[Kind, list[tuple[object, str]]] = {
    Kind.TEXT: [("a\u202eb", "text-direction"), ("x" * 201, "at most 200"), (5, "must be text")],
    Kind.LONG_TEXT: [("bad\x00", "control characters")],
    Kind.EMAIL: [("not-an-email", "not a valid email")],
    Kind.EMAIL_OR_DOMAIN: [("@", "is not a domain"), ("nobody", "not a valid email")],
    Kind.URL: [("javascript:alert(1)", "web address"), ("https://a b.example", "web address")],
    Kind.TAX_ID: [("DE\n1", "line breaks")],
    Kind.ALIAS: [("a\u200bb", "ZERO WIDTH SPACE"), ("a\ud800", "unpaired surrogate")],
    Kind.STATE: [("\x00", "control characters")],
    Kind.COUNTRY: [("XX", "ISO 3166-1"), ("Germania", "ISO 3166-1")],
    Kind.CURRENCY: [("EURO", "ISO 4217")],
    Kind.INTEGER: [("12.5", "whole number"), (True, "whole number"), ("1e3", "whole number"),
                   (10**15 + 1, "between")],
    Kind.DECIMAL: [("NaN", "between"), ("abc", "such as 12.5"), ("0.1234567", "6 decimal")],
    Kind.PERCENT: [("101", "between 0 and 100"), ("-1", "between 0 and 100"),
                   ("Infinity", "a number"), ("8.87501", "decimal places")],
    Kind.PAYMENT_TERMS: [("Net 500", "between Net"), ("soon", "Net 30"), (7.5, "whole number")],
    Kind.DATE: [("31/03/2027", "such as 2027-03-31"), ("2027-02-30", "such as 2027-03-31")],
    Kind.BOOL: [("maybe", "yes or no")],
    Kind.CHOICE: [("Galactic", "must be one of: SMB, Enterprise")],
    Kind.MULTI_CHOICE: [("SMB, Galactic", "must be one of")],
    Kind.INVOICING_FLOW: [("fax", "must be one of")],
    Kind.CUSTOMER: [("Acme", "must be a customer's ID"), (True, "must be a customer's ID"),
                    ("0", "customer #0 does not exist"), (str(2**31), "does not exist")],
    Kind.LEGAL_ENTITY: [("acme", "chosen from the list"), ("0", "does not exist"),
                        (True, "chosen from the list"), (str(2**31), "does not exist")],
    Kind.FIELD_KEY: [("Contract End", "lower-case letter"), ("x" * 41, "lower-case letter")],
    Kind.CUSTOMER_TYPE: [("household", "must be one of: Company, Individual")],
    Kind.TAX_EXEMPTION: [("partial", "must be one of: None, Exempt, Reverse charge")],
    Kind.PHONE: [("030 901820", "country code"), ("+49 12", "not a valid phone number"),
                 ("call me", "country code"), ("+49 30\n901820", "line breaks")],
    Kind.LANGUAGE: [("Klingon", "such as de_DE"), ("xx_YY", "such as de_DE")],
    Kind.TIMEZONE: [("Mars/Olympus", "IANA time zone"), ("CET ", "IANA time zone")],
    Kind.DAYS: [("366", "between 0 and 365"), ("-1", "between 0 and 365"),
                ("a week", "whole number")],
}


def spec(kind: Kind, *, required: bool = False) -> FieldSpec:
    return FieldSpec(key="f", label="The Field", kind=kind, section="s", help="", model="M",
                     attr="f", max_length=200 if kind is Kind.TEXT else None,
                     options=("SMB", "Enterprise"), required=required)


def test_every_typed_kind_has_a_cleaner_and_a_row_in_these_tables():
    assert set(CLEANERS) == TYPED == set(GOOD) == set(BAD)
    assert not {Kind.ID, Kind.STATUS, Kind.DATETIME} & set(CLEANERS)
    assert all(KINDS[k].typed for k in CLEANERS)


@pytest.mark.parametrize(("kind", "raw", "cleaned"),
                         [(k, raw, out) for k, rows in GOOD.items() for raw, out in rows])
def test_a_good_value_is_cleaned(kind, raw, cleaned):
    assert clean_value(spec(kind), raw) == cleaned


@pytest.mark.parametrize(("kind", "raw", "fragment"),
                         [(k, raw, f) for k, rows in BAD.items() for raw, f in rows])
def test_a_bad_value_is_refused_naming_the_field(kind, raw, fragment):
    with pytest.raises(FieldError) as caught:
        clean_value(spec(kind), raw)
    assert fragment in str(caught.value)
    assert "The Field" in str(caught.value) or kind is Kind.ALIAS


@pytest.mark.parametrize("kind", sorted(TYPED))
def test_blank_is_none_when_optional_and_refused_when_required(kind):
    for blank in (None, "", "   ", float("nan")):
        assert clean_value(spec(kind), blank) is None
    with pytest.raises(FieldError, match="The Field is required"):
        clean_value(spec(kind, required=True), " ")


def test_clean_reports_every_refused_field_at_once():
    specs = [FieldSpec("a", "A", Kind.INTEGER, "s", "", "M", "a"),
             FieldSpec("b", "B", Kind.COUNTRY, "s", "", "M", "b"),
             FieldSpec("c", "C", Kind.TEXT, "s", "", "M", "c")]
    with pytest.raises(ValidationError) as caught:
        clean(specs, {"a": "x", "b": "XX", "c": "fine"})
    assert set(caught.value.errors) == {"a", "b"}


@pytest.mark.parametrize(("kind", "raw", "cleaned"),
                         [(k, raw, out) for k, rows in GOOD.items() for raw, out in rows])
def test_a_value_remembered_is_cleaned_the_same_the_second_time(kind, raw, cleaned):
    field = spec(kind)
    with values_remembered():
        assert clean_value(field, raw) == cleaned
        assert clean_value(field, raw) == cleaned


@pytest.mark.parametrize(("kind", "raw", "fragment"),
                         [(k, raw, f) for k, rows in BAD.items() for raw, f in rows])
def test_a_value_remembered_is_refused_again_with_the_same_message(kind, raw, fragment):
    field = spec(kind)
    with values_remembered():
        messages = []
        for _ in range(2):
            with pytest.raises(FieldError) as caught:
                clean_value(field, raw)
            messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert fragment in messages[0]


def test_a_text_remembered_for_one_field_is_not_another_fields_answer():
    country = FieldSpec("country", "Country", Kind.COUNTRY, "s", "", "M", "country")
    currency = FieldSpec("currency", "Billing Currency", Kind.CURRENCY, "s", "", "M", "currency")
    name = FieldSpec("name", "Customer Name", Kind.TEXT, "s", "", "M", "name", required=True)
    with values_remembered():
        assert clean_value(country, "DE") == "DE"
        with pytest.raises(FieldError, match="^Billing Currency must be an ISO 4217"):
            clean_value(currency, "DE")
        with pytest.raises(FieldError, match="^Country must be an ISO 3166-1"):
            clean_value(country, "EUR")
        assert clean_value(currency, "EUR") == "EUR"
        assert clean_value(country, "") is None
        with pytest.raises(FieldError, match="^Customer Name is required"):
            clean_value(name, "")


def test_a_list_remembered_is_a_new_list_for_each_value():
    """A multiple choice cleans to a list, which one customer's values could change: each
    value gets its own."""
    field = spec(Kind.MULTI_CHOICE)
    with values_remembered():
        first, second = clean_value(field, "SMB, Enterprise"), clean_value(field, "SMB, Enterprise")
    assert first == second == ["SMB", "Enterprise"]
    assert first is not second
