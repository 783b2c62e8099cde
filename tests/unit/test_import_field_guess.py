"""A column that becomes a custom field from the Import page: the type guessed from its
values, and the field made from it (services.import_field_guess, import_new_fields)."""

import pytest
from sqlmodel import select

from models.audit import AuditEvent
from models.kinds import Kind
from services import custom_fields as cf
from services.access import EDITOR, AccessDenied, Actor
from services.db import read_session
from services.errors import ValidationError
from services.import_field_guess import (
    GUESS_ROWS,
    KIND_CHOICES,
    column_values,
    guess_kind,
    sampled_column,
)
from services.import_new_fields import add_field_for_column, key_for
from tests.unit.factories import admin


@pytest.mark.parametrize(("values", "kind"), [
    (["true", "false", "", None], Kind.BOOL),
    (["Yes", "no"], Kind.BOOL),
    (["0", "1", "1"], Kind.INTEGER),
    (["12", "1,200", "-3"], Kind.INTEGER),
    (["12.5", "3", "0.125"], Kind.DECIMAL),
    (["2024-01-31", "2023-12-01 10:22:00"], Kind.DATE),
    (["ap@acme.example", "billing@globex.example"], Kind.EMAIL),
    (["https://acme.example", "http://globex.example/a?b=c"], Kind.URL),
    (["Gold", "Silver", "12"], Kind.TEXT),
    (["12%", "7.5%"], Kind.TEXT),  # no custom field holds a percent: the sign stays text
    (["DE", "FR"], Kind.TEXT),  # nor a country
    (["Line one\nLine two", "x"], Kind.LONG_TEXT),
    (["", None, "  "], Kind.TEXT),
    (["ap@acme.example", "not an email"], Kind.TEXT),
    (["2024-01-31", "31/01/2024"], Kind.TEXT),
])
def test_the_guess_is_the_most_specific_type_every_value_fits(values, kind):
    assert guess_kind(values) == kind


def test_a_guess_is_always_a_type_the_page_offers():
    assert {guess_kind(v) for v in (["1"], ["x"], ["a\nb"], ["yes"], [])} <= set(KIND_CHOICES)
    assert Kind.CHOICE not in KIND_CHOICES  # a select field needs options typed in Settings


def test_a_column_is_read_from_short_rows_too():
    assert column_values(["A", "B"], [["1", "2"], ["3"]], "B") == ["2", None]


@pytest.mark.parametrize(("label", "taken", "key"), [
    ("Contract end", set(), "contract_end"),
    ("Müller Größe", set(), "muller_groe"),
    ("2024 revenue", set(), "field_2024_revenue"),
    ("!!!", set(), "field"),
    ("Seats", {"seats", "seats_2"}, "seats_3"),
    ("x" * 60, {"x" * 40}, "x" * 38 + "_2"),
])
def test_a_fields_key_is_made_from_its_label(label, taken, key):
    assert key_for(label, taken) == key


@pytest.mark.usefixtures("database")
def test_an_admin_makes_a_field_from_a_column_and_it_is_audited():
    key = add_field_for_column("Delinquent", "bool", actor=admin("ada@example.com"))
    assert key == "cf_delinquent"
    (field,) = cf.definitions()
    assert (field.label, field.kind) == ("Delinquent", "bool")
    again = add_field_for_column("Delinquent (2)", "text", actor=admin("ada@example.com"))
    assert again == "cf_delinquent_2"
    with read_session() as session:
        added = session.exec(select(AuditEvent).where(AuditEvent.action == "custom_field.added"))
        assert [(e.actor, e.changes["label"][1]) for e in added] == [
            ("ada@example.com", "Delinquent"), ("ada@example.com", "Delinquent (2)")]


@pytest.mark.usefixtures("database")
def test_a_taken_label_or_an_unknown_type_is_refused_by_name():
    add_field_for_column("Plan", "text", actor=admin("ada@example.com"))
    with pytest.raises(ValidationError) as taken:
        add_field_for_column("plan", "text", actor=admin("ada@example.com"))
    assert 'custom field labelled "plan" exists already' in taken.value.errors["label"]
    with pytest.raises(ValidationError) as kind:
        add_field_for_column("Tier", "choice", actor=admin("ada@example.com"))
    assert "Type must be one of" in kind.value.errors["kind"]
    with pytest.raises(ValidationError) as builtin:
        add_field_for_column("Customer Name", "text", actor=admin("ada@example.com"))
    assert "built-in field" in builtin.value.errors["label"]
    assert [f.label for f in cf.definitions()] == ["Plan"]


@pytest.mark.usefixtures("database")
def test_an_editor_may_not_make_a_field():
    with pytest.raises(AccessDenied, match="admins only"):
        add_field_for_column("Plan", "text", actor=Actor("eddie@example.com", EDITOR))
    assert cf.definitions() == []


def test_the_guess_reads_the_columns_first_thousand_rows_not_just_the_preview(tmp_path):
    """Seats are numbers in the first rows a preview shows, "unlimited" further down: the
    guess is text, so the dry run does not refuse the later rows."""
    path = tmp_path / "accounts.csv"
    rows = ["Name,Seats", *(f"Account {n},{n}" for n in range(50)), "Account X,unlimited",
            *(f"Account {n},{n}" for n in range(50, GUESS_ROWS + 500))]
    path.write_text("\n".join(rows), encoding="utf-8")
    values = sampled_column(path, None, "Seats")
    assert len(values) == GUESS_ROWS
    assert guess_kind(values) == Kind.TEXT
    assert guess_kind(values[:5]) == Kind.INTEGER
