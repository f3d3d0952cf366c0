"""Checking an incoming warning field by field: the one gate for feeds, imports and demo data.

A bad secondary field costs no victim (settled): the warning is taken with that field empty (or
understood: 杀猪盘, ¥1.5万, an Excel serial date), and the problem is noted on the warning's
`problems`. Only the phone, the source or the body's structure (unknown fields, an object or a
list where a value belongs) refuse a warning, with InvalidInput naming the field. Messages name
the field and the problem; a phone, card or ID number comes back masked at most.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from dissuade.domain import idnumbers, phones, rules, timeutil
from dissuade.domain.codes import ScamType
from dissuade.domain.errors import InvalidInput
from dissuade.domain.limits import CARDS_MAX, EXTENSION_MAX, EXTERNAL_ID_MAX, SOURCE_MAX, TEXT_MAX
from dissuade.domain.masking import mask_card
from dissuade.domain.policy import Policy
from dissuade.feeds import vocabulary

FIELDS = (
    "external_id", "source", "phone", "name", "scam_type", "risk_level", "reported_at",
    "district", "fraud_contact", "amount_at_risk", "cards", "notes", "synthetic", "id_number",
    "phone_extension", "centre",
)
_FIELD_SET = frozenset(FIELDS)
_TEXTS = ("name", "district", "fraud_contact", "notes")
_SCALARS = (str, int, float, bool, type(None))
_CARD_SPLIT = re.compile(r"[,，;；/|、\r\n\t]+")
_CARD_JOINERS = re.compile(r"[\s\-\u2010-\u2015]+")
_SHOWN = 100  # characters of a feed's value shown back in a problem
_LONG_DIGITS = re.compile(r"\d(?:[\s\-]?\d){10,}")
_EXACT = 10**15  # a spreadsheet keeps 15 significant digits: a longer number has lost some
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2})[:：时](\d{1,2})"
    r"(?:[:：](\d{1,2}(?:\.\d+)?)|分(?:(\d{1,2}(?:\.\d+)?)秒)?)?)?"
)
_EXCEL_EPOCH = datetime(1899, 12, 30)
_AMOUNT = re.compile(
    r"(?:约|大约|共|合计|计)?(?:rmb|cny|人民币|¥)?([0-9]+(?:\.[0-9]+)?)(亿|万|千|w|k)?"
    r"(?:元|块|rmb|cny|人民币)?(?:左右)?"
)
_AMOUNT_FACTORS = {None: 1.0, "万": 1e4, "w": 1e4, "千": 1e3, "k": 1e3, "亿": 1e8}
LEFT_EMPTY = "已留空 / left empty"

Problem = dict[str, str]


@dataclass(slots=True)  # not frozen: a frozen one costs a sixth of an imported row's check
class NewWarning:
    source: str
    external_id: str | None
    phone: str
    name: str
    scam_type: str
    risk_level: str
    reported_at: float | None
    district: str
    fraud_contact: str
    amount_at_risk: float | None
    cards: tuple[str, ...]
    notes: str
    synthetic: bool
    id_number: str = ""  # 身份证号, masked unless revealed
    phone_extension: str = ""
    problems: tuple[dict[str, str], ...] = ()  # secondary fields left empty, and why
    reported_text: str = ""  # reported_at as the feed wrote it, shown when it is not believed
    centre: str = ""  # the feed's centre code; store/centres.py decides whether it is one


def problem(field: str, message: str, value: object = None) -> Problem:
    """One problem as warnings carry it: the field, what was wrong and what was done, and the
    feed's value where it helps (callers mask cards and ID numbers first). A run of 11 or more
    digits (a phone, a card, an ID number in the wrong column) shows masked all the same."""
    found = {"field": field, "message": _LONG_DIGITS.sub(_masked, message)}
    if value is not None and value != "":
        text = str(value)
        text = text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
        found["value"] = _LONG_DIGITS.sub(_masked, text)
    return found


def _masked(match: re.Match[str]) -> str:
    digits = [i for i, ch in enumerate(match.group()) if ch.isdigit()]
    hidden = set(digits[3:-2])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(match.group()))


def _structure(key: str, message: str) -> InvalidInput:
    return InvalidInput(message, field=key)


def _check_structure(data: Mapping[str, object]) -> None:
    """Unknown fields, and an object or a list where a value belongs, refuse the warning."""
    if not _FIELD_SET.issuperset(data):  # checked per row of an import: the cheap test first
        unknown = sorted(str(k) for k in data if k not in _FIELD_SET)
        raise _structure(unknown[0], f"未知字段 / unknown field: {unknown[0][:_SHOWN]}")
    for key, value in data.items():
        if type(value) in _SCALARS:
            continue
        if key == "cards" and isinstance(value, list | tuple):
            if all(type(item) in _SCALARS for item in value):
                continue
            raise _structure(key, "cards 的每一项应为卡号文本或数字 / each item of cards must be "
                             "a card number (text or a number), not an object or a list")
        if key == "reported_at" and isinstance(value, datetime | date):
            continue
        if isinstance(value, bool | int | float | str):  # subclasses (numpy, enums) read as such
            continue
        raise _structure(key, f"{key} 应为文本或数字，不能是对象或列表 / {key} must be text or a "
                         "number, not an object or a list")


def check_warning(data: Mapping[str, object], policy: Policy) -> NewWarning:
    """A checked warning with the problems of its secondary fields noted; InvalidInput naming
    the field for a bad phone or source or a body of the wrong shape."""
    if type(data) is not dict and not isinstance(data, Mapping):
        raise InvalidInput("预警应为 JSON 对象 / a warning must be a JSON object", field="body")
    _check_structure(data)
    synthetic = data.get("synthetic")
    synthetic = False if synthetic is None else synthetic
    if not isinstance(synthetic, bool):
        raise InvalidInput("synthetic 应为 true/false / synthetic must be a boolean", field="synthetic")
    phone = phones.parse(data.get("phone"))
    source = _source(data.get("source"))
    problems: list[Problem] = []
    if phone.note:
        problems.append(problem("phone", phone.note))
    scam_type = _scam_type(data.get("scam_type"), problems)
    level = _level(data.get("risk_level"), scam_type, policy, problems)
    reported_at, reported_text = _reported(data.get("reported_at"), policy.timezone, problems)
    texts = []
    for key in _TEXTS:
        value = data.get(key)
        if value is None:
            texts.append("")
        elif type(value) is str and len(value) <= TEXT_MAX and (value.isascii()
                                                                or _encodable(value)):
            texts.append(value.strip())  # nearly every cell: the fast path
        else:
            texts.append(_text(value, key, problems))
    return NewWarning(
        source=source,
        external_id=_external_id(data.get("external_id"), problems),
        phone=phone.e164,
        name=texts[0],
        scam_type=scam_type,
        risk_level=level,
        reported_at=reported_at,
        district=texts[1],
        fraud_contact=texts[2],
        amount_at_risk=_amount(data.get("amount_at_risk"), problems),
        cards=_cards(data.get("cards"), problems),
        notes=texts[3],
        synthetic=synthetic,
        id_number=_id_number(data.get("id_number"), problems),
        phone_extension=_extension(phone.extension, data.get("phone_extension"), problems),
        problems=tuple(problems),
        reported_text=reported_text,
        centre=_centre(data.get("centre"), problems),
    )


def _centre(value: object, problems: list[Problem]) -> str:
    """A centre code as the feed gave it (routing checks it against the policy's centres)."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or len(value.strip()) > 32 or not _encodable(value):
        problems.append(problem("centre", "中心代码无效，按辖区分派 / centre is not a centre "
                                "code: routed by district"))
        return ""
    return value.strip()


def on_arrival(new: NewWarning, arrived_at: float) -> NewWarning:
    """The warning as it is stored when it arrives at `arrived_at`: a report time that is not
    believed (rules.report_time) is noted with the feed's own text, or dropped."""
    kept, why = rules.report_time(new.reported_at, arrived_at)
    if why is None:
        return new
    return replace(new, reported_at=kept, problems=(
        *new.problems, problem("reported_at", why, new.reported_text)))


# -- the fields that refuse a warning ---------------------------------------------------------


def _source(value: object) -> str:
    if value is None:
        return "manual"
    if not isinstance(value, str):
        raise InvalidInput("来源应为文本 / source must be text", field="source")
    if len(value) > SOURCE_MAX:
        raise InvalidInput(f"来源超过 {SOURCE_MAX} 个字符 / source is longer than {SOURCE_MAX} "
                           "characters", field="source")
    if not value.isascii() and not _encodable(value):
        raise InvalidInput("来源含无效字符 / source holds an invalid character", field="source")
    return value.strip() or "manual"


# -- secondary fields: understood, or left empty with a problem --------------------------------


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _number_text(value: int | float) -> str | None:
    """A number as the text it stands for ("20261123001", not "20261123001.0"); None when a
    spreadsheet has lost digits of it."""
    if isinstance(value, float):
        if value != value or abs(value) == float("inf"):
            return None
        if value.is_integer():
            return str(int(value)) if abs(value) < _EXACT else None
        return repr(value)
    return str(value)


def _lost_digits(field: str) -> str:
    return (f"{field} 以数值格式保存已丢失末位，请把该列设为文本 / {field} was stored as a number "
            "and has lost its last digits; format the column as text")


def _text(value: object, field: str, problems: list[Problem], *, limit: int = TEXT_MAX) -> str:
    if type(value) is str and len(value) <= limit and (value.isascii() or _encodable(value)):
        return value.strip()  # nearly every cell: the fast path
    if value is None:
        return ""
    if isinstance(value, bool):
        problems.append(problem(field, f"{field} 应为文本 / {field} must be text; {LEFT_EMPTY}",
                                str(value).lower()))
        return ""
    if isinstance(value, int | float):
        text = _number_text(value)
        if text is None:
            problems.append(problem(field, f"{_lost_digits(field)}; {LEFT_EMPTY}"))
            return ""
        value = text
    text = str(value)
    if not _encodable(text):
        text = text.encode("utf-8", "replace").decode("utf-8")
        problems.append(problem(field, f"{field} 含无效字符，已替换为 ? / {field} held invalid "
                                "characters (lone surrogates), replaced by ?"))
    text = text.strip()
    if len(text) > limit:
        problems.append(problem(field, f"{field} 超过 {limit:,} 字，只保留了前 {limit:,} 字 / "
                                f"{field} is longer than {limit:,} characters: cut to the "
                                f"first {limit:,}"))
        text = text[:limit].rstrip()
    return text


def _external_id(value: object, problems: list[Problem]) -> str | None:
    if type(value) is str and len(value) <= EXTERNAL_ID_MAX and value.isascii():
        return value.strip() or None
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = _number_text(value)
        if text is None:
            problems.append(problem("external_id", f"{_lost_digits('external_id')}; 未保存，"
                                    "重复推送会再次导入 / not kept, so sending it again adds it "
                                    "again"))
            return None
        value = text
    if not isinstance(value, str) or not _encodable(value) or len(value.strip()) > EXTERNAL_ID_MAX:
        problems.append(problem("external_id", f"预警编号应为 {EXTERNAL_ID_MAX} 字以内的文本，未保存，"
                                "重复推送会再次导入 / external_id must be text of at most "
                                f"{EXTERNAL_ID_MAX} characters: not kept, so sending this "
                                "warning again adds it again"))
        return None
    if _SCIENTIFIC.fullmatch(value.strip()):
        problems.append(problem("external_id", f"{_lost_digits('external_id')}; 未保存 / not "
                                "kept", value.strip()))
        return None
    return value.strip() or None


def scam_code(value: str) -> str | None:
    """The scam-type code of a code, label or common name (杀猪盘), or None."""
    return vocabulary.scam_code(value)


def level_code(value: str) -> str | None:
    """The risk-level code of a code or label (紧急, 高风险, 红色预警, High ...), or None."""
    return vocabulary.level_code(value)


def _scam_type(value: object, problems: list[Problem]) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ScamType.UNKNOWN.value
    code = vocabulary.scam_code(value) if isinstance(value, str) else None
    if code is not None:
        return code
    problems.append(problem("scam_type", "未知诈骗类型，按“其他/未知”处理 / unknown scam type: "
                            f"taken as unknown. 可用 / accepted: {vocabulary.accepted_scam_types()}",
                            value))
    return ScamType.UNKNOWN.value


def _level(value: object, scam_type: str, policy: Policy, problems: list[Problem]) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return policy.grade(scam_type)
    code = vocabulary.level_code(value) if isinstance(value, str) else None
    if code is not None:
        return code
    graded = policy.grade(scam_type)
    problems.append(problem("risk_level", f"未知预警等级，已按诈骗类型定为 {graded} / unknown risk "
                            f"level: graded {graded} by its scam type. 可用 / accepted: "
                            f"{vocabulary.accepted_levels()}", value))
    return graded


def _reported(value: object, tz: str, problems: list[Problem]) -> tuple[float | None, str]:
    """Epoch seconds of the report time and the feed's text of it; absent with a problem when
    it cannot be read."""
    if value is None or value == "":
        return None, ""
    shown = value if type(value) is str else \
        value.isoformat() if isinstance(value, datetime | date) else str(value)
    try:
        return report_time(value, tz=tz), shown
    except InvalidInput as exc:
        problems.append(problem("reported_at", f"{exc.message}；视为无报告时间，时限从接收时起算 / "
                                "counted as absent: the time limit counts from arrival", shown))
        return None, shown


def report_time(value: object, *, tz: str) -> float:
    """A report time as feeds and spreadsheets write it: ISO 8601, 2025/1/2 8:30, 2025年1月2日,
    an Excel serial date (45992.5, in the centre's zone `tz`) or epoch seconds."""
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text).strip()
        try:  # ISO 8601, as feeds send it: the common case first
            return timeutil.parse(text, tz=tz, field="reported_at")
        except InvalidInput:
            if not _NUMBER.fullmatch(text):
                iso = _iso(text)
                if iso == text:
                    raise
                return timeutil.parse(iso, tz=tz, field="reported_at")
        value = float(text)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _time_from_number(float(value), tz)
    return timeutil.parse(value, tz=tz, field="reported_at")


def _time_from_number(number: float, tz: str) -> float:
    if 0 < number < 100_000:  # an Excel serial date: days since 1899-12-30, in local time
        local = _EXCEL_EPOCH + timedelta(days=number)
        return timeutil.parse(local.replace(microsecond=0), tz=tz, field="reported_at")
    if 1e9 <= number < 1e10 or 1e12 <= number < 1e13:  # Unix seconds or milliseconds
        epoch = number if number < 1e10 else number / 1000
        if epoch < timeutil.LATEST:
            return epoch
    raise InvalidInput("时间无法识别（数字既不是 Excel 日期也不是 Unix 时间）/ not a time: a number "
                       "that is neither an Excel date nor Unix seconds", field="reported_at")


def _iso(text: str) -> str:
    """Spreadsheet date forms ("2025/1/2 8:30", "2025年1月2日") as ISO 8601; others unchanged."""
    match = _DATE.fullmatch(text)
    if not match:
        return text
    y, mo, d, h, mi, s1, s2 = match.groups()
    s = s1 or s2
    iso = f"{y}-{int(mo):02d}-{int(d):02d}"
    if h is not None:
        iso += f" {int(h):02d}:{int(mi):02d}"
        if s is not None:
            whole, _, frac = s.partition(".")
            iso += f":{int(whole):02d}" + (f".{frac}" if frac else "")
    return iso


def parse_amount(value: object, *, field: str = "amount_at_risk") -> float | None:
    """Yuan from a number or text such as "12,000", "1.5万", "800元", "¥3,000", "RMB 5000"."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"金额无效 / {field} is not an amount", field=field)
    if isinstance(value, int | float):
        amount = float(value)
    elif isinstance(value, str):
        text = re.sub(r"[\s,，']+", "", unicodedata.normalize("NFKC", value)).casefold()
        match = _AMOUNT.fullmatch(text)
        if match is None:
            raise InvalidInput(f"金额无效 / {field} is not an amount: {value[:_SHOWN]!r}",
                               field=field)
        amount = float(Decimal(match.group(1)) * Decimal(_AMOUNT_FACTORS[match.group(2)]))
    else:
        raise InvalidInput(f"金额无效 / {field} is not an amount", field=field)
    if not (amount >= 0 and amount < 1e13):
        raise InvalidInput(f"金额超出范围 / {field} out of range (0 to 10 trillion yuan)",
                           field=field)
    return round(amount, 2)


def _amount(value: object, problems: list[Problem]) -> float | None:
    try:
        return parse_amount(value)
    except (InvalidInput, InvalidOperation) as exc:
        message = exc.message if isinstance(exc, InvalidInput) else "金额无效 / not an amount"
        problems.append(problem("amount_at_risk", f"{message}；{LEFT_EMPTY}", value))
        return None


def _card_items(value: object, field: str) -> list[object]:
    if isinstance(value, str):
        return [p for p in _CARD_SPLIT.split(value) if p.strip()]
    if isinstance(value, list | tuple):
        return [item for item in value if item not in (None, "")]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [value]
    raise InvalidInput(f"银行卡号应为列表 / {field} must be a list", field=field)


def _card_numbers(item: object, field: str) -> list[str]:
    """The card numbers in one item: digits written with spaces or dashes anywhere (6222 0202
    0000 1234 567), or several cards apart by spaces. InvalidInput says why not, masked."""
    if isinstance(item, int | float) and not isinstance(item, bool):
        text = _number_text(item)
        if text is None:
            raise InvalidInput(_lost_digits(field), field=field)
        item = text
    if not isinstance(item, str):
        raise InvalidInput(f"银行卡号无效 / invalid card number in {field}", field=field)
    text = unicodedata.normalize("NFKC", item).strip()
    if _SCIENTIFIC.fullmatch(text):
        raise InvalidInput(_lost_digits(field), field=field)
    whole = _CARD_JOINERS.sub("", text)
    if whole.isascii() and whole.isdigit() and 12 <= len(whole) <= 19:
        return [whole]
    parts = [_CARD_JOINERS.sub("", p) for p in text.split()]
    if len(parts) > 1 and all(p.isascii() and p.isdigit() and 12 <= len(p) <= 19 for p in parts):
        return parts
    raise InvalidInput(f"银行卡号应为12至19位数字 / card number must be 12-19 digits: "
                       f"{mask_card(whole) if whole else '(空 / empty)'}", field=field)


def parse_cards(value: object, *, field: str = "cards") -> tuple[str, ...]:
    """Bank-card numbers (12 to 19 digits) from a list or a text with separators; InvalidInput
    for a bad one (shown masked) or more than limits.CARDS_MAX."""
    if value is None or value == "":
        return ()
    cards = [c for item in _card_items(value, field) for c in _card_numbers(item, field)]
    cards = list(dict.fromkeys(cards))
    if len(cards) > CARDS_MAX:
        raise InvalidInput(f"银行卡超过 {CARDS_MAX} 张 / more than {CARDS_MAX} cards in {field}",
                           field=field)
    return tuple(cards)


def _cards(value: object, problems: list[Problem]) -> tuple[str, ...]:
    if value is None or value == "" or value == []:
        return ()
    try:
        items = _card_items(value, "cards")
    except InvalidInput as exc:
        problems.append(problem("cards", f"{exc.message}；{LEFT_EMPTY}"))
        return ()
    cards: list[str] = []
    for item in items:
        try:
            cards.extend(_card_numbers(item, "cards"))
        except InvalidInput as exc:
            problems.append(problem("cards", f"{exc.message}；此卡未导入 / this card was not "
                                    "kept"))
    cards = list(dict.fromkeys(cards))
    if len(cards) > CARDS_MAX:
        problems.append(problem("cards", f"{len(cards)} 张银行卡，超过上限 {CARDS_MAX} 张，均未导入，"
                                f"请与来源核对 / {len(cards)} cards, more than {CARDS_MAX}: none "
                                "were kept; check them with the feed"))
        return ()
    return tuple(cards)


def _id_number(value: object, problems: list[Problem]) -> str:
    if isinstance(value, float):
        text = _number_text(value)
        if text is None:
            problems.append(problem("id_number", f"{_lost_digits('id_number')}; {LEFT_EMPTY}"))
            return ""
        value = text
    if isinstance(value, str) and _SCIENTIFIC.fullmatch(value.strip()):
        problems.append(problem("id_number", f"{_lost_digits('id_number')}; {LEFT_EMPTY}"))
        return ""
    try:
        return idnumbers.normalise(value)
    except InvalidInput as exc:
        shown = None
        if isinstance(value, str):
            cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
            shown = idnumbers.mask(cleaned) if len(cleaned) > 8 else None
        problems.append(problem("id_number", f"{exc.message}；{LEFT_EMPTY}", shown))
        return ""


def _extension(in_phone: str, value: object, problems: list[Problem]) -> str:
    if value is None or value == "":
        return in_phone
    text = _number_text(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else value
    digits = unicodedata.normalize("NFKC", text).strip() if isinstance(text, str) else ""
    if not (digits.isascii() and digits.isdigit() and len(digits) <= EXTENSION_MAX):
        done = "保留了电话号码中的分机号 / kept the phone's extension" if in_phone else LEFT_EMPTY
        problems.append(problem("phone_extension", f"分机号应为 {EXTENSION_MAX} 位以内的数字 / "
                                f"phone_extension must be up to {EXTENSION_MAX} digits; {done}"))
        return in_phone
    if in_phone and digits != in_phone:
        problems.append(problem("phone_extension", f"电话号码中的分机号 {in_phone} 与分机号字段 "
                                f"{digits} 不同，保留了电话号码中的 / the phone's extension "
                                f"{in_phone} differs from phone_extension {digits}: kept the "
                                "phone's"))
        return in_phone
    return digits
