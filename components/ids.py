"""Customer numbers that people type or links carry, read strictly.

Only ASCII digits (after an optional "#") within the database's id range count: int()
alone also takes digits of other scripts ("٣"), and a 20-digit number overflows the
database's integer, both of which used to crash a page instead of earning a message.
"""

import re

from services.cleaners import MAX_ID

_ID = re.compile(r"#?([0-9]{1,10})")
ID_RULE = f"a number from 1 to {MAX_ID:,}, e.g. 42"


def parse_id(text: str | None) -> int | None:
    """The id `text` names, or None when it names none."""
    match = _ID.fullmatch((text or "").strip())
    if match is None:
        return None
    value = int(match.group(1))
    return value if 1 <= value <= MAX_ID else None
