"""Import presets are data, one TOML file each in services/import_presets/: the Import page
offers them by name, the Customer Desk template first, and each maps a file's columns to
fields the mapping step offers. A new preset is one new file."""

import re
import shutil
from pathlib import Path

import pytest

from models.choices import SourceSystem
from services.aliases import resolve_alias
from services.import_mapping import (
    CUSTOMER_DESK,
    IGNORE,
    PRESETS,
    PRESETS_FOLDER,
    STRIPE,
    detect,
    load_presets,
    suggest,
    targets,
    template_headers,
)
from services.imports import VALID_ONLY, run_import
from tests.unit.factories import ACTOR

ACME_CRM = '''
name = "Acme CRM accounts"

[columns]
"Account ID" = "external_ids"
"Account" = "name"
"Billing E-mail" = "primary_contact_email"
"Currency" = "currency"
'''


NAMES = [(CUSTOMER_DESK, "Customer Desk template"),
         ("chargebee_customers_bulk", "Chargebee customers (bulk operation)"),
         ("chargebee_customers", "Chargebee customers export"),
         ("hubspot_companies", "HubSpot companies export"), ("lago_customers", "Lago customers"),
         ("salesforce_accounts", "Salesforce Accounts (Data Loader)"),
         ("salesforce_accounts_report", "Salesforce Accounts report"),
         (STRIPE, "Stripe customer export")]


def test_the_template_is_offered_first_then_the_others_by_name():
    assert list(PRESETS.items()) == NAMES


@pytest.mark.usefixtures("database")
def test_a_preset_dropped_in_the_folder_is_offered_and_maps_its_columns(tmp_path):
    folder = tmp_path / "presets"
    shutil.copytree(PRESETS_FOLDER, folder)
    (folder / "acme_crm.toml").write_text(ACME_CRM, encoding="utf-8")
    presets = load_presets(folder)
    assert [(key, p.name) for key, p in presets.items()] == [
        NAMES[0], ("acme_crm", "Acme CRM accounts"), *NAMES[1:]]
    path = tmp_path / "accounts.csv"
    path.write_text("Account ID,ACCOUNT,billing e-mail,Currency,Owner\n"
                    "acc-1,Globex,ap@globex.example,EUR,Hank\n", encoding="utf-8")
    mapping = presets["acme_crm"].suggest(["Account ID", "ACCOUNT", "billing e-mail",
                                           "Currency", "Owner"])
    assert mapping == {"Account ID": "external_ids", "ACCOUNT": "name",
                       "billing e-mail": "primary_contact_email", "Currency": "currency",
                       "Owner": IGNORE}
    report = run_import(path, mapping, mode=VALID_ONLY, actor=ACTOR, preset="acme_crm")
    assert report.counts["new"] == 1
    assert resolve_alias("acc-1").name == "Globex"


@pytest.mark.usefixtures("database")
@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset_maps_to_fields_the_mapping_step_offers(key):
    assert set(load_presets()[key].columns.values()) <= set(targets())


@pytest.mark.parametrize("key", [k for k in PRESETS if k != CUSTOMER_DESK])
def test_every_other_systems_preset_names_its_system_and_the_columns_that_detect_it(key):
    preset = load_presets()[key]
    assert preset.system in set(SourceSystem)
    assert preset.detect
    assert f"external_ids:{preset.system}" in preset.columns.values()


@pytest.mark.usefixtures("database")
@pytest.mark.parametrize("key", [k for k in PRESETS if k != CUSTOMER_DESK])
def test_detection_never_takes_one_preset_for_another(key):
    """A file with every column a preset reads or detects (names matched whatever their
    case) is that preset's: no other preset's detect columns are all among them."""
    preset = load_presets()[key]
    columns = list(dict.fromkeys([*preset.columns, *preset.detect]))
    assert detect(columns).preset == key
    assert detect([c.upper() for c in columns]).preset == key


@pytest.mark.usefixtures("database")
def test_the_template_preset_fills_every_column_of_the_template():
    mapping = suggest(template_headers(), CUSTOMER_DESK)
    assert IGNORE not in mapping.values()
    assert mapping["Customer Name"] == "name" and mapping["External IDs"] == "external_ids"


@pytest.mark.usefixtures("database")
def test_detection_names_the_preset_and_the_columns_that_gave_it_away():
    found = detect(["id", "Name", "Email", "Created (UTC)", "Card Brand"])
    assert found.preset == STRIPE
    assert '"id", "Created (UTC)"' in found.reason


@pytest.mark.usefixtures("database")
def test_a_file_of_our_own_labels_is_the_template_and_an_unknown_one_says_so():
    assert detect(["Customer Name", "Billing Currency"]).preset == CUSTOMER_DESK
    unknown = detect(["Colour", "Shape"])
    assert unknown.preset == CUSTOMER_DESK
    assert "No preset recognises" in unknown.reason


@pytest.mark.parametrize("key", [k for k in PRESETS if k != CUSTOMER_DESK])
def test_the_readme_lists_each_preset_with_exactly_the_columns_it_reads(key):
    preset = load_presets()[key]
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    (line,) = [line for line in readme.splitlines()
               if line.strip().startswith(f"- **{preset.name}** (`{key}`;")]
    assert {c.casefold() for c in re.findall(r"`([^`]+)` →", line)} == set(preset.columns)
    assert {c.casefold() for c in re.findall(r"`([^`]+)`", line.split("detected by")[1]
                                                              .split(":")[0])} == set(
        preset.detect)
