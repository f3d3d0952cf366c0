"""The stop-payment request as a PDF page a bank checks: Chinese first, English smaller, every
field, the hold, signature and seal boxes, and a synthetic warning's copy stamped as a preview."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

    from dissuade.fonts import CjkFont
    from dissuade.gateways.bank_request import Request

SYNTHETIC_STAMP = ("演示数据 · 不得发送", "SYNTHETIC — DO NOT SEND")


def render(request: Request, font: CjkFont) -> bytes:
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
    _hold_note(pdf, request.hold_note)
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


def _hold_note(pdf: FPDF, note: tuple[str, str]) -> None:
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
