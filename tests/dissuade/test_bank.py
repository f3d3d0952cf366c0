"""Bank stop-payment requests: a real PDF whose Chinese is real text in a real embedded font, and
real outbox and webhook deliveries; synthetic warnings get a stamped preview and are never sent."""

from __future__ import annotations

import email
import email.policy
import io
import json
import shutil
import subprocess
import threading
from collections.abc import Sequence
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

import dissuade
from dissuade import paths
from dissuade.domain import timeutil
from dissuade.domain.errors import InvalidInput
from dissuade.domain.masking import mask_card
from dissuade.domain.models import Escalation, Warning
from dissuade.fonts import FontMissing, find_cjk_font
from dissuade.gateways import bank
from dissuade.gateways.delivery import GatewayRefused
from dissuade.sources import LocalSource
from tests.conftest import warning_data

CARDS = ["6222021234567890123", "6217001234567890"]
REASON = "受害人拒不听劝，正准备向“安全账户”转账"
AT = timeutil.parse("2025-03-01T14:05:00", tz="Asia/Shanghai")
Fonts = Sequence[Path | str] | None


@pytest.fixture
def source(tmp_path: Path) -> LocalSource:
    opened = dissuade.open_source(tmp_path / "c.db", user="officer-007")
    assert isinstance(opened, LocalSource)
    return opened


def _escalated(source: LocalSource, *, synthetic: bool, n: int = 1, kind: str = "card_lock",
               ) -> tuple[Warning, Escalation]:
    warning = source.get(source.add_warning(warning_data(
        n, synthetic=synthetic, name="张三丰", amount_at_risk=50000, fraud_contact="QQ 123456789",
        scam_type="fake_investment")).id).warning
    source.claim(warning.id)
    escalation = source.propose_escalation(warning.id, kind=kind, reason=REASON, cards=CARDS, amount=50000)
    # The request is made in the core from the records in full; sources hand out masked copies.
    assert source.get(warning.id).warning.cards == ()  # none on the warning itself here
    assert escalation.cards == tuple(mask_card(c) for c in CARDS)
    return source.store.warning(warning.id), source.store.escalation(escalation.id)


def _pdf(warning: Warning, escalation: Escalation, path: Path, fonts: Fonts = None) -> Path:
    return bank.request_pdf(warning=warning, escalation=escalation, requested_by="officer-007",
                            approved_by="王值班长", requested_at=AT, tz="Asia/Shanghai", path=path, fonts=fonts)


def _send(gateway: bank.BankGateway, warning: Warning, escalation: Escalation, *,
          approved_by: str | None = "王值班长", fonts: Fonts = None) -> str:
    return gateway.send(warning=warning, escalation=escalation, requested_by="officer-007",
                        approved_by=approved_by, requested_at=AT, fonts=fonts)


def _parts(content_type: str, body: bytes) -> dict[str, tuple[str | None, str, bytes]]:
    """A multipart/form-data body's parts by name: (file name, content type, bytes)."""
    message = email.message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body,
                                       policy=email.policy.HTTP)
    assert isinstance(message, EmailMessage)
    return {str(p.get_param("name", header="content-disposition")):
            (p.get_filename(), p.get_content_type(), bytes(p.get_payload(decode=True)))
            for p in message.iter_parts()}


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _embedded_fonts(path: Path) -> list[TTFont]:
    """The font files embedded for the first page, as fontTools reads them."""
    page: Any = PdfReader(path).pages[0]
    fonts = []
    for ref in page["/Resources"]["/Font"].values():
        descendant = ref.get_object()["/DescendantFonts"][0].get_object()
        data = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        fonts.append(TTFont(io.BytesIO(data)))
    return fonts


def test_the_request_carries_every_field_in_real_chinese(source: LocalSource, tmp_path: Path) -> None:
    warning, escalation = _escalated(source, synthetic=False)
    path = _pdf(warning, escalation, tmp_path / "request.pdf")
    text = _text(path)
    for expected in ["紧急止付/冻结申请", f"申请编号 Request No.：{escalation.id}", "张三丰", *CARDS, "50,000.00 元",
                     "2025-03-01 14:05:00", REASON, "虚假网络投资理财", "QQ 123456789", "officer-007", "王值班长",
                     "止付期限 48 小时，可延长一次", "申请民警签名", "单位盖章", "Emergency stop-payment"]:
        assert expected in text, expected
    assert "演示数据" not in text and "SYNTHETIC" not in text

    chinese = {ch for ch in text if "\u4e00" <= ch <= "\u9fff"}
    assert len(chinese) > 60 and "\ufffd" not in text and "□" not in text
    # The embedded font really draws them: each Chinese character maps to a glyph with ink
    # (wqy-microhei builds many from components, so the outlines are drawn, not counted).
    (font,) = _embedded_fonts(path)
    cmap, glyphs = font.getBestCmap(), font.getGlyphSet()
    for ch in chinese:
        pen = BoundsPen(glyphs)
        glyphs[cmap[ord(ch)]].draw(pen)
        assert pen.bounds is not None, ch

    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(path),
                        str(tmp_path / "page")], check=True, timeout=60)
        assert (tmp_path / "page.png").read_bytes()[:4] == b"\x89PNG"


def test_the_record_is_the_same_request_as_json(source: LocalSource) -> None:
    warning, escalation = _escalated(source, synthetic=False)
    record = bank.request_record(warning=warning, escalation=escalation, requested_by="officer-007",
                                 approved_by="王值班长", requested_at=AT, tz="Asia/Shanghai")
    assert json.loads(json.dumps(record)) == record
    assert record["cards"] == CARDS and record["amount"] == 50000 and record["holder_name"] == "张三丰"
    assert record["request_no"] == escalation.id and record["warning_id"] == warning.id
    assert record["requested_at_local"] == "2025-03-01 14:05:00"
    assert record["requested_at"] == "2025-03-01T06:05:00+00:00"
    assert record["scam_type_label"] == "虚假网络投资理财" and record["hold_hours"] == 48
    assert record["synthetic"] is False and record["approved_by"] == "王值班长"


def test_the_outbox_gets_the_pdf_and_the_json(source: LocalSource, tmp_path: Path) -> None:
    warning, escalation = _escalated(source, synthetic=False)
    folder = tmp_path / "outbox"
    result = _send(bank.BankGateway("outbox", folder=folder), warning, escalation)
    stem = f"card-lock-{escalation.id}"
    assert result == str(folder / f"{stem}.pdf")
    assert sorted(p.name for p in folder.iterdir()) == [f"{stem}.json", f"{stem}.pdf"]
    assert json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))["cards"] == CARDS
    assert CARDS[0] in _text(folder / f"{stem}.pdf")
    # The default outbox is in the user's data folder.
    assert _send(bank.BankGateway(), warning, escalation) == str(paths.data_dir() / "bank-outbox" / f"{stem}.pdf")


def test_a_webhook_gets_the_pdf_and_the_json(source: LocalSource) -> None:
    got: list[dict[str, tuple[str | None, str, bytes]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server protocol
            got.append(_parts(self.headers["Content-Type"], self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(202)
            self.end_headers()
            self.wfile.write("已受理 accepted".encode())

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    warning, escalation = _escalated(source, synthetic=False)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/bank"
        assert _send(bank.BankGateway("webhook", webhook=url), warning, escalation) == "已受理 accepted"
    finally:
        server.shutdown()
        server.server_close()
    (parts,) = got
    pdf_name, pdf_type, pdf = parts["pdf"]
    assert (pdf_name, pdf_type, pdf[:5]) == (f"card-lock-{escalation.id}.pdf", "application/pdf", b"%PDF-")
    assert CARDS[1] in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    record = json.loads(parts["record"][2])
    assert parts["record"][1] == "application/json"
    assert (record["cards"], record["holder_name"], record["synthetic"]) == (CARDS, "张三丰", False)


def test_synthetic_is_never_sent_but_previews_stamped(source: LocalSource, tmp_path: Path) -> None:
    warning, escalation = _escalated(source, synthetic=True)
    folder = tmp_path / "outbox"
    for gateway in (bank.BankGateway(folder=folder), bank.BankGateway("webhook", webhook="http://127.0.0.1:9/x")):
        with pytest.raises(GatewayRefused, match="synthetic"):
            _send(gateway, warning, escalation)
    assert not folder.exists()
    text = _text(_pdf(warning, escalation, tmp_path / "preview.pdf"))
    assert "演示数据 · 不得发送" in text and "SYNTHETIC — DO NOT SEND" in text and CARDS[0] in text
    assert bank.request_record(warning=warning, escalation=escalation, requested_by="o", approved_by=None,
                               requested_at=AT, tz="Asia/Shanghai")["synthetic"] is True


def test_unapproved_or_foreign_requests_are_refused(source: LocalSource, tmp_path: Path) -> None:
    warning, escalation = _escalated(source, synthetic=False)
    with pytest.raises(GatewayRefused, match="approval"):
        _send(bank.BankGateway(folder=tmp_path), warning, escalation, approved_by=None)
    other, chase = _escalated(source, synthetic=False, n=2, kind="chase_call")
    with pytest.raises(InvalidInput, match="card_lock"):
        _pdf(other, chase, tmp_path / "x.pdf")
    with pytest.raises(InvalidInput, match="not for warning"):
        _pdf(other, escalation, tmp_path / "x.pdf")
    with pytest.raises(InvalidInput):
        _send(bank.BankGateway("fax"), warning, escalation)


def test_without_a_chinese_font_the_error_says_what_to_install(source: LocalSource, tmp_path: Path) -> None:
    warning, escalation = _escalated(source, synthetic=False)
    empty = tmp_path / "fonts"
    empty.mkdir()
    (empty / "broken.ttf").write_bytes(b"not a font")
    for fonts in ([], [empty], [tmp_path / "missing.ttc"]):
        with pytest.raises(FontMissing, match="fonts-wqy-microhei"):
            _pdf(warning, escalation, tmp_path / "x.pdf", fonts=fonts)
        with pytest.raises(FontMissing):
            _send(bank.BankGateway(folder=tmp_path / "out"), warning, escalation, fonts=fonts)
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "out").exists()
    # A folder holding a Chinese font is searched too.
    found = find_cjk_font()
    assert find_cjk_font([empty, found.path.parent]) == found
