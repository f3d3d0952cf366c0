"""Importing warnings from a CSV or XLSX file: headings mapped, rows checked, rejects written back."""

from __future__ import annotations

import csv
import re
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from dissuade.codes import LEVEL_LABELS, SCAM_LABELS
from dissuade.errors import DissuadeError, InvalidInput

if TYPE_CHECKING:
    from dissuade.source import Source

# Rows per source.add_warnings call: one transaction (one fsync) each on a local database, one
# request on a hub (its batch route takes up to 5,000).
CHUNK = 5000
REJECTED_SUFFIX = ".rejected.csv"
ROW_HEADING = "行号 / row"
REASON_HEADING = "拒绝原因 / reason"
HEADING_SCAN = 10  # non-blank rows searched for the heading row (title rows may come first)

Progress = Callable[[int, int | None], None]

_FIELD_HEADINGS: dict[str, tuple[str, ...]] = {
    "external_id": ("预警编号", "编号", "线索编号"),
    "source": ("来源", "预警来源"),
    "phone": ("手机号", "电话", "号码", "手机号码", "联系电话", "受害人电话", "受害人手机号"),
    "name": ("姓名", "受害人姓名"),
    "scam_type": ("诈骗类型", "案件类型"),
    "risk_level": ("预警等级", "风险等级"),
    "reported_at": ("预警时间", "推送时间"),
    "district": ("区县", "辖区", "所属辖区"),
    "fraud_contact": ("涉诈号码/网址", "涉诈号码", "涉诈网址", "网址", "涉诈账号"),
    "amount_at_risk": ("涉案金额", "金额"),
    "cards": ("银行卡号", "银行卡"),
    # An 18-digit number stored as an Excel number has lost digits: _value refuses it by name.
    "id_number": ("身份证号", "身份证号码", "证件号码", "身份证", "公民身份号码"),
    "notes": ("备注", "预警内容"),
}
FIELDS = tuple(_FIELD_HEADINGS)

# Compared after NFKC (full-width to half-width), without whitespace, "_" or "-", case-folded.
_IGNORED = re.compile(r"[\s_\-\u200b\ufeff]+")
_BRACKETED = re.compile(r"\(.*?\)|\[.*?\]|【.*?】|〔.*?〕|<.*?>|《.*?》")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}(?:\.\d+)?))?秒?)?"
)
_EXACT_DIGITS = 1e15  # Excel keeps 15 significant digits: a longer number stored as one is damaged


def _key(text: str) -> str:
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text)).casefold()


HEADINGS: dict[str, str] = {
    _key(text): name for name, texts in _FIELD_HEADINGS.items() for text in (name, *texts)
}


def _labels(table: dict[str, tuple[str, str]], extra: dict[str, str]) -> dict[str, str]:
    found = {_key(text): code for code, pair in table.items() for text in (code, *pair)}
    found.update({_key(text): code for text, code in extra.items()})
    return found


SCAM_BY_LABEL = _labels(SCAM_LABELS, {"其他": "unknown", "未知": "unknown"})
LEVEL_BY_LABEL = _labels(LEVEL_LABELS, {"高风险": "high", "中风险": "medium", "低风险": "low"})


def heading_field(heading: object) -> str | None:
    """The warning field a column heading names, or None.

    Whitespace, case and full-width forms do not matter; a bracketed remark ("金额（元）") and a
    bilingual form ("手机号 / phone") are understood.
    """
    if not isinstance(heading, str) or not heading.strip():
        return None
    text = unicodedata.normalize("NFKC", heading)
    for candidate in (text, _BRACKETED.sub("", text), *text.split("/")):
        for form in (candidate, _BRACKETED.sub("", candidate)):
            found = HEADINGS.get(_key(form))
            if found:
                return found
    return None


@lru_cache(maxsize=1024)
def scam_code(value: str) -> str:
    """The scam-type code for a code or its Chinese or English label; other text unchanged."""
    return SCAM_BY_LABEL.get(_key(value), value)


@lru_cache(maxsize=1024)
def level_code(value: str) -> str:
    """The risk-level code for a code or its label (紧急, 高, 高风险, High ...); else unchanged."""
    return LEVEL_BY_LABEL.get(_key(value), value)


def rejected_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + REJECTED_SUFFIX)


@dataclass(frozen=True, slots=True)
class ImportResult:
    path: Path
    rows: int  # data rows read (blank rows not counted) = imported + already_known + rejected
    imported: int
    already_known: int  # the same (source, external_id) was imported before
    rejected: int
    encoding: str | None  # how a CSV file was read; None for XLSX
    unknown_columns: tuple[str, ...]  # ignored headings
    duplicate_columns: tuple[str, ...]  # a second column for a field already read (ignored)
    has_external_id: bool  # without it, importing the file again adds its rows again
    rejected_path: Path | None  # None when nothing was rejected
    seconds: float


# -- reading files ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Sheet:
    rows: Iterator[tuple[int, Sequence[object]]]  # (spreadsheet row number, cells)
    last_row: int | None  # the last row number, when known
    encoding: str | None = None
    close: Callable[[], None] = field(default=lambda: None)


def _open(path: Path) -> _Sheet:
    if not path.is_file():
        raise InvalidInput(f"文件不存在 / file not found: {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _open_csv(path)
    if suffix == ".xls":
        raise InvalidInput(f"不支持旧版 .xls，请另存为 .xlsx 或 CSV / {path}: .xls is not "
                           "supported; save it as .xlsx or CSV")
    raise InvalidInput(f"只能导入 CSV 或 XLSX 文件 / {path}: only CSV and XLSX files can be imported")


def _open_csv(path: Path) -> _Sheet:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise InvalidInput(f"无法读取文件 / cannot read {path}: {exc.strerror}") from None
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise InvalidInput(f"这是 Excel 工作簿而不是 CSV 文本 / {path} is an Excel workbook, not "
                           "CSV text; name it .xlsx or save it as CSV")
    if b"\x00" in head:
        raise InvalidInput(f"文件含二进制内容，不是 CSV 文本（UTF-16 请另存为 UTF-8）/ {path} holds "
                           "binary data, not CSV text (save UTF-16 text as CSV UTF-8)")
    codec, last_row, nonblank = _detect(path)
    if not nonblank:
        raise InvalidInput(f"文件为空 / the file is empty: {path}")
    text = path.open(encoding=codec, newline="")
    encoding = "GB18030/GBK" if codec == "gb18030" else \
        "UTF-8 (BOM)" if head.startswith(b"\xef\xbb\xbf") else "UTF-8"
    return _Sheet(enumerate(csv.reader(text), start=1), last_row, encoding, text.close)


def _detect(path: Path) -> tuple[str, int, int]:
    """The codec that reads the whole file (UTF-8 first), its row count and non-blank rows.

    A full pass, so that undecodable bytes or broken quoting refuse the file before any row of it
    is imported.
    """
    for codec in ("utf-8-sig", "gb18030"):
        rows = nonblank = 0
        try:
            with path.open(encoding=codec, newline="") as fh:
                for row in csv.reader(fh):
                    rows += 1
                    nonblank += not _blank(row)
        except UnicodeDecodeError:
            continue
        except csv.Error as exc:
            raise InvalidInput(f"CSV 格式错误 / malformed CSV in {path} (row {rows + 1}): {exc}") from None
        except OSError as exc:
            raise InvalidInput(f"无法读取文件 / cannot read {path}: {exc.strerror}") from None
        return codec, rows, nonblank
    raise InvalidInput(f"无法识别文件编码，应为 UTF-8 或 GBK/GB18030 / {path} is neither UTF-8 nor "
                       "GBK/GB18030 text")


def _open_xlsx(path: Path) -> _Sheet:
    # python-calamine (Rust) reads a sheet whole and about ten times faster than openpyxl; whole,
    # so that a damaged workbook is refused before any of its rows is imported.
    from python_calamine import CalamineWorkbook

    damaged = f"XLSX 文件已损坏或不是工作簿 / {path} is damaged or not an XLSX workbook"
    try:
        book = CalamineWorkbook.from_path(str(path))
        if not book.sheet_names:
            raise InvalidInput(f"工作簿没有工作表 / {path} has no worksheet")
        cells = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except InvalidInput:
        raise
    except Exception as exc:  # calamine raises its own kinds for a malformed workbook
        raise InvalidInput(f"{damaged} ({type(exc).__name__}: {exc})") from None
    rows = [[None if c == "" else c for c in row] for row in cells]
    return _Sheet(enumerate(rows, start=1), len(rows), None)


# -- cells ------------------------------------------------------------------------------------


def _blank(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def display(value: object) -> str:
    """A cell as text, as the rejected-rows file shows it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | clock):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _CellError(Exception):
    pass


def _value(name: str, raw: object, heading: str) -> object:
    """A cell as the warning field `name` takes it; None when empty."""
    if type(raw) is str:  # every CSV cell and most XLSX ones: the fast path first
        text = raw.strip()
        if name == "reported_at" and text:
            return _iso(text)
    elif raw is None:
        return None
    elif isinstance(raw, float) and name != "amount_at_risk":
        if raw.is_integer() and abs(raw) >= _EXACT_DIGITS:
            raise _CellError(f"{heading}: 长数字以数值格式保存已丢失末位，请把该列设为文本 / a long number "
                             f"stored as a number has lost its last digits; format the column as text")
        return display(raw)
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        return raw if name == "amount_at_risk" else str(raw)
    else:
        text = display(raw).strip()  # dates, times, booleans
    if not text:
        return None
    if name == "scam_type":
        return scam_code(text)
    if name == "risk_level":
        return level_code(text)
    return text


def _iso(text: str) -> str:
    """Spreadsheet date forms ("2025/1/2 8:30", "2025年1月2日") as ISO 8601; others unchanged."""
    match = _DATE.fullmatch(text)
    if not match:
        return text
    y, mo, d, h, mi, s = match.groups()
    iso = f"{y}-{int(mo):02d}-{int(d):02d}"
    if h is not None:
        iso += f" {int(h):02d}:{int(mi):02d}"
        if s is not None:
            whole, _, frac = s.partition(".")
            iso += f":{int(whole):02d}" + (f".{frac}" if frac else "")
    return iso


# -- importing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Columns:
    number: int  # the heading row's number
    headings: list[str]
    fields: list[tuple[int, str, str]]  # (column index, field, heading)
    unknown: tuple[str, ...]
    duplicate: tuple[str, ...]


def _map_headings(number: int, cells: Sequence[object]) -> _Columns:
    headings = [display(c).strip() for c in cells]
    fields: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    unknown: list[str] = []
    duplicate: list[str] = []
    for index, heading in enumerate(headings):
        name = heading_field(heading)
        if name is None:
            if heading:
                unknown.append(heading)
        elif name in seen:
            duplicate.append(heading)
        else:
            seen.add(name)
            fields.append((index, name, heading))
    return _Columns(number, headings, fields, tuple(unknown), tuple(duplicate))


def _find_headings(path: Path, rows: Iterator[tuple[int, Sequence[object]]]) -> _Columns:
    first: _Columns | None = None
    looked = 0
    for number, cells in rows:
        if _blank(cells):
            continue
        columns = _map_headings(number, cells)
        if any(name == "phone" for _, name, _ in columns.fields):
            return columns
        first = first or columns
        looked += 1
        if looked >= HEADING_SCAN:
            break
    if first is None:
        raise InvalidInput(f"文件为空 / the file is empty: {path}")
    found = "、".join(h for h in first.headings if h) or "（无 / none）"
    raise InvalidInput(f"找不到手机号列 / {path} has no phone column (手机号 / phone). "
                       f"找到的列 / headings found: {found}")


class _Rejects:
    """The rejected rows with their reasons, written on the first rejection (UTF-8 with BOM)."""

    def __init__(self, path: Path, headings: list[str]) -> None:
        self.path = path
        self.headings = headings
        self.count = 0
        self._file: TextIO | None = None
        self._writerow: Callable[[Sequence[object]], object] | None = None
        try:
            path.unlink(missing_ok=True)  # from an earlier run: it would mislead
        except OSError as exc:
            raise DissuadeError(f"无法删除旧的拒绝行文件 / cannot remove {path}: {exc.strerror}") from None

    def add(self, number: int, reason: str, cells: Sequence[object]) -> None:
        if self._writerow is None:
            try:
                self._file = self.path.open("w", encoding="utf-8-sig", newline="")
            except OSError as exc:
                raise DissuadeError(f"无法写入拒绝行文件 / cannot write {self.path}: {exc.strerror}") from None
            self._writerow = csv.writer(self._file).writerow
            self._writerow([ROW_HEADING, REASON_HEADING, *self.headings])
        self._writerow([number, reason, *(display(c) for c in cells)])
        self.count += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def import_file(
    path: str | Path, source: Source, *, progress: Progress | None = None, chunk: int = CHUNK
) -> ImportResult:
    """Import every row of a CSV or XLSX file through `source`, `chunk` rows per call.

    Each row is imported, found already imported (same source and external_id), or rejected
    with its reason into ``FILE.rejected.csv``. A file that cannot be read raises InvalidInput
    naming it, before any of its rows is imported. `progress(done, total)` follows each chunk
    (total None when unknown; the last call has done == total).
    """
    started = time.perf_counter()
    path = Path(path)
    sheet = _open(path)
    try:
        columns = _find_headings(path, sheet.rows)
        total = None if sheet.last_row is None else max(sheet.last_row - columns.number, 0)
        rejects = _Rejects(rejected_path(path), columns.headings)
        try:
            counts = _import_rows(source, sheet.rows, columns, rejects, total, progress, chunk)
        finally:
            rejects.close()
    finally:
        sheet.close()
    return ImportResult(
        path=path, rows=sum(counts), imported=counts[0], already_known=counts[1],
        rejected=counts[2], encoding=sheet.encoding, unknown_columns=columns.unknown,
        duplicate_columns=columns.duplicate,
        has_external_id=any(name == "external_id" for _, name, _ in columns.fields),
        rejected_path=rejects.path if rejects.count else None,
        seconds=time.perf_counter() - started,
    )


def _import_rows(
    source: Source, rows: Iterator[tuple[int, Sequence[object]]], columns: _Columns,
    rejects: _Rejects, total: int | None, progress: Progress | None, chunk: int,
) -> tuple[int, int, int]:
    imported = known = done = 0
    batch: list[tuple[int, Sequence[object], dict[str, object]]] = []

    def flush() -> None:
        nonlocal imported, known
        if not batch:
            return
        try:
            results = source.add_warnings([data for _, _, data in batch])
        except DissuadeError as exc:
            first = batch[0][0]
            raise DissuadeError(f"{exc}（第 {first} 行起未导入 / rows from {first} on were not "
                                f"imported; {imported:,} imported before them)") from exc
        for result in results:
            number, cells, _ = batch[result.index]
            if result.error is not None:
                heading = next((h for _, n, h in columns.fields if n == result.field), None)
                rejects.add(number, f"{heading}: {result.error}" if heading else result.error, cells)
            elif result.created:
                imported += 1
            else:
                known += 1
        batch.clear()

    for number, cells in rows:
        done += 1
        if not _blank(cells):
            try:
                data = {name: value for index, name, heading in columns.fields
                        if (value := _value(name, cells[index] if index < len(cells) else None,
                                            heading)) is not None}
            except _CellError as exc:
                rejects.add(number, str(exc), cells)
            else:
                batch.append((number, cells, data))
        if len(batch) >= chunk:
            flush()
            if progress:
                progress(done, total if total is not None and total >= done else None)
    flush()
    if progress:
        progress(done, done)
    return imported, known, rejects.count
