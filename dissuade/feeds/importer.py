"""Importing warnings from a CSV or XLSX file: headings mapped, rows checked, rejects written back.

Every sheet of a workbook is read; a sheet without a phone column is skipped and named. Each row
is imported, found already imported, imported with problems (a secondary field left empty or
understood; listed in ``FILE.problems.csv``) or rejected with its reason (``FILE.rejected.csv``).
A file that cannot be read is refused before any of its rows is imported.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any, Protocol, TextIO

from dissuade.domain.errors import DissuadeError, InvalidInput
from dissuade.domain.models import IngestResult
from dissuade.feeds import vocabulary


class Source(Protocol):
    """Where the rows go: any source (dissuade.sources), a file's or a hub's."""

    def add_warnings(self, items: list[dict[str, Any]], outreach: bool = True
                     ) -> list[IngestResult]: ...

# Rows per source.add_warnings call: one transaction (one fsync) each on a local database, one
# request on a hub (its batch route takes up to 5,000).
CHUNK = 5000
REJECTED_SUFFIX = ".rejected.csv"
PROBLEMS_SUFFIX = ".problems.csv"
ROW_HEADING = "行号 / row"
SHEET_HEADING = "工作表 / sheet"
REASON_HEADING = "拒绝原因 / reason"
PROBLEMS_HEADING = "问题 / problems"
HEADING_SCAN = 10  # non-blank rows searched for the heading row (title rows may come first)

Progress = Callable[[int, int | None], None]

# Headings as feeds' exports and centres' own sheets write them. Not 序号: a row counter would
# make row 1 of every file "already imported".
_FIELD_HEADINGS: dict[str, tuple[str, ...]] = {
    "external_id": ("预警编号", "编号", "线索编号", "预警ID", "线索ID", "预警单号", "工单号",
                    "预警线索编号"),
    "source": ("来源", "预警来源", "线索来源", "数据来源", "推送单位"),
    "phone": ("手机号", "电话", "号码", "手机号码", "联系电话", "受害人电话", "受害人手机号",
              "电话号码", "手机", "联系方式", "受害人号码", "受害人手机", "受害人电话号码",
              "受害人联系电话", "受害人联系方式", "受害人手机号码", "事主电话", "事主手机号", "当事人电话",
              "当事人手机号", "预警号码", "被叫号码", "移动电话", "联系号码", "用户号码", "mobile"),
    "phone_extension": ("分机", "分机号", "分机号码"),
    "name": ("姓名", "受害人姓名", "事主姓名", "当事人姓名", "受害人", "机主姓名", "用户姓名"),
    "scam_type": ("诈骗类型", "案件类型", "预警类型", "诈骗手法", "案件类别", "诈骗类别",
                  "涉诈类型", "类型"),
    "risk_level": ("预警等级", "风险等级", "预警级别", "风险级别", "等级", "级别", "紧急程度"),
    "reported_at": ("预警时间", "推送时间", "上报时间", "发生时间", "预警日期", "发现时间",
                    "推送日期", "报告时间", "下发时间", "时间"),
    "district": ("区县", "辖区", "所属辖区", "所属区县", "区域", "所属地区", "行政区划", "管辖单位"),
    "fraud_contact": ("涉诈号码/网址", "涉诈号码", "涉诈网址", "网址", "涉诈账号", "诈骗号码",
                      "诈骗电话", "涉诈电话", "嫌疑人号码", "嫌疑号码", "诈骗网址", "涉诈APP",
                      "对方号码", "对方账号", "主叫号码"),
    "amount_at_risk": ("涉案金额", "金额", "涉诈金额", "预警金额", "转账金额", "涉及金额"),
    "cards": ("银行卡号", "银行卡", "卡号", "银行账号", "受害人银行卡", "受害人卡号", "银行卡号码",
              "银行账户"),
    # An 18-digit number stored as an Excel number has lost digits: the core notes it.
    "id_number": ("身份证号", "身份证号码", "证件号码", "身份证", "公民身份号码", "身份证件号",
                  "身份证件号码", "证件号"),
    "notes": ("备注", "预警内容", "预警详情", "情况说明", "简要案情", "说明", "预警信息"),
}
FIELDS = tuple(_FIELD_HEADINGS)

# Compared after NFKC (full-width to half-width), without whitespace, "_" or "-", case-folded.
_IGNORED = re.compile(r"[\s_\-\u200b\ufeff]+")
_BRACKETED = re.compile(r"\(.*?\)|\[.*?\]|【.*?】|〔.*?〕|<.*?>|《.*?》")
_EXACT_DIGITS = 1e15  # Excel keeps 15 significant digits: a longer number stored as one is damaged
CSV_FIELD_LIMIT = csv.field_size_limit()


def _key(text: str) -> str:
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text)).casefold()


HEADINGS: dict[str, str] = {
    _key(text): name for name, texts in _FIELD_HEADINGS.items() for text in (name, *texts)
}


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


def scam_code(value: str) -> str:
    """The scam-type code for a code, label or common name (杀猪盘); other text unchanged."""
    return vocabulary.scam_code(value) or value


def level_code(value: str) -> str:
    """The risk-level code for a code or its label (紧急, 高, 高风险, High ...); else unchanged."""
    return vocabulary.level_code(value) or value


def rejected_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + REJECTED_SUFFIX)


def problems_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + PROBLEMS_SUFFIX)


@dataclass(frozen=True, slots=True)
class ImportResult:
    path: Path
    rows: int  # data rows read (blank rows not counted) = imported + already_known + rejected
    imported: int  # new warnings, with_problems among them
    already_known: int  # the same (source, external_id) was imported before
    rejected: int
    encoding: str | None  # how a CSV file was read; None for XLSX
    unknown_columns: tuple[str, ...]  # ignored headings
    duplicate_columns: tuple[str, ...]  # a second column for a field already read (ignored)
    has_external_id: bool  # without it, importing the file again adds its rows again
    rejected_path: Path | None  # None when nothing was rejected
    seconds: float
    with_problems: int = 0  # imported with a secondary field left empty or understood
    problems_path: Path | None = None  # None when no row had problems
    sheets: tuple[str, ...] = ()  # the sheets imported ("" for a CSV file)
    skipped_sheets: tuple[tuple[str, str], ...] = ()  # (sheet, why) of sheets not imported


# -- reading files ----------------------------------------------------------------------------

Row = tuple[int, Sequence[object], str | None]  # (row number, cells, why the row is unreadable)


@dataclass(slots=True)
class _Sheet:
    name: str
    read: Callable[[], Iterator[Row]]  # the rows from the first, as often as asked
    last_row: int  # the number of the last row


@dataclass(slots=True)
class _Book:
    sheets: list[_Sheet]
    encoding: str | None = None
    skipped: tuple[tuple[str, str], ...] = ()  # sheets that are not worksheets
    several: bool = False  # a workbook of more than one sheet: files name the sheet


def _open(path: Path) -> _Book:
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


def _open_csv(path: Path) -> _Book:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"无法读取文件 / cannot read {path}: {exc.strerror}") from None
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise InvalidInput(f"这是 Excel 工作簿而不是 CSV 文本 / {path} is an Excel workbook, not "
                           "CSV text; name it .xlsx or save it as CSV")
    if b"\x00" in raw:
        raise InvalidInput(f"文件含二进制内容，不是 CSV 文本（UTF-16 请另存为 UTF-8）/ {path} holds "
                           "binary data, not CSV text (save UTF-16 text as CSV UTF-8)")
    # The whole file is decoded before any row is imported: undecodable bytes refuse it.
    try:
        text, name = raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        try:
            text, name = raw.decode("gb18030"), "GB18030/GBK"
        except UnicodeDecodeError:
            raise InvalidInput(f"无法识别文件编码，应为 UTF-8 或 GBK/GB18030 / {path} is neither "
                               "UTF-8 nor GBK/GB18030 text") from None
    if name == "UTF-8" and raw.startswith(b"\xef\xbb\xbf"):
        name = "UTF-8 (BOM)"
    del raw
    lines = list(io.StringIO(text, newline=""))
    del text
    count = nonblank = 0
    for _number, cells, _why in csv_records(lines):
        count += 1
        nonblank += not _blank(cells)
    if not nonblank:
        raise InvalidInput(f"文件为空 / the file is empty: {path}")
    return _Book([_Sheet("", lambda: csv_records(lines), count)], name)


def csv_records(lines: Sequence[str]) -> Iterator[Row]:
    """The records of CSV text given as its physical lines (newlines kept), numbered as a
    spreadsheet numbers its rows.

    An unclosed quote does not swallow the rows after it: when a quoted field runs to the end
    of the file, or over lines that read as whole rows by themselves, the line that opened it
    comes out alone as unreadable ("unclosed quote at line N") and reading goes on at the next
    line. A quoted field over a few lines of text (notes with line breaks) is one field.
    """
    number = 0
    start = 0  # index of the next physical line to read
    width = 0  # fields of the last record on one line: what a whole row looks like
    while start < len(lines):
        reader = csv.reader(itertools.islice(lines, start, None))
        consumed = 0  # lines of this reader's records so far
        try:
            for cells in reader:
                first = start + consumed
                span = reader.line_num - consumed
                if span > 1 and _unclosed(lines, first, span, width):
                    number += 1
                    yield number, _alone(lines[first]), (
                        f"未闭合的引号 / unclosed quote at line {first + 1}")
                    start = first + 1
                    break
                consumed = reader.line_num
                number += 1
                if span == 1 and len(cells) > 1:
                    width = len(cells)
                yield number, cells, None
            else:
                return
        except csv.Error as exc:
            first = start + consumed
            number += 1
            yield number, _alone(lines[first]), (
                f"未闭合的引号或字段过长 / unclosed quote, or a field over {CSV_FIELD_LIMIT:,} "
                f"characters, at line {first + 1} ({exc})")
            start = first + 1


def _unclosed(lines: Sequence[str], first: int, span: int, width: int) -> bool:
    """Whether the record on lines first..first+span-1 is an unclosed quote's doing: its quote
    runs to the end of the file, or is "closed" by what opens a later row's quoted field, or
    swallows lines that read as whole rows by themselves."""
    if first + span >= len(lines):  # ran to the end of the file: was the quote ever closed?
        try:
            for _cells in csv.reader(lines[first:first + span], strict=True):
                pass
        except csv.Error as exc:
            return "unexpected end of data" in str(exc)
        return False
    if _opens_a_field(lines[first + span - 1]):
        return True
    # A line wholly inside the quoted field (no quote of its own) that reads as a whole row:
    # an unclosed quote's doing, unless notes over several lines hold exactly a row's number
    # of commas on one line (a row of 3+ columns).
    return width >= 3 and any('"' not in line and len(_alone(line)) == width
                              for line in lines[first + 1:first + span - 1])


def _opens_a_field(line: str) -> bool:
    """Whether the quote that ended a multi-line field on this line (its first quote that is
    not doubled) looks like the start of a quoted field instead: after a comma or at the start
    of the line, and followed by text rather than a comma or the line's end."""
    at = 0
    while True:
        at = line.find('"', at)
        if at < 0:
            return False
        if line.startswith('""', at):
            at += 2
            continue
        after = line[at + 1:at + 2]
        return (at == 0 or line[at - 1] == ",") and after not in ("", ",", "\r", "\n")


def _alone(line: str) -> list[str]:
    """One physical line read as a row by itself."""
    return next(csv.reader([line.rstrip("\r\n")]), [])


def _open_xlsx(path: Path) -> _Book:
    # python-calamine (Rust) reads a sheet whole and about ten times faster than openpyxl; every
    # sheet whole before any row is imported, so that a damaged workbook imports nothing.
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    damaged = f"XLSX 文件已损坏或不是工作簿 / {path} is damaged or not an XLSX workbook"
    sheets: list[_Sheet] = []
    skipped: list[tuple[str, str]] = []
    try:
        book = CalamineWorkbook.from_path(str(path))
        if not book.sheet_names:
            raise InvalidInput(f"工作簿没有工作表 / {path} has no worksheet")
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                skipped.append((meta.name, "不是工作表（图表等）/ not a worksheet (a chart ...)"))
                continue
            cells = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            rows: list[list[object]] = [[None if c == "" else c for c in row] for row in cells]
            sheets.append(_Sheet(meta.name, _listed(rows), len(rows)))
    except InvalidInput:
        raise
    except Exception as exc:  # calamine raises its own kinds for a malformed workbook
        raise InvalidInput(f"{damaged} ({type(exc).__name__}: {exc})") from None
    return _Book(sheets, None, tuple(skipped), several=len(book.sheet_names) > 1)


def _listed(rows: list[list[object]]) -> Callable[[], Iterator[Row]]:
    return lambda: ((number, cells, None) for number, cells in enumerate(rows, start=1))


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
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_DIGITS:
        return str(int(value))
    return str(value)


def _value(name: str, raw: object) -> object:
    """A cell as the warning field `name` takes it; None when empty. Values are the core's to
    judge (dissuade.feeds.intake): a number keeps its digits, a damaged long number shows as one."""
    if type(raw) is str:  # every CSV cell and most XLSX ones: the fast path first
        text = raw.strip()
        return text or None
    if raw is None:
        return None
    if isinstance(raw, float):
        if name == "amount_at_risk":
            return raw
        # 13900000021.0 is the number 13900000021; 6.222020200001234e+18 has lost digits,
        # and is passed as written so that the core says so.
        return display(raw) if abs(raw) < _EXACT_DIGITS else repr(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if name == "amount_at_risk" else str(raw)
    return display(raw).strip() or None  # dates, times, booleans


# -- importing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Columns:
    number: int  # the heading row's number
    headings: list[str]
    fields: list[tuple[int, str, str]]  # (column index, field, heading)
    unknown: tuple[str, ...]
    duplicate: tuple[str, ...]

    def heading(self, name: str | None) -> str | None:
        return next((h for _, n, h in self.fields if n == name), None)


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


def _find_headings(rows: Iterator[Row]) -> tuple[_Columns | None, _Columns | None]:
    """(the heading row with a phone column, or None; the first non-blank row as headings)."""
    first: _Columns | None = None
    looked = 0
    for number, cells, _why in rows:
        if _blank(cells):
            continue
        columns = _map_headings(number, cells)
        if any(name == "phone" for _, name, _ in columns.fields):
            return columns, first or columns
        first = first or columns
        looked += 1
        if looked >= HEADING_SCAN:
            break
    return None, first


def _found(columns: _Columns | None) -> str:
    return "、".join(h for h in columns.headings if h) if columns else ""


class _RowFile:
    """Rows written back with a note each (why rejected, or their problems), UTF-8 with BOM so
    that Excel opens it, written on the first row. A workbook of several sheets gets a sheet
    column, and a heading row again wherever a sheet's headings differ."""

    def __init__(self, path: Path, note_heading: str, *, several: bool) -> None:
        self.path = path
        self.note_heading = note_heading
        self.several = several
        self.count = 0
        self._file: TextIO | None = None
        self._writerow: Callable[[Sequence[object]], object] | None = None
        self._headings: list[str] | None = None
        try:
            path.unlink(missing_ok=True)  # from an earlier run: it would mislead
        except OSError as exc:
            raise DissuadeError(f"无法删除旧文件 / cannot remove {path}: {exc.strerror}") from None

    def add(self, sheet: str, headings: list[str], number: int, note: str,
            cells: Sequence[object]) -> None:
        if self._writerow is None:
            try:
                self._file = self.path.open("w", encoding="utf-8-sig", newline="")
            except OSError as exc:
                raise DissuadeError(f"无法写入 / cannot write {self.path}: {exc.strerror}") from None
            self._writerow = csv.writer(self._file).writerow
        where = [sheet] if self.several else []
        if headings != self._headings:
            self._writerow([ROW_HEADING, *([SHEET_HEADING] if self.several else []),
                            self.note_heading, *headings])
            self._headings = headings
        self._writerow([number, *where, note, *(display(c) for c in cells)])
        self.count += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


@dataclass(slots=True)
class _Counts:
    imported: int = 0
    known: int = 0
    with_problems: int = 0
    done: int = 0


def import_file(
    path: str | Path, source: Source, *, progress: Progress | None = None, chunk: int = CHUNK,
    outreach: bool = False,
) -> ImportResult:
    """Import every row of every sheet of a CSV or XLSX file through `source`, `chunk` rows
    per call.

    Each row is imported (with its problems listed in ``FILE.problems.csv`` when a secondary
    field was left empty), found already imported (same source and external_id), or rejected
    with its reason into ``FILE.rejected.csv``. Sheets without a phone column are skipped and
    named in the result. A file that cannot be read, or with no phone column anywhere, raises
    InvalidInput naming it, before any of its rows is imported. `progress(done, total)` follows
    each chunk (the last call has done == total).
    """
    started = time.perf_counter()
    path = Path(path)
    book = _open(path)
    found: list[tuple[_Sheet, _Columns, Iterator[Row]]] = []
    skipped = list(book.skipped)
    firsts: list[tuple[str, _Columns | None]] = []
    for sheet in book.sheets:
        rows = sheet.read()
        columns, first = _find_headings(rows)
        if columns is None:
            reason = (f"没有手机号列 / no phone column (找到的列 / headings found: "
                      f"{_found(first)})" if first else "空 / empty")
            skipped.append((sheet.name, reason))
            firsts.append((sheet.name, first))
        else:
            found.append((sheet, columns, rows))
    if not found:
        _refuse_without_phone(path, book, firsts)
    total = sum(max(sheet.last_row - columns.number, 0) for sheet, columns, _ in found)
    rejects = _RowFile(rejected_path(path), REASON_HEADING, several=book.several)
    problems = _RowFile(problems_path(path), PROBLEMS_HEADING, several=book.several)
    counts = _Counts()
    try:
        batch: list[tuple[_Sheet, _Columns, int, Sequence[object], dict[str, object]]] = []
        for sheet, columns, rows in found:
            for number, cells, why in rows:
                counts.done += 1
                if why is not None:
                    rejects.add(sheet.name, columns.headings, number, why, cells)
                elif not _blank(cells):
                    data = {name: value for index, name, _heading in columns.fields
                            if (value := _value(name, cells[index] if index < len(cells)
                                                else None)) is not None}
                    batch.append((sheet, columns, number, cells, data))
                if len(batch) >= chunk:
                    _flush(source, batch, rejects, problems, counts, outreach)
                    if progress:
                        progress(counts.done, total if total >= counts.done else None)
        _flush(source, batch, rejects, problems, counts, outreach)
        if progress:
            progress(counts.done, counts.done)
    finally:
        rejects.close()
        problems.close()
    every = [columns for _, columns, _ in found]
    return ImportResult(
        path=path, rows=counts.imported + counts.known + rejects.count, imported=counts.imported,
        already_known=counts.known, rejected=rejects.count, encoding=book.encoding,
        unknown_columns=tuple(dict.fromkeys(h for c in every for h in c.unknown)),
        duplicate_columns=tuple(dict.fromkeys(h for c in every for h in c.duplicate)),
        has_external_id=any(name == "external_id" for c in every for _, name, _ in c.fields),
        rejected_path=rejects.path if rejects.count else None,
        seconds=time.perf_counter() - started,
        with_problems=counts.with_problems,
        problems_path=problems.path if problems.count else None,
        sheets=tuple(sheet.name for sheet, _, _ in found),
        skipped_sheets=tuple(skipped),
    )


def _refuse_without_phone(path: Path, book: _Book,
                          firsts: list[tuple[str, _Columns | None]]) -> None:
    if not any(first for _, first in firsts):
        raise InvalidInput(f"文件为空 / the file is empty: {path}")
    if not book.several:
        found = _found(firsts[0][1]) or "（无 / none）"
        raise InvalidInput(f"找不到手机号列 / {path} has no phone column (手机号 / phone). "
                           f"找到的列 / headings found: {found}")
    sheets = "；".join(f"{name}: {_found(first) or '空 / empty'}" for name, first in firsts)
    raise InvalidInput(f"没有一个工作表有手机号列 / no sheet of {path} has a phone column "
                       f"(手机号 / phone). 各表的列 / headings by sheet: {sheets}")


def _flush(source: Source,
           batch: list[tuple[_Sheet, _Columns, int, Sequence[object], dict[str, object]]],
           rejects: _RowFile, problems: _RowFile, counts: _Counts, outreach: bool) -> None:
    if not batch:
        return
    try:
        results = source.add_warnings([data for *_, data in batch], outreach=outreach)
    except DissuadeError as exc:
        sheet, _, first, _, _ = batch[0]
        where = f"{sheet.name} " if sheet.name else ""
        raise DissuadeError(f"{exc}（{where}第 {first} 行起未导入 / rows from {where}{first} on "
                            f"were not imported; {counts.imported:,} imported before them)"
                            ) from exc
    for result in results:
        sheet, columns, number, cells, _ = batch[result.index]
        if result.error is not None:
            heading = columns.heading(result.field)
            reason = f"{heading}: {result.error}" if heading else result.error
            rejects.add(sheet.name, columns.headings, number, reason, cells)
        elif result.created:
            counts.imported += 1
            if result.problems:
                counts.with_problems += 1
                problems.add(sheet.name, columns.headings, number,
                             _describe(result.problems, columns), cells)
        else:
            counts.known += 1
    batch.clear()


def _describe(found: Sequence[dict[str, str]], columns: _Columns) -> str:
    """A row's problems as one cell: each with the column's own heading."""
    parts = []
    for p in found:
        heading = columns.heading(p.get("field")) or p.get("field") or ""
        value = f"（{p['value']}）" if p.get("value") else ""
        parts.append(f"{heading}: {p.get('message', '')}{value}")
    return "\n".join(parts)
