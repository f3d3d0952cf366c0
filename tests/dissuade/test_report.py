"""The shift handover report files: a hand-counted shift read back from XLSX, CSV and PDF."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image
from pypdf import PdfReader

from dissuade import cli
from dissuade.domain import timeutil
from dissuade.domain.errors import InvalidInput
from dissuade.fonts import FontMissing
from dissuade.reports import render_report, write_report
from dissuade.reports.model import Hour, build
from dissuade.reports.pdf_charts import buckets
from dissuade.store import Store
from tests.conftest import warning_data

TZ = "Asia/Shanghai"
DAY = "2026-11-30"
FROM, TO = f"{DAY}T08:00", f"{DAY}T20:00"  # centre time, as a lead types it
CARD_1, CARD_2 = "6222020202020202020", "6217000010001234567"
ID_NUMBER = "11010519491231002X"
# The report files end with the next shift's staffing forecast (dissuade report adds it).
SHEETS = ["汇总", "按民警", "机器人首呼", "按诈骗类型", "升级处置", "分时段", "重复受害人",
          "下一班排班预测"]


def at(hhmm: str, day: str = DAY) -> float:
    return timeutil.parse(f"{day}T{hhmm}", tz=TZ)


def build_shift(path: Path) -> dict[str, Any]:
    """The hand-counted day shift of 30 November 2026 (08:00-20:00 Beijing time).

    wang: W1 dissuaded (08:07-08:10:30, in time), W3 no answer (10:19-10:20), proposes a chase
          call for W5 with a card number pasted into the reason.
    li:   W2 already lost 8,000 (first call 09:40, deadline 09:30: a breach), W4 brainwashed,
          which proposes a card lock; zhang approves it, it is sent and locked.
    W5 is W1's phone again (a repeat victim) and never called (a breach by now).
    W0 arrived before the shift and W6 after it: neither is counted, both are open and overdue.
    """
    store = Store(path)
    ids: dict[str, int] = {}
    try:
        def add(key: str, n: int, when: str, day: str = DAY, **fields: object) -> int:
            warning, created = store.add_warning(warning_data(n, **fields), actor="bank-feed", now=at(when, day))
            assert created
            ids[key] = int(warning.id)
            return ids[key]

        def call(wid: int, user: str, start: str, end: str, outcome: str, *, times: bool = True,
                 **extra: object) -> int:
            store.claim(wid, user=user, now=at(start))
            started, ended = (at(start), at(end)) if times else (None, None)
            attempt = store.record_attempt(wid, user=user, outcome=outcome, started_at=started, ended_at=ended,
                                           now=at(end), **extra)  # type: ignore[arg-type]
            return int(attempt.id)

        add("W0", 10, "07:50", risk_level="low", scam_type="fake_shopping", name="赵六")
        w1 = add("W1", 1, "08:05", risk_level="emergency", scam_type="fake_customer_service", name="王小明",
                 cards=[CARD_1], id_number=ID_NUMBER, amount_at_risk=50000)
        w2 = add("W2", 2, "09:00", risk_level="high", scam_type="fake_investment", name="李四",
                 amount_at_risk=20000)
        w3 = add("W3", 3, "10:00", risk_level="medium", scam_type="fake_loan", name="张三")
        w4 = add("W4", 4, "11:00", risk_level="high", scam_type="impersonating_authority", name="陈五",
                 cards=[CARD_2], amount_at_risk=100000)
        add("W6", 6, "20:30", risk_level="high", scam_type="fake_loan", name="孙七")

        a1 = call(w1, "wang", "08:07", "08:10:30", "dissuaded", notes="已劝阻")
        # After W1's case closed: a repeat victim (arriving while W1 was open, it would be linked).
        w5 = add("W5", 5, "13:00", risk_level="low", scam_type="romance_investment", name="王小明",
                 phone="13900000001", id_number=ID_NUMBER)
        a2 = call(w2, "li", "09:35", "09:40", "already_lost", amount_lost="8000")
        call(w3, "wang", "10:19", "10:20", "no_answer")
        call(w4, "li", "11:08", "11:10", "brainwashed", times=False)
        (lock,) = store.get(w4).escalations
        store.decide_escalation(lock.id, decision="approve", note="同意止付", user="zhang", now=at("11:20"))
        store.advance_escalation(lock.id, status="sent", user="zhang", now=at("11:25"))
        store.advance_escalation(lock.id, status="locked", user="zhang", now=at("11:30"))
        store.claim(w5, user="wang", now=at("13:30"))
        chase = store.propose_escalation(w5, user="wang", kind="chase_call",
                                         reason=f"受害人称卡号{CARD_1}仍在转账，身份证{ID_NUMBER}",
                                         now=at("13:30"))
        store.review_attempt(a1, verdict="pass", user="zhang", now=at("12:00"))
        store.review_attempt(a2, verdict="fail", comment="超时才首拨", user="zhang", now=at("12:05"))
        (head_id, head_hash) = store.conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        return {**ids, "lock": int(lock.id), "chase": int(chase.id), "head": f"{head_id}:{head_hash[:16]}"}
    finally:
        store.close()


def run_report(db: Path, out: Path, fmt: str, start: str = FROM, end: str = TO) -> None:
    assert cli.main(["report", "--db", str(db), "--from", start, "--to", end, "--format", fmt, "-o", str(out)]) == 0


@pytest.fixture(scope="module")
def shift(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The scenario's database and its report in all three formats (made once: the PDF is slow)."""
    folder = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DISSUADE_DATA_DIR", str(folder / "data"))
        db = folder / "centre.db"
        facts = build_shift(db)
        for fmt in ("xlsx", "csv", "pdf"):
            run_report(db, folder / f"shift.{fmt}", fmt)
        yield {**facts, "db": db, "folder": folder}


def sheet_rows(ws: Worksheet) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def row_starting(rows: list[list[Any]], first: str) -> list[Any]:
    found = [r for r in rows if isinstance(r[0], str) and r[0].startswith(first)]
    assert found, f"no row starting {first!r}"
    return found[0]


def test_xlsx_summary_leads_with_dissuasion_and_has_the_hand_counted_figures(shift: dict[str, Any]) -> None:
    book = load_workbook(shift["folder"] / "shift.xlsx")
    assert book.sheetnames == SHEETS
    ws = book["汇总"]
    rows = sheet_rows(ws)
    assert rows[0][0].startswith("交班报告")
    assert row_starting(rows, "时段")[1] == "2026-11-30 08:00 – 2026-11-30 20:00"
    assert row_starting(rows, "时区")[1] == TZ
    assert row_starting(rows, "审计链末端")[1] == shift["head"]
    header = next(i for i, r in enumerate(rows) if r[0] and r[0].startswith("项目"))
    figures = {r[0]: r[1] for r in rows[header + 1:header + 19]}
    assert list(figures)[:4] == ["劝阻成功", "已被骗", "劝阻率", "挽回损失（元）"]  # dissuasion first
    assert figures == {
        "劝阻成功": 1, "已被骗": 1, "劝阻率": 0.5, "挽回损失（元）": 50000, "被骗金额（元）": 8000,
        "接收预警": 5, "已处置": 4, "处置次数": 4, "通话次数": 4, "按时处置率": 0.6, "超时": 2,
        "提出升级": 2, "待审批升级（当前）": 1, "值班长自批升级": 0, "重复受害人": 1, "在岗民警": 2,
        "当前待处置": 3, "当前超时未处置": 2,
    }
    assert ws.cell(row=header + 4, column=2).number_format == "0.0%"
    assert ws.cell(row=header + 5, column=2).number_format == "#,##0.00"
    assert row_starting(rows, "劝阻成功")[2] == "Dissuaded"
    levels = rows[next(i for i, r in enumerate(rows) if r[0] == "按预警等级 By level") + 2:][:5]
    assert [(r[0], r[1]) for r in levels] == [("紧急", 1), ("高", 2), ("中", 1), ("低", 1), ("合计", 5)]
    outcomes = rows[next(i for i, r in enumerate(rows) if r[0] == "按处置结果 By outcome") + 2:][:11]
    counted = {r[0]: r[1] for r in outcomes}
    assert counted["劝阻成功"] == counted["已被骗"] == counted["无人接听"] == counted["拒不听劝/疑似被洗脑"] == 1
    assert counted["占线"] == 0 and counted["合计"] == 4


def test_xlsx_by_officer_scam_type_escalations_hours_and_repeat_victims(shift: dict[str, Any]) -> None:
    book = load_workbook(shift["folder"] / "shift.xlsx")
    officers = book["按民警"]
    assert officers.freeze_panes == "A2" and officers["A1"].font.bold
    head = [str(c.value).split("\n")[0] for c in officers[1]]
    assert head[:6] == ["民警", "处置预警数", "通话次数", "平均处置时长", "劝阻成功", "超时"]
    assert head[-2:] == ["复核合格", "复核不合格"] and "无人接听（次）" in head and "劝阻成功（次）" in head
    rows = {r[0]: dict(zip(head, r, strict=True)) for r in sheet_rows(officers)[1:]}
    assert list(rows) == ["li", "wang"]  # most warnings first, then by name
    li, wang = rows["li"], rows["wang"]
    assert (li["处置预警数"], li["通话次数"], li["劝阻成功"], li["超时"]) == (2, 2, 0, 1)
    assert (li["已被骗（次）"], li["拒不听劝/疑似被洗脑（次）"], li["复核合格"], li["复核不合格"]) == (1, 1, 0, 1)
    assert (wang["处置预警数"], wang["劝阻成功"], wang["劝阻成功（次）"], wang["超时"], wang["无人接听（次）"],
            wang["复核合格"]) == (2, 1, 1, 0, 1, 1)
    seconds = {k: (v["平均处置时长"].total_seconds() if isinstance(v["平均处置时长"], timedelta)
                   else round(v["平均处置时长"] * 86400)) for k, v in rows.items()}
    assert seconds == {"li": 300, "wang": 135}  # (210 + 60) / 2 for wang
    assert officers.cell(row=2, column=4).number_format == "[m]:ss"

    types = {r[0]: r for r in sheet_rows(book["按诈骗类型"])[1:]}
    assert set(types) == {"冒充电商物流客服", "虚假网络投资理财", "虚假网络贷款", "冒充公检法", "网络婚恋交友"}
    assert list(types["冒充电商物流客服"][1:]) == [1, 50000, 1, 0, 1.0]
    assert list(types["虚假网络投资理财"][1:]) == [1, 20000, 0, 1, 0.0]
    assert types["网络婚恋交友"][5] == "—"

    esc = book["升级处置"]
    head = [str(c.value).split("\n")[0] for c in esc[1]]
    assert head[:13] == ["编号", "预警编号", "方式", "状态", "申请人", "申请时间", "审批人", "审批时间", "原因",
                         "金额（元）", "银行卡", "派出所", "止付到期"]
    lock, chase = (dict(zip(head, r, strict=True)) for r in sheet_rows(esc)[1:])
    assert (lock["编号"], lock["预警编号"], lock["方式"], lock["状态"]) == (shift["lock"], shift["W4"], "止付锁卡",
                                                                           "已止付/锁卡")
    assert (lock["申请人"], lock["申请时间"], lock["审批人"], lock["审批时间"]) == (
        "li", datetime(2026, 11, 30, 11, 10), "zhang", datetime(2026, 11, 30, 11, 20))
    assert (lock["金额（元）"], lock["银行卡"], lock["止付到期"]) == (100000, "6217 **** **** 4567",
                                                                   datetime(2026, 12, 2, 11, 30))
    assert (lock["自动提出"], lock["当事人"], lock["审批意见"]) == ("是", "陈*", "同意止付")
    assert (chase["编号"], chase["方式"], chase["状态"], chase["申请人"], chase["审批人"]) == (
        shift["chase"], "智能追呼", "待审批", "wang", None)
    assert chase["原因"] == "受害人称卡号6222 **** **** 2020仍在转账，身份证1101**********002X"

    hours = sheet_rows(book["分时段"])
    assert len(hours) == 13 and hours[1][0] == datetime(2026, 11, 30, 8, 0)
    hhead = [str(c).split("\n")[0] for c in hours[0]]
    by_hour = {r[0].hour: dict(zip(hhead, r, strict=True)) for r in hours[1:]}
    eight = by_hour[8]
    assert (eight["紧急"], eight["劝阻成功"], eight["劝阻率"], eight["按时处置率"]) == (1, 1, 1.0, 1.0)
    assert (by_hour[9]["高"], by_hour[9]["已被骗"], by_hour[9]["按时处置率"]) == (1, 1, 0.0)
    assert by_hour[14]["接收合计"] == 0 and by_hour[14]["劝阻率"] == "—"
    assert sum(r["接收合计"] for r in by_hour.values()) == 5

    (victim,) = sheet_rows(book["重复受害人"])[1:]
    assert list(victim) == [shift["W5"], "139 **** 0001", "王**", "网络婚恋交友", "低", "已升级", None,
                            datetime(2026, 11, 30, 13, 0), 1]


def test_xlsx_columns_are_wide_enough_for_chinese(shift: dict[str, Any]) -> None:
    book = load_workbook(shift["folder"] / "shift.xlsx")
    officers = book["按民警"]
    assert officers.column_dimensions["B"].width >= 2 * len("处置预警数")  # a CJK character is two units
    assert book["升级处置"].column_dimensions["I"].width > 30  # the reason column


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def csv_sections(rows: list[list[str]]) -> dict[str, list[list[str]]]:
    """Title row -> its heading and data rows (sections end at a blank row)."""
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for row in rows:
        if not row:
            current = None
        elif current is None:
            current = sections.setdefault(row[0], [])
        else:
            current.append(row)
    return sections


def test_csv_has_the_same_sections_one_after_another(shift: dict[str, Any]) -> None:
    rows = read_csv(shift["folder"] / "shift.csv")
    sections = csv_sections(rows)
    assert list(sections) == ["交班报告 Shift handover report", "汇总 Summary", "按预警等级 By level",
                              "按处置结果 By outcome", "按民警 By officer",
                              "机器人首呼 The robot's first pass", "按诈骗类型 By scam type",
                              "升级处置 Escalations", "分时段 By hour", "重复受害人 Repeat victims",
                              "下一班排班预测 Staffing forecast, next shift"]
    info = {r[0]: r[1] for r in sections["交班报告 Shift handover report"]}
    assert info["审计链末端 Audit head"] == shift["head"]
    summary = sections["汇总 Summary"]
    assert summary[0] == ["项目 Item", "数值 Value", "英文 English"]
    assert summary[1] == ["劝阻成功", "1", "Dissuaded"]
    values = {r[0]: r[1] for r in summary[1:]}
    assert (values["已被骗"], values["劝阻率"], values["挽回损失（元）"], values["按时处置率"]) == (
        "1", "50.0%", "50000.00", "60.0%")
    officers = sections["按民警 By officer"]
    assert officers[0][:3] == ["民警 Officer", "处置预警数 Warnings", "通话次数 Calls"]
    assert [r[:6] for r in officers[1:]] == [["li", "2", "2", "5:00", "0", "1"], ["wang", "2", "2", "2:15", "1", "0"]]
    escalations = sections["升级处置 Escalations"]
    assert escalations[1][:6] == [str(shift["lock"]), str(shift["W4"]), "止付锁卡", "已止付/锁卡", "li",
                                  "2026-11-30 11:10"]
    assert escalations[1][9:13] == ["100000.00", "6217 **** **** 4567", "", "2026-12-02 11:30"]
    assert len(sections["分时段 By hour"]) == 13
    assert sections["重复受害人 Repeat victims"][1][:3] == [str(shift["W5"]), "139 **** 0001", "王**"]


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_pdf_has_the_chinese_headings_figures_charts_and_page_numbers(shift: dict[str, Any]) -> None:
    path = shift["folder"] / "shift.pdf"
    reader = PdfReader(path)
    pages = len(reader.pages)
    assert pages >= 3
    first = reader.pages[0].extract_text()
    for expected in ("交班报告", "2026-11-30 08:00 – 2026-11-30 20:00（Asia/Shanghai）", "劝阻成功", "已被骗",
                     "劝阻率", "50.0%", "挽回损失（元）", "50,000.00", "按时处置率", "60.0%", "8,000.00",
                     "待审批升级（当前）", shift["head"], f"第 1/{pages} 页"):
        assert expected in first, expected
    assert first.index("劝阻成功") < first.index("接收预警")  # dissuasion before the rest
    text = pdf_text(path)
    for expected in ("图1", "各时段接收预警（按等级）", "紧急", "图2", "处置结果", "图3", "劝阻率与按时处置率",
                     "图4", "冒充电商物流客服", "按民警", "各结果次数", "按诈骗类型", "升级处置", "止付锁卡",
                     "6217 **** **** 4567", "重复受害人", "139 **** 0001", f"第 {pages}/{pages} 页"):
        assert expected in text, expected


def test_the_audit_head_in_the_pdf_proves_the_log_is_whole(shift: dict[str, Any],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    match = re.search(r"(\d+:[0-9a-f]{16})", PdfReader(shift["folder"] / "shift.pdf").pages[0].extract_text())
    assert match is not None and match.group(1) == shift["head"]
    assert cli.main(["audit", "verify", "--db", str(shift["db"]), "--expect-head", match.group(1)]) == 0
    head_id = int(shift["head"].split(":")[0])
    assert cli.main(["audit", "verify", "--db", str(shift["db"]), "--expect-head",
                     f"{head_id + 1}:{shift['head'].split(':')[1]}"]) == 1  # a head past the end: rows cut off
    capsys.readouterr()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_pdf_pages_render(shift: dict[str, Any]) -> None:
    folder = shift["folder"]
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(folder / "shift.pdf"),
                    str(folder / "page")], check=True, capture_output=True, timeout=60)
    for page in (folder / "page-1.png", folder / "page-2.png"):
        with Image.open(page) as image:
            width, height = image.size
            assert abs(width - 662) <= 1 and abs(height - 935) <= 1  # A4 at 80 dpi: nothing clipped off
            inked = sum(image.convert("L").histogram()[:128])
            assert inked > 5000, page  # text and charts, not a blank page
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
            if page.name == "page-2.png":  # the level colours of the first chart are there
                present = {c for _, c in colours}
                assert {(0xC6, 0x28, 0x28), (0xEF, 0x6C, 0x00), (0x15, 0x65, 0xC0)} <= present


def every_xlsx_value(path: Path) -> str:
    book = load_workbook(path)
    return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)


def test_no_full_card_id_or_phone_number_in_any_file(shift: dict[str, Any]) -> None:
    folder = shift["folder"]
    texts = {"xlsx": every_xlsx_value(folder / "shift.xlsx"),
             "csv": (folder / "shift.csv").read_bytes().decode("utf-8-sig"),
             "pdf": pdf_text(folder / "shift.pdf")}
    secrets = [CARD_1, CARD_2, ID_NUMBER, ID_NUMBER[:17]]
    phones = [f"139{n:08d}" for n in (1, 2, 3, 4, 5, 6, 10)]
    for fmt, text in texts.items():
        squeezed = re.sub(r"[\s\-]", "", text)  # a number split by spaces or lines is still whole
        for secret in secrets + phones:
            assert secret not in squeezed, (fmt, secret)
        for name in ("王小明", "李四", "陈五"):
            assert name not in text, (fmt, name)
        assert "6217 **** **** 4567" in text, fmt  # masked cards are shown, so the check above means something
    assert "139 **** 0001" in texts["xlsx"]


def test_an_empty_period_still_gives_a_valid_report(shift: dict[str, Any]) -> None:
    folder = shift["folder"]
    start, end = "2026-11-29T08:00", "2026-11-29T20:00"
    for fmt in ("xlsx", "csv", "pdf"):
        run_report(shift["db"], folder / f"empty.{fmt}", fmt, start, end)
    book = load_workbook(folder / "empty.xlsx")
    assert book.sheetnames == SHEETS
    rows = sheet_rows(book["汇总"])
    assert row_starting(rows, "劝阻成功")[1] == 0 and row_starting(rows, "劝阻率")[1] == "—"
    assert book["按民警"]["A2"].value == "本时段无数据 No data in this period"
    # Escalations still under way are handed over whenever proposed: the lock and the chase call.
    assert [r[0] for r in sheet_rows(book["升级处置"])[1:]] == [shift["lock"], shift["chase"]]
    sections = csv_sections(read_csv(folder / "empty.csv"))
    assert sections["按民警 By officer"][1] == ["本时段无数据 No data in this period"]
    first = PdfReader(folder / "empty.pdf").pages[0].extract_text()
    assert "交班报告" in first and "本时段无数据" in first and "—" in first  # said at once, not only in zeros
    assert pdf_text(folder / "empty.pdf").count("本时段无数据") >= 6  # and in each empty chart and table


def test_an_unknown_format_is_refused_naming_the_field(shift: dict[str, Any], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    data = {"from": "2026-11-30T00:00:00+00:00", "to": "2026-11-30T12:00:00+00:00", "timezone": TZ}
    with pytest.raises(InvalidInput) as err:
        write_report(data, tmp_path / "shift.docx", "docx")
    assert err.value.field == "format"
    assert list(tmp_path.iterdir()) == []
    assert cli.main(["report", "--db", str(shift["db"]), "--from", FROM, "--to", TO,
                     "-o", str(tmp_path / "shift.docx")]) == 2
    assert "--format" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_missing_chinese_font_is_said_and_leaves_the_old_file_alone(shift: dict[str, Any], tmp_path: Path) -> None:
    data = json.loads(json.dumps(report_data(shift["db"])))
    target = tmp_path / "shift.pdf"
    target.write_bytes(b"the earlier report")
    with pytest.raises(FontMissing, match="fonts-wqy-microhei"):
        write_report(data, target, "pdf", fonts=[tmp_path])
    assert target.read_bytes() == b"the earlier report"
    assert [p.name for p in tmp_path.iterdir()] == ["shift.pdf"]  # no temporary file left behind
    written = write_report(data, target, "pdf")
    assert written == target and target.read_bytes().startswith(b"%PDF-")


def test_a_missing_output_folder_is_a_message_not_a_traceback(shift: dict[str, Any], tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["report", "--db", str(shift["db"]), "--from", FROM, "--to", TO,
                     "-o", str(tmp_path / "no-such-folder" / "shift.csv")]) == 2
    assert "no such folder" in capsys.readouterr().err


def report_data(db: Path) -> dict[str, Any]:
    store = Store(db, create=False)
    try:
        return store.shift_report(start=at("08:00"), end=at("20:00"), user="lead@test", now=at("20:00", "2026-12-01"))
    finally:
        store.close()


def test_the_hubs_json_gives_the_same_files(shift: dict[str, Any]) -> None:
    data = report_data(shift["db"])
    over_http = json.loads(json.dumps(data))
    assert render_report(over_http, "csv") == render_report(data, "csv")
    assert render_report(over_http, "XLSX")[:2] == b"PK"


def test_long_periods_merge_hours_into_at_most_24_bars() -> None:
    start = datetime(2026, 11, 28, 8, 0)
    hours = [Hour(start + timedelta(hours=i), {"emergency": 1, "high": i % 2, "medium": 0, "low": 0},
                  dissuaded=1, already_lost=0, judged=2, in_time=1) for i in range(72)]
    bars = buckets(hours)
    assert len(bars) == 24 and sum(b.total for b in bars) == sum(sum(h.by_level.values()) for h in hours)
    assert bars[0].label == "28日08时" and bars[1].label == "28日11时"
    assert bars[0].rate("in_time") == 0.5 and bars[0].rate("dissuasion") == 1.0


def test_the_model_says_dash_for_rates_without_a_denominator() -> None:
    report = build({"from": "2026-11-30T00:00:00+00:00", "to": "2026-11-30T12:00:00+00:00", "timezone": TZ,
                    "stats": {"dissuasion_rate": None}, "hourly": [], "audit_head": None})
    assert report.period_text == "2026-11-30 08:00 – 2026-11-30 20:00（Asia/Shanghai）"
    assert dict(report.info)[("审计链末端", "Audit head")] == "—"
    assert render_report({"from": "2026-11-30T00:00:00+00:00", "to": "2026-11-30T12:00:00+00:00"}, "csv")
