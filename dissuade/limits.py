"""The limits of what anyone may send: the core and the hub enforce the same numbers, from here.

A limit is a promise to every workstation: one warning with 100,000 cards once made every
officer's queue poll 2 MB. Each is enforced with a message naming the field (InvalidInput in the
core, 422 from the hub) and nothing around the refused value is lost.
"""

from __future__ import annotations

from dissuade.errors import InvalidInput

TEXT_MAX = 2000  # a name, district, fraud contact, warning notes, a reason, a decision's note
NOTES_MAX = 10_000  # an officer's notes on one call
CARDS_MAX = 20  # bank cards on one warning or one card-lock request
DETAIL_DEPTH_MAX = 4  # nesting of a rehearsal turn's detail (lists and objects inside it)
DETAIL_ITEMS_MAX = 200  # turns in one rehearsal result
ID_MAX = 100  # a client_id
# A warning from a feed. Past PHONE_MAX or SOURCE_MAX the warning is refused (they say who and
# where from); a secondary field past its limit is kept cut or left empty, with a problem noted.
PHONE_MAX = 100  # a phone number as written, with its extension
EXTENSION_MAX = 10  # digits of a phone's extension
SOURCE_MAX = 200  # the feed's name
EXTERNAL_ID_MAX = 200  # the feed's own id of a warning


def check_text(value: object, *, field: str, limit: int = TEXT_MAX, required: bool = False) -> str:
    """`value` as text within `limit` characters, stripped; InvalidInput names `field`."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} 应为文本 / {field} must be text", field=field)
    if len(value) > limit:
        raise InvalidInput(f"{field} 超过 {limit:,} 字 / {field} is longer than {limit:,} "
                           "characters", field=field)
    if not is_encodable(value):
        raise InvalidInput(f"{field} 含无效字符 / {field} holds an invalid character (a lone "
                           "surrogate)", field=field)
    text = value.strip()
    if required and not text:
        raise InvalidInput(f"请填写 {field} / {field} is required", field=field)
    return text


def is_encodable(text: str) -> bool:
    """False for text no database or JSON encoder can store (a lone UTF-16 surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
