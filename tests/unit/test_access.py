"""Roles are enforced in the services: whatever calls them (a page, the API, an import)."""

import pytest
from sqlmodel import func, select

from models import AuditEvent, Customer, LegalEntity, RoleGrant
from services import roles
from services.access import ADMIN, EDITOR, VIEWER, AccessDenied, Actor
from services.aliases import add_alias
from services.api_keys import create_api_key
from services.bulk import bulk_update
from services.contacts import add_contact
from services.customers import archive_customer, create_customer, get_customer, update_customer
from services.db import read_session
from services.errors import ValidationError
from services.imports import VALID_ONLY, default_mapping, run_import
from services.legal_entities import create_legal_entity
from services.payment_methods import add_payment_method
from services.saved_views import save_view
from services.settings import set_tax_managed_by_integration
from tests.unit.factories import ACTOR, card_input, customer_input, make_customer

pytestmark = pytest.mark.usefixtures("database")
VIEWER_ACTOR = Actor("vera@example.com", VIEWER)
EDITOR_ACTOR = Actor("eddie@example.com", EDITOR)


def events() -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def listed(customer_id: int) -> dict[int, int]:
    """A one-row grid selection: the id with the version the list showed."""
    return {customer_id: get_customer(customer_id).version}


def editor_actions(customer_id: int, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("Customer Name,Billing Currency,Primary Contact Email\n"
                    "Imported,EUR,imp@example.com\n", encoding="utf-8")
    return {
        "create a customer": lambda a: create_customer(
            customer_input(name="Other", external_ids=["other-1"]), actor=a),
        "edit a customer": lambda a: update_customer(customer_id, {"name": "Renamed"},
                                                     version=None, actor=a),
        "add a contact": lambda a: add_contact(customer_id, {"email": "x@acme.example"},
                                               actor=a),
        "add an alias": lambda a: add_alias(customer_id, "new-alias", actor=a),
        "add a payment method": lambda a: add_payment_method(customer_id, card_input(),
                                                             actor=a),
        "import": lambda a: run_import(path, default_mapping(path), mode=VALID_ONLY, actor=a),
        "save a view": lambda a: save_view("Mine", {"q": "x"}, actor=a),
        "bulk-set payment terms": lambda a: bulk_update(listed(customer_id),
                                                        "set_payment_terms", 45, actor=a),
    }


def admin_actions(customer_id: int):
    return {
        "archive": lambda a: archive_customer(customer_id, actor=a),
        "bulk archive": lambda a: bulk_update(listed(customer_id), "archive", actor=a),
        "add a legal entity": lambda a: create_legal_entity("Meterly Ltd", actor=a),
        "change a setting": lambda a: set_tax_managed_by_integration(True, actor=a),
        "create an API key": lambda a: create_api_key("pipeline", "write", actor=a),
        "give a role": lambda a: roles.grant_role("x@example.com", EDITOR, actor=a),
    }


def test_a_viewer_changes_nothing(tmp_path):
    customer = make_customer()
    before = events()
    actions = {**editor_actions(customer.id, tmp_path), **admin_actions(customer.id)}
    for name, action in actions.items():
        with pytest.raises(AccessDenied, match="viewer role") as refused:
            action(VIEWER_ACTOR)
        assert "Nothing was changed" in str(refused.value), name
    assert events() == before
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(Customer)).one() == 1


def test_an_editor_edits_but_does_not_administer(tmp_path):
    customer = make_customer()
    for action in editor_actions(customer.id, tmp_path).values():
        action(EDITOR_ACTOR)
    before = events()
    for name, action in admin_actions(customer.id).items():
        with pytest.raises(AccessDenied, match="admins only"):
            action(EDITOR_ACTOR)
        assert events() == before, name
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(LegalEntity)).one() == 1


def test_an_admin_does_everything_and_every_event_names_the_email(tmp_path):
    customer = make_customer()
    for action in admin_actions(customer.id).values():
        action(ACTOR)
    with read_session() as session:
        actors = set(session.exec(select(AuditEvent.actor)))
    assert actors == {ACTOR.email}


def test_own_email_beats_domain_and_settings_beat_the_roles_file(tmp_path, configured):
    roles_file = tmp_path / "roles.toml"
    roles_file.write_text('[roles]\n"@example.com" = "viewer"\n"ed@example.com" = "editor"\n'
                          '"boss@example.com" = "admin"\n', encoding="utf-8")
    configured(roles_file=roles_file)
    assert roles.role_for("someone@example.com") == VIEWER
    assert roles.role_for("Ed@Example.com") == EDITOR
    assert roles.role_for("stranger@elsewhere.example") is None
    roles.grant_role("ED@example.com", ADMIN, actor=ACTOR)
    assert roles.role_for("ed@example.com") == ADMIN
    roles.grant_role("@elsewhere.example", EDITOR, actor=ACTOR)
    assert roles.actor_for("stranger@elsewhere.example") == Actor(
        "stranger@elsewhere.example", EDITOR)
    (grant,) = [g for g in roles.list_grants() if g.subject == "ed@example.com"]
    roles.revoke_role(grant.id, actor=ACTOR)
    assert roles.role_for("ed@example.com") == EDITOR
    roles_file.write_text('default = "viewer"\n', encoding="utf-8")
    assert roles.role_for("anyone@anywhere.example") == VIEWER


def test_a_broken_roles_file_is_named(tmp_path, configured):
    roles_file = tmp_path / "roles.toml"
    configured(roles_file=roles_file)
    roles_file.write_text('[roles]\n"a@example.com" = "owner"\n', encoding="utf-8")
    with pytest.raises(ValidationError, match="roles must be one of viewer, editor, admin"):
        roles.role_for("a@example.com")
    roles_file.write_text("[roles\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="is not valid TOML"):
        roles.role_for("a@example.com")


@pytest.mark.parametrize(("subject", "fragment"), [
    ("", "Email or domain is required"),
    ("not an email", "not a valid email address"),
    ("@nodot", "not a domain such as @example.com"),
])
def test_a_bad_grant_names_the_field_and_writes_nothing(subject, fragment):
    with pytest.raises(ValidationError) as refused:
        roles.grant_role(subject, EDITOR, actor=ACTOR)
    assert fragment in refused.value.errors["subject"]
    with pytest.raises(ValidationError, match="Role must be one of"):
        roles.grant_role("a@example.com", "owner", actor=ACTOR)
    with read_session() as session:
        assert session.exec(select(func.count()).select_from(RoleGrant)).one() == 0
    assert events() == 0


def test_local_mode_is_the_built_in_admin_unless_told_otherwise(configured):
    configured(local_user=None)
    assert roles.local_actor() == Actor(roles.LOCAL_ADMIN, ADMIN)
    configured(local_user="vera@example.com")
    assert roles.local_actor() == Actor("vera@example.com", VIEWER)
    roles.grant_role("vera@example.com", EDITOR, actor=ACTOR)
    assert roles.local_actor().role == EDITOR
