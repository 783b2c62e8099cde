"""A custom field made from an imported file's column, so the import can fill it.

The field is created by services.custom_fields.add_custom_field (admins only, audited,
its label checked against every other field's); only its key is chosen here, from the
label, since the person importing names the field, not its key.
"""

import re
import unicodedata

from models.custom_field import CUSTOM_PREFIX
from models.kinds import Kind
from services import access, custom_fields
from services.access import Actor
from services.errors import ValidationError
from services.import_field_guess import KIND_CHOICES

_KEY_LENGTH = 40


def key_for(label: str, taken: set[str]) -> str:
    """A field key made of the label's letters and digits (contract_end for "Contract
    end"), numbered (_2, _3, ...) when another field has it."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_") or "field"
    if not base[0].isalpha():
        base = f"field_{base}"
    base = base[:_KEY_LENGTH].rstrip("_")
    key, number = base, 1
    while key in taken:
        number += 1
        suffix = f"_{number}"
        key = base[:_KEY_LENGTH - len(suffix)] + suffix
    return key


def add_field_for_column(label: str, kind: str, *, actor: Actor) -> str:
    """Create a custom field with this label and kind; its field key (cf_<key>), for the
    import's mapping. Raises ValidationError naming the label or the type."""
    access.require(actor, access.ADMIN)
    if kind not in KIND_CHOICES:
        raise ValidationError.single("kind", "Type must be one of: "
                                             f"{', '.join(KIND_CHOICES.values())}.")
    taken = {d.key for d in (*custom_fields.definitions(),
                             *custom_fields.definitions(retired=True))}
    definition = custom_fields.add_custom_field(
        {"key": key_for(str(label or ""), taken), "label": label, "kind": Kind(kind)},
        actor=actor)
    return CUSTOM_PREFIX + definition.key
