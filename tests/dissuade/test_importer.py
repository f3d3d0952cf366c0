"""Spreadsheet import: encodings, headings, labels, rejected rows with reasons, refused files, CLI."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dissuade import cli, open_source
from dissuade.domain.codes import LEVEL_LABELS, SCAM_LABELS
from dissuade.domain.errors import InvalidInput
from dissuade.feeds import importer
from dissuade.sources import LocalSource
from tests.conftest import warning_data

BOM = b"\xef\xbb\xbf"
ZH = ["预警编号", "姓名", "手机号", "诈骗类型", "预警等级", "预警时间", "涉案金额", "银行卡号", "备注"]
EN = ["external_id", "name", "phone", "scam_type", "risk_level", "reported_at", "amount_at_risk",
      "cards", "notes"]
GOOD = [
    ["Y-001", "测试一", "13900000001", "虚假网络贷款", "紧急", "2026-11-23 08:30", "12,000",
     "6222020200001234567", "称需交解冻金"],
    ["Y-002", "测试二", "139 0000 0002", "fake_investment", "高风险", "2026/11/23 9:05", "1.5万", "", ""],
    ["Y-003", "测试三", "13900000003", "冒充公检法", "低", "", "", "", "其他备注"],
]
BAD = [
    ["Y-004", "测试四", "12345", "刷单返利", "中", "", "", "", ""],  # invalid phone: rejected
    ["Y-005", "测试五", "13900000005", "彩票", "高", "", "", "", ""],  # unknown scam type: a problem
    ["Y-006", "测试六", "13900000006", "fake_loan", "高", "", "很多", "", ""],  # bad amount: a problem
]


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8-sig") -> Path:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def stored(db: Path) -> dict[str, dict[str, object]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = {r["external_id"]: dict(r) for r in conn.execute("SELECT * FROM warnings")}
    conn.close()
    return rows


def read_rejected(path: Path) -> list[list[str]]:
    return read_back(importer.rejected_path(path))


def read_problems(path: Path) -> list[list[str]]:
    return read_back(importer.problems_path(path))


def read_back(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM)  # Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"))))


@pytest.mark.parametrize(("encoding", "reported"), [
    ("utf-8-sig", "UTF-8 (BOM)"), ("utf-8", "UTF-8"), ("gbk", "GB18030/GBK"),
])
def test_csv_in_each_encoding_imports_good_rows_and_rejects_bad_ones_with_reasons(
    tmp_path: Path, db_path: Path, local: LocalSource, encoding: str, reported: str
) -> None:
    path = write_csv(tmp_path / "预警.csv", [ZH, *GOOD, *BAD], encoding=encoding)
    result = importer.import_file(path, local)
    assert (result.imported, result.already_known, result.rejected) == (5, 0, 1)
    assert result.with_problems == 2 and result.problems_path == tmp_path / "预警.csv.problems.csv"
    assert result.rows == 6 and result.encoding == reported and result.has_external_id
    assert result.rejected_path == tmp_path / "预警.csv.rejected.csv"
    warnings = stored(db_path)
    assert set(warnings) == {"Y-001", "Y-002", "Y-003", "Y-005", "Y-006"}
    first = warnings["Y-001"]
    assert (first["phone"], first["name"], first["scam_type"], first["risk_level"]) == (
        "+8613900000001", "测试一", "fake_loan", "emergency")
    assert first["amount_at_risk"] == 12000 and "6222020200001234567" in str(first["cards"])
    assert warnings["Y-002"]["risk_level"] == "high" and warnings["Y-002"]["amount_at_risk"] == 15000
    assert warnings["Y-002"]["reported_at"] == datetime.fromisoformat(
        "2026-11-23T09:05:00+08:00").timestamp()
    assert warnings["Y-003"]["scam_type"] == "impersonating_authority"
    # A bad secondary field costs no victim: imported with the field empty, listed with why.
    assert (warnings["Y-005"]["scam_type"], warnings["Y-006"]["amount_at_risk"]) == ("unknown", None)
    assert "unknown scam type" in warnings["Y-005"]["problems"]
    rejected = read_rejected(path)
    assert rejected[0] == ["行号 / row", "拒绝原因 / reason", *ZH]
    assert [r[0] for r in rejected[1:]] == ["5"]  # spreadsheet row numbers
    assert [r[2:] for r in rejected[1:]] == BAD[:1]  # original cells, untouched
    assert "invalid phone number" in rejected[1][1] and "手机号" in rejected[1][1]
    assert "12345" not in rejected[1][1]  # the reason never echoes the number
    problems = read_problems(path)
    assert problems[0] == ["行号 / row", "问题 / problems", *ZH]
    assert [r[0] for r in problems[1:]] == ["6", "7"] and [r[2:] for r in problems[1:]] == BAD[1:]
    reasons = [r[1] for r in problems[1:]]
    assert "诈骗类型: 未知诈骗类型" in reasons[0] and "unknown scam type" in reasons[0]
    assert "彩票" in reasons[0] and "fake_loan 虚假网络贷款" in reasons[0]  # the accepted ones
    assert "涉案金额: 金额无效" in reasons[1] and "很多" in reasons[1]


def test_gb18030_characters_beyond_gbk_survive(tmp_path: Path, db_path: Path, local: LocalSource) -> None:
    rows = [["手机号", "姓名", "预警编号"], ["13900000041", "测试䶮𠀀", "G-1"]]  # not in GBK
    result = importer.import_file(write_csv(tmp_path / "g.csv", rows, encoding="gb18030"), local)
    assert result.imported == 1 and result.encoding == "GB18030/GBK"
    assert stored(db_path)["G-1"]["name"] == "测试䶮𠀀"


def test_english_headings_and_codes(tmp_path: Path, db_path: Path, local: LocalSource) -> None:
    rows = [EN + ["source", "district", "fraud_contact"],
            ["E-1", "Test One", "+86 139 0000 0011", "fake_loan", "emergency",
             "2026-11-23T08:30:00+08:00", "800", "", "", "bank", "思明区", "QQ群 123"],
            ["E-2", "Test Two", "13900000012", "Fake online loan", "Low", "", "", "", "", "bank", "", ""]]
    result = importer.import_file(write_csv(tmp_path / "en.csv", rows, encoding="utf-8"), local)
    assert (result.imported, result.rejected, result.rejected_path) == (2, 0, None)
    warnings = stored(db_path)
    assert warnings["E-1"]["source"] == "bank" and warnings["E-1"]["fraud_contact"] == "QQ群 123"
    assert warnings["E-1"]["district"] == "思明区"
    assert (warnings["E-2"]["scam_type"], warnings["E-2"]["risk_level"]) == ("fake_loan", "low")


def test_xlsx_numbers_dates_and_a_title_row(tmp_path: Path, db_path: Path, local: LocalSource) -> None:
    path = tmp_path / "warnings.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["XX市反诈中心预警推送表"])  # a title row above the headings
    sheet.append(["线索编号", "姓名", "联系电话", "案件类型", "风险等级", "推送时间", "金额（元）",
                  "银行卡", "辖区", "备用列"])
    sheet.append([20261123001, "测试一", 13900000021, "虚假网络贷款", "紧急",
                  datetime(2026, 11, 23, 8, 30), 5000, "6222020200001234567", "湖里区", "x"])
    sheet.append([20261123002.0, "测试二", 13900000022.0, "刷单返利", "中", None, 1234.5,
                  622202020000.0, None, None])
    sheet.append([None] * 10)  # a blank row is skipped, not rejected
    sheet.append(["20261123003", "测试三", "13900000023", "虚假购物服务", "低", None, None,
                  6.222020200001234e18, None, None])  # a 19-digit card stored as a number
    book.save(path)
    result = importer.import_file(path, local)
    assert (result.imported, result.already_known, result.rejected) == (3, 0, 0)
    assert result.with_problems == 1 and result.sheets == ("Sheet",)
    assert result.encoding is None and result.unknown_columns == ("备用列",)
    warnings = stored(db_path)
    assert set(warnings) == {"20261123001", "20261123002", "20261123003"}  # no ".0" on floats
    one, two = warnings["20261123001"], warnings["20261123002"]
    assert (one["phone"], two["phone"]) == ("+8613900000021", "+8613900000022")
    assert one["reported_at"] == datetime.fromisoformat("2026-11-23T08:30:00+08:00").timestamp()
    assert (one["district"], two["amount_at_risk"], two["cards"]) == ("湖里区", 1234.5, '["622202020000"]')
    assert warnings["20261123003"]["cards"] == "[]"  # its card lost digits: the victim is kept
    (problem,) = read_problems(path)[1:]
    assert problem[0] == "6" and "银行卡" in problem[1] and "format the column as text" in problem[1]


def test_reimporting_the_same_file_imports_nothing_new(tmp_path: Path, local: LocalSource) -> None:
    path = write_csv(tmp_path / "w.csv", [ZH, *GOOD, *BAD])
    importer.import_file(path, local)
    again = importer.import_file(path, local)
    assert (again.imported, again.already_known, again.rejected) == (0, 5, 1)
    assert local.queue_size() == 5
    assert len(read_rejected(path)) == 2  # written afresh, not appended
    assert again.problems_path is None and not importer.problems_path(path).exists()


def test_a_clean_file_removes_a_stale_rejected_file(tmp_path: Path, local: LocalSource) -> None:
    path = write_csv(tmp_path / "w.csv", [ZH, *GOOD, *BAD])
    importer.import_file(path, local)
    write_csv(path, [ZH, *GOOD])
    result = importer.import_file(path, local)
    assert result.rejected == 0 and result.rejected_path is None
    assert not importer.rejected_path(path).exists()


def test_chunks_and_progress(tmp_path: Path, local: LocalSource) -> None:
    rows = [[f"C-{n}", "测试", f"139000001{n:02d}", "fake_loan", "高", "", "", "", ""] for n in range(25)]
    rows[7][2] = "not a phone"
    calls: list[tuple[int, int | None]] = []
    result = importer.import_file(write_csv(tmp_path / "c.csv", [ZH, *rows]), local,
                                  progress=lambda d, t: calls.append((d, t)), chunk=10)
    assert (result.imported, result.rejected) == (24, 1)
    assert calls[-1] == (25, 25) and [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert read_rejected(tmp_path / "c.csv")[1][0] == "9"


def test_a_file_without_a_phone_column_is_refused_naming_the_headings(
    tmp_path: Path, local: LocalSource
) -> None:
    path = write_csv(tmp_path / "w.csv", [["姓名", "号码归属地", "备注"], ["测试一", "厦门", ""]])
    with pytest.raises(InvalidInput) as caught:
        importer.import_file(path, local)
    message = str(caught.value)
    assert str(path) in message and "phone" in message and "号码归属地" in message


def _truncated_xlsx(path: Path) -> None:
    openpyxl.Workbook().save(path)
    path.write_bytes(path.read_bytes()[:300])


def _damaged_xlsx(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(ZH)
    for n in range(200):
        sheet.append([f"D-{n}", "测试", f"13900000{n:03d}", "fake_loan", "高"])
    book.save(path)
    data = bytearray(path.read_bytes())
    start = data.index(b"sheet1.xml") + 40  # inside the first sheet's compressed data
    data[start:start + 64] = bytes(64)
    path.write_bytes(bytes(data))


def _cut_sheet_xml(path: Path) -> None:
    """A sound zip whose sheet XML stops after about 1,200 of its 1,500 rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(ZH)
    for n in range(1500):
        sheet.append([f"X-{n}", "测试", f"1390000{n:04d}", "fake_loan", "高"])
    book.save(path)
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = xml[: len(xml) * 4 // 5]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


@pytest.mark.parametrize(("name", "make", "says"), [
    ("empty.csv", lambda p: p.write_bytes(b""), "empty"),
    ("bom-only.csv", lambda p: p.write_bytes(BOM + b"\r\n\r\n"), "empty"),
    ("undecodable.csv", lambda p: p.write_bytes(
        "手机号\n13900000001\n".encode() + b"\xff\xfe\xff\n"), "neither UTF-8 nor GBK"),
    ("binary.csv", lambda p: p.write_bytes(b"\x00\x01\x02" * 50), "binary"),
    ("workbook.csv", _truncated_xlsx, "Excel workbook"),
    ("random.xlsx", lambda p: p.write_bytes(b"not a zip file at all"), "XLSX"),
    ("truncated.xlsx", _truncated_xlsx, "XLSX"),
    ("damaged.xlsx", _damaged_xlsx, "XLSX"),
    ("cut.xlsx", _cut_sheet_xml, "damaged"),
    ("old.xls", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100)), ".xls"),
    ("notes.pdf", lambda p: p.write_bytes(b"%PDF-1.4"), "CSV and XLSX"),
])
def test_a_malformed_file_is_refused_naming_it_and_nothing_is_imported(
    tmp_path: Path, local: LocalSource, name: str, make: object, says: str
) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    with pytest.raises(InvalidInput) as caught:
        importer.import_file(path, local)
    assert str(path) in str(caught.value) and says in str(caught.value)
    assert local.queue_size() == 0 and not importer.rejected_path(path).exists()


def test_headings_in_other_forms(tmp_path: Path, db_path: Path, local: LocalSource) -> None:
    rows = [["手机号 / phone", "涉案金额（元）", "涉诈号码／网址", " Scam Type ", "EXTERNAL ID", "手机号码"],
            ["13900000031", "800元", "http://example.invalid", "刷单返利", "H-1", "13900000099"]]
    result = importer.import_file(write_csv(tmp_path / "h.csv", rows), local)
    assert result.imported == 1 and result.duplicate_columns == ("手机号码",)
    warning = stored(db_path)["H-1"]
    assert (warning["phone"], warning["amount_at_risk"]) == ("+8613900000031", 800)
    assert (warning["fraud_contact"], warning["scam_type"]) == ("http://example.invalid", "order_brushing")


def test_labels_map_to_codes() -> None:
    for code, (zh, en) in SCAM_LABELS.items():
        assert importer.scam_code(zh) == importer.scam_code(en) == importer.scam_code(code) == code
    for code, (zh, en) in LEVEL_LABELS.items():
        assert importer.level_code(zh) == importer.level_code(en) == importer.level_code(code) == code
    assert [importer.level_code(t) for t in ("高风险", "中风险", "低风险")] == ["high", "medium", "low"]
    assert importer.scam_code("杀猪盘") == "romance_investment"  # the trade's word
    assert importer.scam_code("lottery") == "lottery"  # left for the check to note by name


KNOWN_HEADINGS = sorted((text, name) for text, name in importer.HEADINGS.items())
LABELS = sorted([(t, c) for c, pair in SCAM_LABELS.items() for t in (c, *pair)])
SPACES = st.sampled_from(["", "", " ", "\u3000", "\t"])


@st.composite
def variant(draw: st.DrawFn, text: str) -> str:
    """`text` with random case, full-width forms and whitespace."""
    out = [draw(SPACES)]
    for ch in text:
        forms = {ch, ch.upper(), ch.lower()}
        if "!" <= ch <= "~":
            forms.add(chr(ord(ch) + 0xFEE0))
        out += [draw(st.sampled_from(sorted(forms))), draw(SPACES)]
    return "".join(out)


@given(st.sampled_from(KNOWN_HEADINGS).flatmap(
    lambda pair: st.tuples(variant(pair[0]), st.just(pair[1]))))
def test_any_variant_of_a_known_heading_maps_to_its_field(case: tuple[str, str]) -> None:
    heading, name = case
    assert importer.heading_field(heading) == name
    assert importer.heading_field(heading + "（备注）") == name


@given(st.sampled_from(LABELS).flatmap(lambda pair: st.tuples(variant(pair[0]), st.just(pair[1]))))
def test_any_variant_of_a_scam_label_maps_to_its_code(case: tuple[str, str]) -> None:
    label, code = case
    assert importer.scam_code(label) == code


@given(st.text(max_size=30))
def test_any_heading_text_maps_to_a_field_or_none(text: str) -> None:
    assert importer.heading_field(text) in (None, *importer.FIELDS)


def summary(out: str) -> dict[str, str]:
    return {line.split(":")[0].strip(): line.split(":", 1)[1].strip() for line in out.splitlines()
            if line.startswith("  ") and ":" in line}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_imports_and_prints_a_bilingual_summary(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_source(db_path).close()
    path = write_csv(tmp_path / "w.csv", [[*ZH, "备用"], *[[*r, ""] for r in GOOD + BAD]])
    code, out, _ = run(capsys, "import", str(path), "--db", str(db_path))
    assert code == 0
    assert "新导入 / imported" in out and "拒绝 / rejected" in out and "已导入过 / already imported" in out
    assert str(importer.rejected_path(path)) in out and "备用" in out
    counts = summary(out)
    assert counts["新导入 / imported"] == "5" and counts["拒绝 / rejected"] == "1"
    assert counts["有问题 / imported with problems"] == "2"
    assert str(importer.problems_path(path)) in out
    code, out, _ = run(capsys, "import", str(path), "--db", str(db_path))
    assert code == 0 and summary(out)["已导入过 / already imported"] == "5"


def test_cli_shows_progress_for_large_files(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_source(db_path).close()
    rows = [[str(warning_data(n)[k]) for k in ("external_id", "phone", "scam_type")] for n in range(12_000)]
    path = write_csv(tmp_path / "big.csv", [["external_id", "phone", "scam_type"], *rows])
    code, out, err = run(capsys, "import", str(path), "--db", str(db_path))
    assert code == 0 and "12,000" in out
    assert "10,000/12,000" in err and "12,000/12,000" in err


def test_cli_refuses_a_malformed_file_or_a_missing_database(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_source(db_path).close()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    code, out, err = run(capsys, "import", str(bad), "--db", str(db_path))
    assert code == 2 and str(bad) in err and out == ""
    good = write_csv(tmp_path / "w.csv", [ZH, *GOOD])
    missing = tmp_path / "typo.db"
    code, _, err = run(capsys, "import", str(good), "--db", str(missing))
    assert code == 2 and str(missing) in err and not missing.exists()


# -- every sheet, unclosed quotes, common headings, spreadsheet numbers ------------------------


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


SECOND_SHEET = [["电话号码", "受害人姓名", "预警级别", "上报时间", "涉案金额（元）", "卡号", "线索编号"],
                ["13900000101", "测试甲", "高", "2026-11-23 10:00", "￥2,000", "6222 0202 0000 1234 567",
                 "S2-1"],
                ["1390000O102", "测试乙", "高", "", "", "", "S2-2"],  # a letter O: rejected
                ["13900000103", "测试丙", "很急", "", "", "", "S2-3"]]  # unknown level: a problem


def test_every_sheet_of_a_workbook_is_read_and_sheets_without_phones_are_named(
    tmp_path: Path, db_path: Path, local: LocalSource
) -> None:
    path = workbook(tmp_path / "w.xlsx", {
        "预警": [ZH, *GOOD, BAD[0]],
        "补充": SECOND_SHEET,
        "说明": [["字段", "含义"], ["预警编号", "推送方的编号"]],
        "空表": [],
    })
    result = importer.import_file(path, local)
    assert result.sheets == ("预警", "补充")
    assert [name for name, _ in result.skipped_sheets] == ["说明", "空表"]
    assert "no phone column" in result.skipped_sheets[0][1] and "字段" in result.skipped_sheets[0][1]
    assert (result.imported, result.with_problems, result.rejected) == (5, 1, 2)
    warnings = stored(db_path)
    assert set(warnings) == {"Y-001", "Y-002", "Y-003", "S2-1", "S2-3"}
    assert (warnings["S2-1"]["amount_at_risk"], warnings["S2-1"]["cards"]) == (
        2000, '["6222020200001234567"]')
    rejected = read_rejected(path)
    assert rejected[0] == ["行号 / row", "工作表 / sheet", "拒绝原因 / reason", *ZH]
    assert rejected[1][:2] == ["5", "预警"]
    # The second sheet's rows come under its own headings.
    assert rejected[2] == ["行号 / row", "工作表 / sheet", "拒绝原因 / reason", *SECOND_SHEET[0]]
    assert rejected[3][:2] == ["3", "补充"] and "letter O" in rejected[3][2]
    problems = read_problems(path)
    assert problems[0][:3] == ["行号 / row", "工作表 / sheet", "问题 / problems"]
    assert problems[1][:2] == ["4", "补充"] and "预警级别: 未知预警等级" in problems[1][2]


def test_a_workbook_without_a_phone_column_anywhere_is_refused_naming_each_sheet(
    tmp_path: Path, local: LocalSource
) -> None:
    path = workbook(tmp_path / "w.xlsx", {"甲": [["姓名"], ["测试"]], "乙": [["备注"], ["x"]]})
    with pytest.raises(InvalidInput) as caught:
        importer.import_file(path, local)
    assert "no sheet" in str(caught.value) and "甲: 姓名" in str(caught.value)


def test_a_damaged_second_sheet_refuses_the_workbook_before_any_row(
    tmp_path: Path, local: LocalSource
) -> None:
    path = workbook(tmp_path / "w.xlsx", {
        "一": [ZH, *GOOD], "二": [ZH, *[[f"X-{n}", "测试", f"1390000{n:04d}"] for n in range(1500)]]})
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    xml = parts["xl/worksheets/sheet2.xml"]
    parts["xl/worksheets/sheet2.xml"] = xml[: len(xml) * 4 // 5]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with pytest.raises(InvalidInput, match="damaged"):
        importer.import_file(path, local)
    assert local.queue_size() == 0


def ten_rows() -> list[str]:
    return [f"Q-{n},测试{n},139000002{n:02d},fake_loan,高,,,,备注{n}\r\n" for n in range(1, 11)]


def test_an_unclosed_quote_is_reported_at_its_line_and_swallows_nothing(
    tmp_path: Path, db_path: Path, local: LocalSource
) -> None:
    lines = ten_rows()
    lines[4] = 'Q-5,"测试5,13900000205,fake_loan,高,,,,备注5\r\n'  # row 5 of 10: never closed
    path = tmp_path / "q.csv"
    path.write_bytes((",".join(ZH) + "\r\n" + "".join(lines)).encode("utf-8-sig"))
    result = importer.import_file(path, local)
    assert (result.imported, result.rejected) == (9, 1)
    assert set(stored(db_path)) == {f"Q-{n}" for n in (1, 2, 3, 4, 6, 7, 8, 9, 10)}
    (rejected,) = read_rejected(path)[1:]
    assert rejected[0] == "6" and "未闭合的引号 / unclosed quote at line 6" in rejected[1]
    assert rejected[2] == "Q-5" and rejected[3].startswith("测试5,139")


def test_an_unclosed_quote_closed_by_a_later_quote_still_swallows_nothing(
    tmp_path: Path, db_path: Path, local: LocalSource
) -> None:
    lines = ten_rows()
    lines[2] = 'Q-3,测试3,13900000203,fake_loan,高,,,,"备注 3\r\n'  # opened, never closed
    lines[7] = 'Q-8,测试8,13900000208,fake_loan,高,,,,"备注, 8"\r\n'  # a properly quoted field
    lines[8] = 'Q-9,测试9,13900000209,fake_loan,高,,,,"第一行\r\n第二行"\r\n'  # notes over two lines
    path = tmp_path / "q.csv"
    path.write_bytes((",".join(ZH) + "\r\n" + "".join(lines)).encode("utf-8"))
    result = importer.import_file(path, local)
    warnings = stored(db_path)
    assert set(warnings) == {f"Q-{n}" for n in (1, 2, 4, 5, 6, 7, 8, 9, 10)}
    assert warnings["Q-8"]["notes"] == "备注, 8" and warnings["Q-9"]["notes"] == "第一行\r\n第二行"
    assert result.rejected == 1 and "unclosed quote at line 4" in read_rejected(path)[1][1]


def test_csv_records_keep_legitimate_multiline_fields() -> None:
    text = 'a,b,c\r\n1,"two\nlines, and a comma",3\r\n4,5,6\r\n'
    records = list(importer.csv_records(list(io.StringIO(text, newline=""))))
    assert [(n, cells, why) for n, cells, why in records] == [
        (1, ["a", "b", "c"], None), (2, ["1", "two\nlines, and a comma", "3"], None),
        (3, ["4", "5", "6"], None)]


@pytest.mark.parametrize(("heading", "field"), [
    ("电话号码", "phone"), ("手机", "phone"), ("联系方式", "phone"), ("受害人号码", "phone"),
    ("受害人手机号码", "phone"), ("预警级别", "risk_level"), ("风险级别", "risk_level"),
    ("上报时间", "reported_at"), ("发生时间", "reported_at"), ("涉案金额（元）", "amount_at_risk"),
    ("卡号", "cards"), ("银行账号", "cards"), ("身份证件号", "id_number"), ("分机号", "phone_extension"),
    ("受害人姓名", "name"), ("诈骗手法", "scam_type"), ("线索来源", "source"),
])
def test_common_headings_are_recognised(heading: str, field: str) -> None:
    assert importer.heading_field(heading) == field


def test_phone_numbers_written_as_numbers_and_excel_dates_in_a_csv(
    tmp_path: Path, db_path: Path, local: LocalSource
) -> None:
    rows = [["预警编号", "手机号", "预警时间"],
            ["N-1", "13800138000.0", "45992.5"], ["N-2", "1.3800138E+10", "45992"],
            ["N-3", "0592-5551234转808", "2025/12/1 8:30"]]
    result = importer.import_file(write_csv(tmp_path / "n.csv", rows), local)
    assert (result.imported, result.rejected) == (3, 0)
    warnings = stored(db_path)
    assert warnings["N-1"]["phone"] == warnings["N-2"]["phone"] == "+8613800138000"
    assert warnings["N-1"]["reported_at"] == datetime.fromisoformat(
        "2025-12-01T12:00:00+08:00").timestamp()
    assert (warnings["N-3"]["phone"], warnings["N-3"]["phone_extension"]) == ("+865925551234", "808")
    assert "scientific notation" in warnings["N-2"]["problems"]  # may have lost digits: said


def test_phone_numbers_and_dates_as_xlsx_numbers(tmp_path: Path, db_path: Path,
                                                 local: LocalSource) -> None:
    path = workbook(tmp_path / "n.xlsx", {"s": [["预警编号", "手机号", "预警时间"],
                                                ["X-1", 13800138000.0, 45992.5],
                                                ["X-2", 13800138001, datetime(2025, 12, 1, 12)]]})
    result = importer.import_file(path, local)
    assert (result.imported, result.rejected, result.with_problems) == (2, 0, 0)
    warnings = stored(db_path)
    assert warnings["X-1"]["phone"] == "+8613800138000"
    assert warnings["X-1"]["reported_at"] == warnings["X-2"]["reported_at"] == \
        datetime.fromisoformat("2025-12-01T12:00:00+08:00").timestamp()


def test_cli_names_skipped_sheets_and_counts_rows_with_problems(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    open_source(db_path).close()
    path = workbook(tmp_path / "w.xlsx", {"预警": [ZH, *GOOD, *BAD], "说明": [["字段"], ["x"]]})
    code, out, _ = run(capsys, "import", str(path), "--db", str(db_path))
    assert code == 0
    counts = summary(out)
    assert (counts["新导入 / imported"], counts["已导入过 / already imported"],
            counts["有问题 / imported with problems"], counts["拒绝 / rejected"]) == ("5", "0", "2", "1")
    assert "跳过的工作表 / sheet skipped: 说明" in out
    assert str(importer.problems_path(path)) in out and str(importer.rejected_path(path)) in out


ONE_LINE = st.text(alphabet='a中,"\' ', max_size=8)
MULTI_LINE = st.text(alphabet='a中，"\r\n ', max_size=12)  # notes over lines: full-width commas


@given(st.integers(3, 6).flatmap(lambda width: st.lists(
    st.lists(ONE_LINE | MULTI_LINE, min_size=width, max_size=width), min_size=1, max_size=8)))
def test_well_formed_csv_reads_as_pythons_csv_reads_it(rows: list[list[str]]) -> None:
    """The unclosed-quote guard never splits a well-formed file."""
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    lines = list(io.StringIO(text.getvalue(), newline=""))
    expected = list(csv.reader(io.StringIO(text.getvalue(), newline="")))
    got = list(importer.csv_records(lines))
    assert [why for _, _, why in got] == [None] * len(expected)
    assert [cells for _, cells, _ in got] == expected
