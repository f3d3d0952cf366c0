"""The emergency stop-payment / card-lock request (紧急止付/冻结申请) a bank acts on: PDF, JSON, gateway.

Only this document and its JSON carry card numbers unmasked: the bank needs them whole.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from dissuade import paths
from dissuade.domain import settings, timeutil
from dissuade.domain.codes import SCAM_LABELS, EscalationKind
from dissuade.domain.errors import DissuadeError, InvalidInput
from dissuade.domain.models import Escalation, Warning
from dissuade.gateways.sms import GatewayRefused

if TYPE_CHECKING:
    from fpdf import FPDF

TIMEOUT_SECONDS = 60
HOLD_HOURS = settings.HOLD_HOURS.default  # the policy's, when none is given


def hold_note(hours: float = HOLD_HOURS) -> tuple[str, str]:
    return (f"止付期限 {hours:g} 小时，可延长一次", f"The hold lasts {hours:g} hours and may be extended once.")
SYNTHETIC_STAMP = ("演示数据 · 不得发送", "SYNTHETIC — DO NOT SEND")
GLYPH_PROBE = "紧急止付冻结申请元卡号"  # a font must draw these to be used

_WINDOWS_FONTS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
KNOWN_FONTS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    _WINDOWS_FONTS / "msyh.ttc",
    _WINDOWS_FONTS / "msyh.ttf",
    _WINDOWS_FONTS / "simsun.ttc",
    _WINDOWS_FONTS / "simhei.ttf",
    Path("/System/Library/Fonts/PingFang.ttc"),
    Path("/System/Library/Fonts/STHeiti Medium.ttc"),
    Path("/System/Library/Fonts/STHeiti Light.ttc"),
    Path("/System/Library/Fonts/Supplemental/Songti.ttc"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
)
FONT_SUFFIXES = (".ttc", ".ttf", ".otf", ".otc")
FONT_FIX = {
    "linux": "Debian/Ubuntu 上请安装：apt-get install fonts-wqy-microhei / on Debian or Ubuntu install it: "
             "apt-get install fonts-wqy-microhei",
    "win32": "请安装“微软雅黑”或“宋体”（Windows 设置 › 个性化 › 字体）/ install Microsoft YaHei or SimSun "
             "(Windows Settings › Personalisation › Fonts)",
    "darwin": "请在“字体册”中启用“苹方”或“华文黑体”/ enable PingFang or STHeiti in Font Book",
}


class FontMissing(DissuadeError):
    """No font on this machine can draw Chinese; the message says which to install."""


@dataclass(frozen=True, slots=True)
class CjkFont:
    """A font file and, for a .ttc collection, the face in it that draws Chinese."""

    path: Path
    face: int = 0


def find_cjk_font(candidates: Sequence[Path | str] | None = None) -> CjkFont:
    """The first candidate (a font file or a folder of them) that draws Chinese.

    None searches the usual places on Debian, Windows and macOS, then asks fontconfig;
    an explicit list (even an empty one) is searched alone.
    """
    found = _search(tuple(Path(c) for c in candidates)) if candidates is not None else (
        _search(KNOWN_FONTS) or _search(_fontconfig()))
    if found is None:
        raise FontMissing("找不到可显示中文的字体，无法生成 PDF（止付申请、交班报告）。"
                          + FONT_FIX.get(sys.platform, FONT_FIX["linux"])
                          + " / no font that can draw Chinese was found, so no PDF (stop-payment request, "
                          "shift report) can be made")
    return found


def _search(candidates: Sequence[Path]) -> CjkFont | None:
    for candidate in candidates:
        try:
            files = sorted(p for p in candidate.iterdir() if p.suffix.lower() in FONT_SUFFIXES) \
                if candidate.is_dir() else [candidate]
        except OSError:
            continue
        for file in files:
            face = _chinese_face(str(file)) if file.is_file() else None
            if face is not None:
                return CjkFont(file, face)
    return None


def _fontconfig() -> tuple[Path, ...]:
    """What fontconfig names for Simplified Chinese (it may answer a Latin font: _search checks)."""
    if shutil.which("fc-match") is None:
        return ()
    found: list[Path] = []
    for args in (["fc-match", "-f", "%{file}", "sans-serif:lang=zh-cn"], ["fc-match", "-f", "%{file}", "sans:lang=zh"],
                 ["fc-list", ":lang=zh-cn", "file"]):
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        found += [Path(line.strip().rstrip(":")) for line in done.stdout.splitlines() if line.strip()]
    return tuple(found)


@lru_cache(maxsize=32)
def _chinese_face(path: str) -> int | None:
    """The face of the font file that draws GLYPH_PROBE: a Simplified Chinese, proportional one first."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        with open(path, "rb") as fh:  # ours to close, whatever fontTools makes of it
            faces = TTCollection(fh, lazy=True).fonts if fh.read(4) == b"ttcf" else None
            fh.seek(0)
            scored = []
            for number, font in enumerate(faces or [TTFont(fh, lazy=True)]):
                cmap = font.getBestCmap() or {}
                if all(ord(ch) in cmap for ch in GLYPH_PROBE):
                    name = str(font["name"].getDebugName(1) or "")
                    scored.append(("Mono" in name, not any(w in name for w in (" SC", "GB", "YaHei")), number))
    except Exception:  # noqa: BLE001 - whatever fontTools cannot read is not a usable font
        return None
    return min(scored)[2] if scored else None


@dataclass(frozen=True, slots=True)
class Request:
    """What the bank is asked: one card-lock escalation's fields, card numbers in full."""

    request_no: int
    warning_id: int
    holder_name: str
    cards: tuple[str, ...]
    amount: float | None
    requested_at: float
    tz: str
    reason: str
    scam_type: str
    fraud_contact: str
    requested_by: str
    approved_by: str | None
    synthetic: bool
    hold_hours: float = HOLD_HOURS

    @property
    def local_time(self) -> str:
        return timeutil.local_text(self.requested_at, self.tz, fmt="%Y-%m-%d %H:%M:%S")

    @property
    def scam_label(self) -> str:
        return SCAM_LABELS.get(self.scam_type, (self.scam_type,))[0]

    def to_json(self) -> dict[str, object]:
        return {
            "type": "card_lock_request", "request_no": self.request_no, "warning_id": self.warning_id,
            "holder_name": self.holder_name, "cards": list(self.cards), "amount": self.amount,
            "currency": "CNY", "requested_at": timeutil.iso(self.requested_at),
            "requested_at_local": self.local_time, "timezone": self.tz, "reason": self.reason,
            "scam_type": self.scam_type, "scam_type_label": self.scam_label,
            "fraud_contact": self.fraud_contact, "requested_by": self.requested_by,
            "approved_by": self.approved_by, "hold_hours": self.hold_hours, "hold_note": hold_note(self.hold_hours)[0],
            "synthetic": self.synthetic,
        }


def make_request(*, warning: Warning, escalation: Escalation, requested_by: str, approved_by: str | None,
                 requested_at: float, tz: str, hold_hours: float = HOLD_HOURS) -> Request:
    """The request for a card-lock escalation of `warning`; refuses other kinds and other warnings."""
    if escalation.kind != EscalationKind.CARD_LOCK:
        raise InvalidInput(f"只有止付锁卡可向银行申请 / only a card_lock escalation goes to a bank, "
                           f"not {escalation.kind!r}", field="kind")
    if escalation.warning_id != warning.id:
        raise InvalidInput(f"升级 {escalation.id} 不属于预警 {warning.id} / escalation {escalation.id} "
                           f"is not for warning {warning.id}", field="warning_id")
    timeutil.zone(tz)
    return Request(
        request_no=escalation.id, warning_id=warning.id, holder_name=warning.name,
        cards=escalation.cards or warning.cards,
        amount=escalation.amount if escalation.amount is not None else warning.amount_at_risk,
        requested_at=requested_at, tz=tz, reason=escalation.reason, scam_type=warning.scam_type,
        fraud_contact=warning.fraud_contact, requested_by=requested_by, approved_by=approved_by,
        synthetic=warning.synthetic, hold_hours=hold_hours,
    )


def request_record(*, warning: Warning, escalation: Escalation, requested_by: str, approved_by: str | None,
                   requested_at: float, tz: str) -> dict[str, object]:
    """The request's fields as JSON-ready data (cards in full)."""
    return make_request(warning=warning, escalation=escalation, requested_by=requested_by,
                        approved_by=approved_by, requested_at=requested_at, tz=tz).to_json()


def request_pdf(*, warning: Warning, escalation: Escalation, requested_by: str, approved_by: str | None,
                requested_at: float, tz: str, path: Path, fonts: Sequence[Path | str] | None = None,
                hold_hours: float = HOLD_HOURS) -> Path:
    """Write the request a bank checks to `path`; a synthetic warning's copy is stamped as a preview."""
    _write(Path(path), request_pdf_bytes(warning=warning, escalation=escalation, requested_by=requested_by,
                                         approved_by=approved_by, requested_at=requested_at, tz=tz,
                                         fonts=fonts, hold_hours=hold_hours))
    return Path(path)


def request_pdf_bytes(*, warning: Warning, escalation: Escalation, requested_by: str, approved_by: str | None,
                      requested_at: float, tz: str, fonts: Sequence[Path | str] | None = None,
                      hold_hours: float = HOLD_HOURS) -> bytes:
    """The request as PDF bytes (for a preview on screen, or a hub answering a client)."""
    request = make_request(warning=warning, escalation=escalation, requested_by=requested_by,
                           approved_by=approved_by, requested_at=requested_at, tz=tz, hold_hours=hold_hours)
    return _render(request, find_cjk_font(fonts))


@dataclass(frozen=True, slots=True)
class BankGateway:
    """`kind` is outbox (PDF and JSON into `folder`) or webhook (a multipart POST to `webhook`)."""

    kind: str = "outbox"
    folder: Path | None = None
    webhook: str = ""

    def check(self) -> None:
        if self.kind not in ("outbox", "webhook"):
            raise InvalidInput(f"未知银行网关 / unknown bank gateway: {self.kind!r}", field="kind")
        if self.kind == "webhook" and not self.webhook.startswith(("http://", "https://")):
            raise InvalidInput(f"银行网关地址无效 / not an http(s) URL: {self.webhook!r}", field="webhook")

    def send(self, *, warning: Warning, escalation: Escalation, requested_by: str, approved_by: str | None,
             requested_at: float | None = None, tz: str = timeutil.DEFAULT_TZ,
             fonts: Sequence[Path | str] | None = None, hold_hours: float = HOLD_HOURS) -> str:
        """Deliver the request; returns the written PDF's path or the webhook's answer.

        Refuses synthetic warnings (demo accounts may be real people's) and unapproved requests.
        """
        self.check()
        if warning.synthetic:
            raise GatewayRefused("演示/演练数据不向银行发送止付申请 / a stop-payment request is never sent "
                                 "for synthetic (demo or rehearsal) warnings")
        if not approved_by:
            raise GatewayRefused("止付申请须经值班长批准后发送 / a stop-payment request needs a lead's "
                                 "approval before it is sent")
        request = make_request(warning=warning, escalation=escalation, requested_by=requested_by,
                               approved_by=approved_by, tz=tz, hold_hours=hold_hours,
                               requested_at=timeutil.now() if requested_at is None else requested_at)
        if not request.cards:
            raise InvalidInput("止付申请没有卡号或账号 / the request lists no card or account number",
                               field="cards")
        pdf = _render(request, find_cjk_font(fonts))
        body = json.dumps(request.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
        stem = f"card-lock-{escalation.id}"
        if self.kind == "webhook":
            return _post(self.webhook, stem, pdf, body)
        folder = self.folder or paths.data_dir() / "bank-outbox"
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / f"{stem}.json", body)
        _write(folder / f"{stem}.pdf", pdf)
        return str(folder / f"{stem}.pdf")


def _write(path: Path, data: bytes) -> None:
    """Write whole or not at all: a bank's pickup never sees half a file."""
    partial = path.with_name(f".{path.name}-{uuid.uuid4().hex[:8]}")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _post(url: str, stem: str, pdf: bytes, record: bytes) -> str:
    try:
        answer = httpx.post(url, timeout=TIMEOUT_SECONDS, files={
            "pdf": (f"{stem}.pdf", pdf, "application/pdf"),
            "record": (f"{stem}.json", record, "application/json")})
    except httpx.HTTPError as exc:
        raise GatewayRefused(f"银行网关无法连接 / cannot reach the bank gateway: {exc}") from None
    if answer.status_code >= 300:
        raise GatewayRefused(f"银行网关拒绝 / the bank gateway answered {answer.status_code}: "
                             f"{answer.text[:300]}")
    return (answer.text.strip() or str(answer.status_code))[:500]


def _render(request: Request, font: CjkFont) -> bytes:
    """The request as PDF bytes: Chinese first, English smaller, a signature and seal area."""
    from fpdf import FPDF  # imported here: it takes half a second and only this needs it

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font("cjk", "", str(font.path), collection_font_number=font.face)
    pdf.set_title(f"紧急止付/冻结申请 {request.request_no}")
    pdf.set_creator("dissuade")
    pdf.add_page()
    if request.synthetic:
        _banner(pdf)
    _title(pdf, request.request_no)
    amount = "未知 / unknown" if request.amount is None else f"{request.amount:,.2f} 元（人民币 CNY）"
    rows = [
        ("账户户主", "Account holder", request.holder_name or "—"),
        ("卡号/账号（完整）", "Card / account numbers (full)", "\n".join(request.cards) or "（无 / none）"),
        ("涉案金额", "Amount at risk", amount),
        ("申请时间", "Requested at", f"{request.local_time} ({request.tz})"),
        ("申请事由", "Reason", request.reason),
        ("诈骗类型", "Scam type", f"{request.scam_label} ({request.scam_type})"),
        ("预警编号", "Warning ID", str(request.warning_id)),
        ("涉诈联系方式", "Fraud contact", request.fraud_contact or "—"),
        ("申请民警", "Requesting officer", request.requested_by),
        ("审批值班长", "Approving lead", request.approved_by or "（未审批 / not yet approved）"),
    ]
    for zh, en, value in rows:
        _row(pdf, zh, en, value)
    _hold_note(pdf, request.hold_hours)
    _signatures(pdf)
    _footers(pdf, request.request_no)
    if request.synthetic:
        _watermark(pdf)
    return bytes(pdf.output())


def _title(pdf: FPDF, request_no: int) -> None:
    pdf.set_font("cjk", size=20)
    pdf.cell(0, 11, "紧急止付/冻结申请", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=9)
    pdf.set_text_color(90)
    pdf.cell(0, 5, "Emergency stop-payment / account freeze request", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(3)
    pdf.set_font("cjk", size=11)
    pdf.cell(0, 7, f"申请编号 Request No.：{request_no}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(0)
    pdf.set_line_width(0.5)
    pdf.line(pdf.l_margin, pdf.y, pdf.w - pdf.r_margin, pdf.y)
    pdf.set_line_width(0.2)


LABEL_WIDTH = 46


def _row(pdf: FPDF, zh: str, en: str, value: str) -> None:
    """A label (Chinese, English below in small type) and its value, then a thin rule."""
    value_width = pdf.epw - LABEL_WIDTH
    pdf.set_font("cjk", size=12)
    lines = pdf.multi_cell(value_width, 6.5, value, dry_run=True, output="LINES")
    height = max(13.0, 6.5 * (len(lines) if isinstance(lines, list) else 1) + 5)
    if pdf.y + height > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.y
    pdf.set_xy(pdf.l_margin, top + 2)
    pdf.set_font("cjk", size=11)
    pdf.cell(LABEL_WIDTH, 5.5, zh, new_x="LEFT", new_y="NEXT")
    pdf.set_font("cjk", size=7.5)
    pdf.set_text_color(90)
    pdf.cell(LABEL_WIDTH, 4, en)
    pdf.set_text_color(0)
    pdf.set_xy(pdf.l_margin + LABEL_WIDTH, top + 2.5)
    pdf.set_font("cjk", size=12)
    pdf.multi_cell(value_width, 6.5, value, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(top + height)
    pdf.set_draw_color(180)
    pdf.line(pdf.l_margin, pdf.y, pdf.w - pdf.r_margin, pdf.y)
    pdf.set_draw_color(0)


def _hold_note(pdf: FPDF, hours: float) -> None:
    note = hold_note(hours)
    pdf.ln(5)
    pdf.set_font("cjk", size=13)
    pdf.cell(0, 7, note[0], border="LTR", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=8)
    pdf.cell(0, 5, note[1], border="LBR", align="C", new_x="LMARGIN", new_y="NEXT")


def _signatures(pdf: FPDF) -> None:
    """Three boxes: the officer's and the approver's signatures and the unit's seal."""
    if pdf.y + 52 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(6)
    width, top = pdf.epw / 3, pdf.y
    boxes = [("申请民警签名", "Requesting officer's signature"), ("审批人签名", "Approver's signature"),
             ("单位盖章", "Official seal")]
    for i, (zh, en) in enumerate(boxes):
        x = pdf.l_margin + i * width
        pdf.rect(x, top, width, 42)
        pdf.set_xy(x + 2, top + 2)
        pdf.set_font("cjk", size=10.5)
        pdf.cell(width - 4, 5, zh, new_x="LEFT", new_y="NEXT")
        pdf.set_font("cjk", size=7)
        pdf.set_text_color(90)
        pdf.cell(width - 4, 4, en)
        pdf.set_xy(x + 2, top + 35)
        pdf.cell(width - 4, 4, "日期 Date：")
        pdf.set_text_color(0)
    pdf.set_y(top + 44)


def _footers(pdf: FPDF, request_no: int) -> None:
    """Each page says which request it belongs to and which page of how many it is."""
    pdf.set_auto_page_break(False)
    pages = pdf.page
    for page in range(1, pages + 1):
        pdf.page = page
        pdf.set_font("cjk", size=8)
        pdf.set_text_color(90)
        pdf.set_xy(pdf.l_margin, pdf.h - 12)
        pdf.cell(0, 5, f"申请编号 {request_no} · 第 {page}/{pages} 页  Page {page} of {pages}", align="C")
        pdf.set_text_color(0)


def _banner(pdf: FPDF) -> None:
    pdf.set_fill_color(200, 0, 0)
    pdf.set_text_color(255)
    pdf.set_font("cjk", size=15)
    pdf.cell(0, 10, f"{SYNTHETIC_STAMP[0]}   {SYNTHETIC_STAMP[1]}", align="C", fill=True,
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(3)


def _watermark(pdf: FPDF) -> None:
    """A large diagonal stamp across every page, over the text but see-through."""
    for page in range(1, pdf.page + 1):
        pdf.page = page
        with pdf.local_context(fill_opacity=0.25, text_color=(200, 0, 0)), \
                pdf.rotation(35, pdf.w / 2, pdf.h / 2):
            pdf.set_font("cjk", size=54)
            pdf.set_xy(0, pdf.h / 2 - 22)
            pdf.cell(pdf.w, 24, SYNTHETIC_STAMP[0], align="C", new_x="LEFT", new_y="NEXT")
            pdf.set_font("cjk", size=26)
            pdf.cell(pdf.w, 14, SYNTHETIC_STAMP[1], align="C")
