"""About 200 realistic customers for a first look at an empty database.

They go through the same create service as the pages, so every rule and the
audit log hold for them too. Most have a payment method (Stripe cards, SEPA and Bacs
mandates at GoCardless, ACH accounts, bank transfers), some cards expired or expiring
this month, and Auto Pay is on only where a usable default allows it; a few Auto Pay
customers then have their card revoked, as the grid's "Auto Pay without a usable payment
method" filter is there to find.
"""

import random
import string
from datetime import date

import phonenumbers
from faker import Faker
from sqlmodel import func, select
from stdnum import luhn
from stdnum.iso7064 import mod_11_10

from models.choices import InvoicingFlow
from models.customer import Customer
from services import autopay, reference
from services.access import ADMIN, Actor
from services.aliases import add_alias
from services.contacts import add_contact
from services.customers import create_customer, update_business_information
from services.db import read_session
from services.families import set_parent
from services.legal_entities import create_legal_entity, list_legal_entities
from services.payment_methods import add_payment_method, is_usable, revoke_payment_method

DEMO_ACTOR = Actor("demo-data", ADMIN)
NO_CONTACT_SHARE = 0.04  # companies from a CRM export, which carries no billing email

MARKETS = {
    "US": ("en_US", "Meterly Inc."),
    "CA": ("en_CA", "Meterly Inc."),
    "BR": ("pt_BR", "Meterly Inc."),
    "JP": ("ja_JP", "Meterly Inc."),
    "AU": ("en_AU", "Meterly Inc."),
    "IN": ("en_IN", "Meterly Inc."),
    "DE": ("de_DE", "Meterly GmbH"),
    "FR": ("fr_FR", "Meterly GmbH"),
    "NL": ("nl_NL", "Meterly GmbH"),
    "GB": ("en_GB", "Meterly Ltd"),
}
WEIGHTS = {"US": 30, "DE": 15, "GB": 15, "FR": 8, "NL": 6, "CA": 8, "AU": 6, "JP": 4, "IN": 4,
           "BR": 4}
TAX_RATES = {"US": ["0", "7.25", "8.875", "6.5"], "DE": ["19"], "FR": ["20"], "NL": ["21"],
             "GB": ["20"], "CA": ["5", "13"], "AU": ["10"], "JP": ["10"], "IN": ["18"],
             "BR": ["0"]}


BRANDS = {"Visa": 50, "Mastercard": 35, "American Express": 10, "Discover": 5}
BANKS = {"DE": ["Deutsche Bank", "Commerzbank", "Sparkasse KölnBonn"], "FR": ["BNP Paribas",
         "Crédit Agricole"], "NL": ["ING", "Rabobank"], "GB": ["Barclays", "HSBC UK"],
         "US": ["Chase", "Bank of America"]}
JOB_TITLES = ["Head of Finance", "Accounts Payable", "Controller", "CFO", "Billing Manager"]
DEBITS = {"DE": "sepa_debit", "FR": "sepa_debit", "NL": "sepa_debit", "GB": "bacs_debit"}


def _token(rng: random.Random, size: int, alphabet: str = string.ascii_letters + string.digits
           ) -> str:
    return "".join(rng.choice(alphabet) for _ in range(size))


def _card(rng: random.Random, holder: str, customer_ref: str, today: date) -> dict:
    """A Stripe card: its expiry spreads from half a year ago to four years ahead, so a few
    are expired and a few expire this month."""
    ahead = 0 if rng.random() < 0.06 else rng.randint(-6, 48)  # some expire this month
    year, month = divmod(today.year * 12 + today.month - 1 + ahead, 12)
    return {"provider": "stripe", "provider_customer_id": customer_ref,
            "reference": f"pm_1{_token(rng, 23)}", "method_type": "card",
            "brand": rng.choices(list(BRANDS), weights=list(BRANDS.values()))[0],
            "last4": f"{rng.randint(0, 9999):04d}", "exp_month": month + 1, "exp_year": year,
            "holder_name": holder}


def _payment_method(rng: random.Random, country: str, holder: str, customer_ref: str,
                    today: date) -> dict:
    """A card mostly; else the debit customers of the country use, or a bank transfer."""
    kind = rng.random()
    if kind < 0.65:
        return _card(rng, holder, customer_ref, today)
    if kind < 0.9 and country in DEBITS:
        return {"provider": "gocardless", "method_type": DEBITS[country],
                "reference": f"MD{_token(rng, 12, string.ascii_uppercase + string.digits)}",
                "bank_name": rng.choice(BANKS[country]), "holder_name": holder}
    if kind < 0.9 and country == "US":
        return {"provider": "stripe", "provider_customer_id": customer_ref,
                "method_type": "ach_debit", "reference": f"ba_1{_token(rng, 23)}",
                "bank_name": rng.choice(BANKS["US"]), "holder_name": holder}
    return {"provider": "manual", "method_type": "bank_transfer",
            "reference": f"transfer-{_token(rng, 8, string.digits)}"}


def _default(customer):
    return next((m for m in customer.payment_methods if m.is_default), None)


def _add_payment_methods(rng: random.Random, customer, values: dict, today: date):
    """Four customers in five get a method, one in ten of those a spare card. Returns the
    customer as committed."""
    if rng.random() >= 0.8:
        return customer
    holder = f"{values['primary_contact_first_name']} {values['primary_contact_last_name']}"
    customer_ref = values["external_ids"][0]["value"]
    methods = [_payment_method(rng, values["country"], holder, customer_ref, today)]
    if rng.random() < 0.1:
        methods.append(_card(rng, holder, customer_ref, today))
    for method in methods:
        customer = add_payment_method(customer.id, method, version=customer.version,
                                      actor=DEMO_ACTOR)
    return customer


def has_customers() -> bool:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(Customer)).one() > 0


# The platform's entities, one per home market: a customer of the US, Germany or the UK
# is billed under its country's entity by default (services.entity_defaults); the other
# markets name theirs.
ENTITIES = {
    "Meterly Inc.": {"country": "US", "address_line1": "548 Market Street", "city":
                     "San Francisco", "state": "CA", "postal_code": "94104",
                     "tax_id": "46-4611155", "timezone": "America/Los_Angeles"},
    "Meterly GmbH": {"country": "DE", "address_line1": "Friedrichstraße 68", "city": "Berlin",
                     "state": "BE", "postal_code": "10117", "tax_id": "DE136695976",
                     "timezone": "Europe/Berlin"},
    "Meterly Ltd": {"country": "GB", "address_line1": "1 Long Acre", "city": "London",
                    "postal_code": "WC2E 9LH", "tax_id": "GB980780684",
                    "timezone": "Europe/London"},
}


def _legal_entities() -> dict[str, int]:
    existing = {e.name: e.id for e in list_legal_entities()}
    for name in ENTITIES.keys() - set(existing):
        existing[name] = create_legal_entity({"name": name, **ENTITIES[name]},
                                             actor=DEMO_ACTOR).id
    return existing


def _german_vat(rng: random.Random) -> str:
    base = str(rng.randint(10_000_000, 99_999_999))
    return f"DE{base}{mod_11_10.calc_check_digit(base)}"


def _french_vat(rng: random.Random) -> str:
    base = str(rng.randint(10_000_000, 99_999_999))
    siren = base + luhn.calc_check_digit(base)
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def _phone(fake: Faker, country: str) -> str | None:
    """Faker's number for the country in E.164, when the phone rules accept it."""
    try:
        number = phonenumbers.parse(fake.phone_number(), country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _billing_profile(rng: random.Random, country: str, fake: Faker) -> dict:
    """Tax treatment, phone, grace period and shipping: French customers of the German
    entity are often reverse charge, a few US ones exempt non-profits; some ship elsewhere."""
    values: dict = {"phone": _phone(fake, country),
                    "invoice_grace_days": rng.choice([0, 0, 0, 3, 7])}
    if country == "FR" and rng.random() < 0.6:
        values.update(tax_exemption="reverse_charge", tax_id=_french_vat(rng), tax_rate="0")
    elif country == "US" and rng.random() < 0.08:
        values.update(tax_exemption="exempt", tax_rate="0",
                      tax_exemption_reason="Non-profit organisation (501(c)(3))",
                      tax_exemption_certificate=f"EX-{rng.randint(100000, 999999)}")
    if rng.random() < 0.1:
        subdivisions = list(reference.subdivisions(country))
        values.update(shipping_same_as_billing=False, shipping_country=country,
                      shipping_address_line1=fake.street_address().replace("\n", ", ")[:200],
                      shipping_city=fake.city()[:100],
                      shipping_state=rng.choice(subdivisions) if subdivisions else None,
                      shipping_postal_code=fake.postcode()[:20])
    return values


def _customer_values(rng: random.Random, country: str, fake: Faker,
                     entity_id: int | None) -> dict:
    individual = rng.random() < 0.12
    company = fake.name() if individual else fake.company()
    domain = "".join(ch for ch in company.lower() if ch.isascii() and ch.isalnum())[:20]
    domain = f"{domain or 'customer'}{rng.randint(1, 999)}.example"
    subdivisions = list(reference.subdivisions(country))
    values = {
        "name": company,
        "customer_type": "individual" if individual else "company",
        "primary_contact_first_name": fake.first_name(),
        "primary_contact_last_name": fake.last_name(),
        "primary_contact_email": f"billing@{domain}",
        "country": country,
        "currency": reference.default_currency(country),
        "address_line1": fake.street_address().replace("\n", ", ")[:200],
        "city": fake.city()[:100],
        "state": rng.choice(subdivisions) if subdivisions else None,
        "postal_code": fake.postcode()[:20],
        "tax_rate": rng.choice(TAX_RATES[country]),
        "tax_id": _german_vat(rng) if country == "DE" and rng.random() < 0.7 else None,
        "legal_entity_id": entity_id,
        "external_ids": [{"value": f"cus_{rng.getrandbits(48):012x}", "system": "stripe"}],
    }
    return {**values, **_billing_profile(rng, country, fake)}


def _join_a_family(rng: random.Random, groups: list[int], customer):
    """About one customer in sixteen heads a group; one in seven after it joins one of the
    three latest groups, half of them invoiced through the parent."""
    if rng.random() < 0.06:
        groups.append(customer.id)
    elif groups and rng.random() < 0.15:
        return set_parent(customer.id, rng.choice(groups[-3:]), version=customer.version,
                          actor=DEMO_ACTOR, invoice_to_parent=rng.random() < 0.5)
    return customer


def seed_demo_customers(count: int = 200, *, seed: int = 7, progress=None) -> int:
    """Create `count` demo customers; returns how many were created."""
    rng = random.Random(seed)
    Faker.seed(seed)
    fakers = {country: Faker(locale) for country, (locale, _) in MARKETS.items()}
    entities = _legal_entities()
    countries = list(WEIGHTS)
    today = autopay.today()
    # Families draw from their own sequence, so the rest of the book stays as it was seeded;
    # so do the companies that came from a CRM export without a billing contact.
    family_rng, groups = random.Random(seed + 1), []
    crm_rng = random.Random(seed + 2)
    for index in range(count):
        country = rng.choices(countries, weights=[WEIGHTS[c] for c in countries])[0]
        fake = fakers[country]
        entity = MARKETS[country][1]
        own = ENTITIES[entity]["country"] == country  # then the default picks it
        values = _customer_values(rng, country, fake, None if own else entities[entity])
        given = values
        if values["customer_type"] == "company" and crm_rng.random() < NO_CONTACT_SHARE:
            given = {k: v for k, v in values.items() if not k.startswith("primary_contact_")}
        customer = create_customer(given, actor=DEMO_ACTOR)
        customer = _join_a_family(family_rng, groups, customer)
        customer = _add_payment_methods(rng, customer, values, today)
        default = _default(customer)
        chargeable = default is not None and is_usable(default)
        if rng.random() < 0.4 or chargeable and rng.random() < 0.3:
            customer = update_business_information(
                customer.id,
                {"payment_terms_days": rng.choice([0, 15, 45, 60]),
                 "auto_pay": chargeable and rng.random() < 0.7,
                 "invoicing_flow": rng.choice(list(InvoicingFlow)).value},
                version=customer.version, actor=DEMO_ACTOR,
            )
            if customer.auto_pay and rng.random() < 0.12:
                revoke_payment_method(default.id, version=customer.version, actor=DEMO_ACTOR)
        if rng.random() < 0.3:
            domain = values["primary_contact_email"].split("@")[1]
            add_contact(customer.id, {"first_name": fake.first_name(),
                                      "last_name": fake.last_name(),
                                      "email": f"finance{index}@{domain}",
                                      "job_title": rng.choice(JOB_TITLES),
                                      "phone": _phone(fake, country),
                                      "email_billing": True, "email_updates": False,
                                      "email_legal": rng.random() < 0.5},
                        actor=DEMO_ACTOR)
        if rng.random() < 0.2:
            add_alias(customer.id, f"sf-{rng.getrandbits(32):08x}", "salesforce",
                      actor=DEMO_ACTOR)
        if progress:
            progress((index + 1) / count)
    return count
