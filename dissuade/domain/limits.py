"""The limits of what anyone may send: the core and the hub enforce the same numbers, from here.

A limit is a promise to every workstation: one warning with 100,000 cards once made every
officer's queue poll 2 MB. Each is enforced with a message naming the field (InvalidInput in the
core, 422 from the hub) and nothing around the refused value is lost.
"""

from __future__ import annotations

import json
import math

from dissuade.domain.errors import InvalidInput

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


DETAIL_KEY_MAX = 100  # a key inside a rehearsal turn's detail
DETAIL_BYTES_MAX = 1_000_000  # one rehearsal result's detail, as stored (JSON, UTF-8)
_DETAIL_NUMBER_MAX = 2**53  # beyond this a JavaScript reader (and SQLite's JSON) loses digits


def check_detail(value: object, *, field: str = "detail") -> list[dict[str, object]]:
    """A rehearsal result's per-turn records, as they may be stored and read back by anyone.

    A list of at most DETAIL_ITEMS_MAX turns; each turn an object holding text, numbers, true,
    false, null and lists or objects, at most DETAIL_DEPTH_MAX containers deep counting the turn
    itself, each at most DETAIL_ITEMS_MAX items; texts within NOTES_MAX characters and storable;
    numbers finite. A detail nested hundreds deep was once stored and then every list of results
    failed: nothing that cannot be read back is stored. InvalidInput names `field`.
    """
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(f"{field} 应为列表 / {field} must be a list of turns", field=field)
    if len(value) > DETAIL_ITEMS_MAX:
        raise InvalidInput(f"{field} 超过 {DETAIL_ITEMS_MAX} 项 / {field} holds more than "
                           f"{DETAIL_ITEMS_MAX} turns", field=field)
    for turn in value:
        if not isinstance(turn, dict):
            raise InvalidInput(f"{field} 的每一项应为对象 / each turn of {field} must be an "
                               "object", field=field)
        _check_node(turn, field=field, depth=1)
    size = len(json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8"))
    if size > DETAIL_BYTES_MAX:
        raise InvalidInput(f"{field} 过大 / {field} is larger than {DETAIL_BYTES_MAX:,} bytes",
                           field=field)
    return value


def _check_node(node: object, *, field: str, depth: int) -> None:
    if node is None or isinstance(node, bool):
        return
    if isinstance(node, int):
        if abs(node) > _DETAIL_NUMBER_MAX:
            raise InvalidInput(f"{field} 中的数字过大 / a number in {field} is too large",
                               field=field)
        return
    if isinstance(node, float):
        if not math.isfinite(node) or abs(node) > _DETAIL_NUMBER_MAX:
            raise InvalidInput(f"{field} 中的数字无效 / a number in {field} is not finite or "
                               "too large", field=field)
        return
    if isinstance(node, str):
        check_text(node, field=field, limit=NOTES_MAX)
        return
    if not isinstance(node, list | dict):
        raise InvalidInput(f"{field} 含无法保存的值 / {field} holds a value that cannot be "
                           "stored", field=field)
    if depth > DETAIL_DEPTH_MAX:
        raise InvalidInput(f"{field} 嵌套超过 {DETAIL_DEPTH_MAX} 层 / {field} is nested deeper "
                           f"than {DETAIL_DEPTH_MAX} levels", field=field)
    if len(node) > DETAIL_ITEMS_MAX:
        raise InvalidInput(f"{field} 中的列表或对象超过 {DETAIL_ITEMS_MAX} 项 / a list or object "
                           f"in {field} holds more than {DETAIL_ITEMS_MAX} items", field=field)
    if isinstance(node, dict):
        for key, item in node.items():
            if not isinstance(key, str):
                raise InvalidInput(f"{field} 的键应为文本 / keys in {field} must be text",
                                   field=field)
            check_text(key, field=field, limit=DETAIL_KEY_MAX)
            _check_node(item, field=field, depth=depth + 1)
    else:
        for item in node:
            _check_node(item, field=field, depth=depth + 1)
