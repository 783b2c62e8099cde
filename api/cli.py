"""API keys from the command line: python -m api.cli create-key NAME --role write|read"""

import argparse

from models.api_key import API_KEY_ROLES
from services import db
from services.access import COMMAND_LINE
from services.api_keys import create_api_key, list_api_keys, revoke_api_key
from services.errors import DeskError

CLI_ACTOR = COMMAND_LINE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-key", help="create a key and print its secret once")
    create.add_argument("name")
    create.add_argument("--role", choices=API_KEY_ROLES, default="write")
    revoke = commands.add_parser("revoke-key", help="revoke a key by its id")
    revoke.add_argument("key_id", type=int)
    commands.add_parser("list-keys", help="list keys (never their secrets)")
    args = parser.parse_args(argv)
    db.migrate()
    try:
        if args.command == "create-key":
            new = create_api_key(args.name, args.role, actor=CLI_ACTOR)
            print(f"API key #{new.key.id} ({new.key.role}) for {new.key.name}:")
            print(new.secret)
            print("Store it now: it is not shown again.")
        elif args.command == "revoke-key":
            revoke_api_key(args.key_id, actor=CLI_ACTOR)
            print(f"API key #{args.key_id} revoked.")
        else:
            for key in list_api_keys():
                state = "revoked" if key.revoked_at else "active"
                print(f"#{key.id}\t{key.prefix}…\t{key.role}\t{state}\t{key.name}")
    except DeskError as exc:
        parser.error(str(exc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
