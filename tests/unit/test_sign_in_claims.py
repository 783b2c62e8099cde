"""Who a person signed in through the identity provider acts as, from the claims of their ID
token: an email the provider says is not verified earns no role, however it was granted."""

import pytest

from services import roles
from services.access import ADMIN, EDITOR, VIEWER, Actor
from tests.unit.factories import ACTOR

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def granted(tmp_path, configured):
    """A role for an email, one for a domain (in Settings) and a default (in the roles file)."""
    roles_file = tmp_path / "roles.toml"
    roles_file.write_text('default = "viewer"\n', encoding="utf-8")
    configured(roles_file=roles_file)
    roles.grant_role("boss@example.com", ADMIN, actor=ACTOR)
    roles.grant_role("@example.com", EDITOR, actor=ACTOR)


@pytest.mark.parametrize("email", ["boss@example.com", "someone@example.com",
                                   "stranger@elsewhere.example"])
@pytest.mark.parametrize("verified", [False, "false", "FALSE", None, 0, "no", "", [True]])
def test_an_unverified_email_earns_no_role(granted, email, verified):
    assert roles.actor_for_claims({"email": email, "email_verified": verified}) is None


@pytest.mark.parametrize("claims, actor", [
    ({"email": "boss@example.com", "email_verified": True}, Actor("boss@example.com", ADMIN)),
    ({"email": "Boss@Example.com", "email_verified": "true"}, Actor("Boss@Example.com", ADMIN)),
    ({"email": "someone@example.com"}, Actor("someone@example.com", EDITOR)),
    ({"email": "stranger@elsewhere.example", "email_verified": True},
     Actor("stranger@elsewhere.example", VIEWER)),
])
def test_a_verified_email_or_a_provider_that_does_not_say_gets_its_role(granted, claims,
                                                                         actor):
    assert roles.actor_for_claims(claims) == actor


@pytest.mark.parametrize("claims", [{}, {"email": ""}, {"email": "  "}, {"email": None},
                                    {"email": ["boss@example.com"]}, {"sub": "123"}])
def test_no_email_no_role(granted, claims):
    assert roles.actor_for_claims({**claims, "email_verified": True}) is None
