"""An import maps a parent by its External ID, stored or created by an earlier row of the
same file, by the family rules; an export with the Parent column re-imports to the same
families. On SQLite and PostgreSQL."""

import io

import pytest

from services.aliases import resolve_alias
from services.customer_queries import CustomerQuery
from services.customers import archive_customer, get_customer
from services.export import write_csv
from services.families import clear_parent, family, set_parent
from services.import_mapping import template_headers
from services.imports import ALL_OR_NOTHING, default_mapping, dry_run, pipeline
from tests.unit.factories import ACTOR, customer_history, make_customer
from tests.unit.test_imports import do_import, row
from tests.unit.test_imports import write_csv as file_of

pytestmark = pytest.mark.usefixtures("database")

PARENT = "Parent External ID"


def member(name: str, external_id: str, **values) -> dict:
    return row(**{"Customer Name": name, "External IDs": external_id,
                  "Primary Contact Email": f"{external_id}@acme.example", **values})


def by_external_id(external_id: str):
    return get_customer(resolve_alias(external_id).id)


def errors(report) -> dict[int, dict[str, str]]:
    return {r.line: r.errors for r in report.preview if r.action == "invalid"}


def test_the_template_names_the_parent_by_its_external_id():
    headers = template_headers()
    assert PARENT in headers and "Invoice to parent" in headers and "Parent" not in headers


def test_a_parent_created_earlier_in_the_file_and_a_stored_one(tmp_path):
    stored = make_customer(name="Stored Group", external_ids=["group"])
    path = file_of(tmp_path / "f.csv", [
        member("Holding", "hold"),
        member("North", "north", **{PARENT: "hold", "Invoice to parent": "Yes"}),
        member("South", "south", **{PARENT: "group"}),
    ])
    report = do_import(path, mode=ALL_OR_NOTHING)
    assert report.counts["new"] == 3, report.preview
    holding, north = by_external_id("hold"), by_external_id("north")
    assert (north.parent_id, north.invoice_to_parent) == (holding.id, True)
    assert by_external_id("south").parent_id == stored.id
    assert [c.name for c in family(holding.id).children] == ["North"]
    assert customer_history(north.id)[0].changes["parent_id"] == [None,
                                                                 f"Holding (#{holding.id})"]
    assert customer_history(stored.id)[0].action == "customer.child_added"


def test_a_parent_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    path = file_of(tmp_path / "f.csv", [member("Holding", "hold"), member("A", "a"),
                                        member("B", "b", **{PARENT: "hold"})])
    assert do_import(path).counts["new"] == 3
    assert by_external_id("b").parent_id == by_external_id("hold").id


def test_refused_parents_are_row_errors_naming_the_column(tmp_path):
    archived = make_customer(name="Gone", external_ids=["gone"])
    archive_customer(archived.id, actor=ACTOR)
    path = file_of(tmp_path / "f.csv", [
        member("Holding", "hold"),
        member("North", "north", **{PARENT: "hold"}),
        member("Orphan", "orphan", **{PARENT: "nobody"}),
        member("Grandchild", "grand", **{PARENT: "north"}),
        member("Self", "self", **{PARENT: "self"}),
        member("Late", "late", **{PARENT: "gone"}),
        member("Alone", "alone", **{"Invoice to parent": "Yes"}),
        member("Later", "later", **{PARENT: "unknown-later"}),
        member("Unknown later", "unknown-later"),  # a parent must come before its children
    ])
    report = dry_run(path, default_mapping(path))
    found = errors(report)
    assert 'Parent External ID "nobody" is no customer\'s External ID' in found[4][PARENT]
    assert 'Parent "north" is itself a child' in found[5][PARENT]
    assert "cannot be its own parent" in found[6][PARENT]
    assert "is archived" in found[7][PARENT]
    assert "needs a parent" in found[8]["Invoice to parent"]
    assert PARENT in found[9]
    assert report.counts["new"] == 3


def test_a_stored_parent_with_children_cannot_get_a_parent(tmp_path):
    holding = make_customer(name="Holding", external_ids=["hold"])
    child = make_customer(name="Kid", external_ids=["kid"],
                          primary_contact_email="kid@acme.example")
    set_parent(child.id, holding.id, version=child.version, actor=ACTOR)
    make_customer(name="Group", external_ids=["group"], primary_contact_email="g@acme.example")
    path = file_of(tmp_path / "f.csv", [member("Holding", "hold", **{PARENT: "group"})])
    found = errors(dry_run(path, default_mapping(path)))
    assert "This customer is a parent" in found[2][PARENT]


def test_an_export_with_the_parent_re_imports_to_the_same_family(tmp_path):
    holding = make_customer(name="Holding", external_ids=["hold"])
    child = make_customer(name="North", external_ids=["north"],
                          primary_contact_email="north@acme.example")
    set_parent(child.id, holding.id, version=child.version, actor=ACTOR,
               invoice_to_parent=True)
    out = io.BytesIO()
    write_csv(CustomerQuery(), ["name", "currency", "parent_id", "invoice_to_parent"], out)
    text = out.getvalue().decode("utf-8-sig")
    header = text.splitlines()[0]
    assert "Parent,Parent ID,Parent External ID,Invoice to parent" in header
    assert f"North,EUR,Holding,{holding.id},hold,Yes" in text
    clear_parent(child.id, version=get_customer(child.id).version, actor=ACTOR)
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8-sig")
    report = do_import(path, mode=ALL_OR_NOTHING)
    assert report.counts["updated"] == 1, report.preview
    again = get_customer(child.id)
    assert (again.parent_id, again.invoice_to_parent) == (holding.id, True)
