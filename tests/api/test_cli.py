import pytest

from api.cli import main
from services.api_keys import authenticate

pytestmark = pytest.mark.usefixtures("database")


def test_create_list_and_revoke_a_key_from_the_command_line(capsys):
    main(["create-key", "nightly sync", "--role", "read"])
    printed = capsys.readouterr().out.splitlines()
    secret = printed[1]
    key = authenticate(secret)
    assert key.role == "read" and key.name == "nightly sync"
    main(["list-keys"])
    listing = capsys.readouterr().out
    assert "nightly sync" in listing and secret not in listing
    main(["revoke-key", str(key.id)])
    assert authenticate(secret) is None
