"""Feeds' warnings over both sources: nothing read back, bad secondary fields kept as problems,
the same limits in the core and the hub, extensions and report times kept honestly."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from dissuade.domain import limits, timeutil
from dissuade.domain.errors import Forbidden, InvalidInput
from dissuade.domain.models import Receipt
from dissuade.sources import Source
from tests.conftest import warning_data
from tests.hubs import ThreadHub

Make = Callable[[str], Source]
CARD = "6222020200001234567"


def post(hub: ThreadHub, path: str, body: object, user: str = "feed-1") -> httpx.Response:
    return httpx.post(hub.url + path, json=body, timeout=30,
                      headers={"Authorization": f"Bearer {hub.tokens[user]}"})


def test_a_feed_reads_back_only_an_id_a_status_and_problems(sources: Make) -> None:
    feed, admin, lead = sources("feed-1"), sources("admin-1"), sources("lead-1")
    first = feed.add_warning(warning_data(1, name="张三", district="思明区", notes="正在转账"))
    assert first == Receipt(first.id, "new", True, ())
    # Another account reposting the same (source, external_id) learns the id and status only.
    again = admin.add_warning(warning_data(1, name="李四"))
    assert again == Receipt(first.id, "new", False, ())
    with pytest.raises(Forbidden):
        admin.get(first.id)  # admins may post warnings and read nothing back
    assert lead.get(first.id).warning.name == "张三"
    (result,) = admin.add_warnings([warning_data(1)])
    assert (result.warning_id, result.status, result.created) == (first.id, "new", False)
    lead.claim(first.id)
    assert feed.add_warning(warning_data(1)).status == "claimed"


def test_the_hub_answers_no_warning_fields_to_any_poster(hub: ThreadHub) -> None:
    for user in ("feed-1", "admin-1", "lead-1"):
        new = post(hub, "/api/v1/warnings", warning_data(ord(user[0]), name="张三"), user)
        assert new.status_code == 201 and set(new.json()) == {"id", "status", "problems"}
        repeat = post(hub, "/api/v1/warnings", warning_data(ord(user[0])), user)
        assert repeat.status_code == 200
        assert repeat.json() == {"id": new.json()["id"], "status": "new", "problems": []}
    batch = post(hub, "/api/v1/warnings/batch",
                 {"warnings": [warning_data(200), warning_data(201, phone="12345"),
                               warning_data(200), warning_data(202, scam_type="lottery")]})
    assert batch.status_code == 200
    items = batch.json()["results"]
    assert all(set(item) == {"index", "id", "status", "created", "error", "field", "problems"}
               for item in items)
    assert [(i["status"], i["created"], i["field"]) for i in items] == [
        ("new", True, None), (None, False, "phone"), ("new", False, None), ("new", True, None)]
    assert [p["field"] for p in items[3]["problems"]] == ["scam_type"]
    assert "12345" not in str(items[1])  # the refused number is not echoed


def test_a_bad_secondary_field_is_taken_with_its_problem_noted(sources: Make) -> None:
    feed, lead = sources("feed-1"), sources("lead-1")
    understood = feed.add_warning(warning_data(
        1, amount_at_risk="¥1.5万元", cards="6222 0202 0000 1234 567", scam_type="杀猪盘",
        risk_level=None, reported_at="45992.5"))
    assert understood.created and understood.problems == ()
    w = lead.get(understood.id).warning
    assert (w.amount_at_risk, w.cards, w.scam_type, w.risk_level) == (
        15000, ("6222 **** **** 4567",), "romance_investment", "high")
    assert w.reported_at == datetime.fromisoformat("2025-12-01T12:00:00+08:00").timestamp()
    noted = feed.add_warning(warning_data(
        2, scam_type="lottery", risk_level="P9", reported_at="yesterday", amount_at_risk="很多",
        id_number="110105194912310021", cards=[f"62220202000012{n:05d}" for n in range(21)],
        notes="备" * (limits.TEXT_MAX + 5)))
    assert noted.created
    assert sorted(p["field"] for p in noted.problems) == [
        "amount_at_risk", "cards", "id_number", "notes", "reported_at", "risk_level", "scam_type"]
    w = lead.get(noted.id).warning
    assert (w.scam_type, w.risk_level, w.reported_at, w.amount_at_risk, w.id_number, w.cards) == (
        "unknown", "medium", None, None, "", ())
    assert len(w.notes) == limits.TEXT_MAX
    assert w.problems == noted.problems  # the warning carries them for the officer and the lead
    assert "110105194912310021" not in str(noted.problems)


def test_loosely_typed_values_are_the_cores_to_judge_not_a_422(hub: ThreadHub) -> None:
    bodies = [
        warning_data(1, amount_at_risk=12000, cards=[CARD]),
        warning_data(2, amount_at_risk="1.2万", cards=CARD),
        warning_data(3, amount_at_risk=True, cards=int(CARD), name=12345, district=None),
        warning_data(4, notes="备" * (limits.TEXT_MAX + 1), fraud_contact="x" * 5000,
                     external_id="E" * (limits.EXTERNAL_ID_MAX + 1)),
        warning_data(5, cards=[CARD] * 2 + [f"6222{n:015d}" for n in range(30)]),
        warning_data(6, reported_at=45992.5, phone=13900000006, phone_extension=808),
    ]
    for body in bodies:
        answer = post(hub, "/api/v1/warnings", body)
        assert answer.status_code == 201, (body, answer.text)
    answer = post(hub, "/api/v1/warnings", bodies[3] | {"external_id": "E-4"})
    assert sorted(p["field"] for p in answer.json()["problems"]) == ["fraud_contact", "notes"]


@pytest.mark.parametrize(("change", "field"), [
    ({"phone": "138OO138OOO"}, "phone"), ({"phone": "1" * (limits.PHONE_MAX + 1)}, "phone"),
    ({"phone": None}, "phone"), ({"source": "s" * (limits.SOURCE_MAX + 1)}, "source"),
    ({"source": 5}, "source"), ({"name": {"first": "三"}}, "name"), ({"cards": [[CARD]]}, "cards"),
    ({"synthetic": "yes"}, "synthetic"), ({"victim": "张三"}, "victim"),
])
def test_phone_source_and_shape_refuse_the_same_in_the_core_and_the_hub(
        sources: Make, change: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        sources("feed-1").add_warning(warning_data(1) | change)
    assert err.value.field == field
    assert "138OO138OOO" not in str(err.value) and "1" * 20 not in str(err.value)
    assert sources("lead-1").queue_size() == 0


def test_a_refused_phone_is_not_echoed_by_the_hub(hub: ThreadHub) -> None:
    answer = post(hub, "/api/v1/warnings", warning_data(1, phone="139-1234-567O"))
    assert answer.status_code == 422
    (detail,) = answer.json()["detail"]
    assert detail["loc"] == ["body", "phone"] and "letter O" in detail["msg"]
    assert "1391234567" not in detail["msg"].replace("-", "")


def test_an_extension_is_kept_visibly_beside_the_e164_phone(sources: Make) -> None:
    feed, officer = sources("feed-1"), sources("officer-a")
    for n, written in enumerate(["0592-5551234转808", "0592 5551234 ext. 808", "0592-5551234 x808",
                                 "0592-5551234#808", "0592-5551234分机808"], start=1):
        receipt = feed.add_warning(warning_data(n, phone=written))
        w = officer.get(receipt.id).warning
        assert (w.phone, w.phone_extension) == ("+865925551234", "808"), written
    queued = officer.queue(limit=1)[0]
    assert queued.phone_extension == "808"


def test_a_report_time_ahead_of_arrival_never_postpones_the_deadline(sources: Make) -> None:
    feed, lead = sources("feed-1"), sources("lead-1")
    local_as_utc = timeutil.iso(time.time() + 8 * 3600)  # local time tagged as UTC
    assert local_as_utc is not None
    receipt = feed.add_warning(warning_data(1, risk_level="emergency", reported_at=local_as_utc))
    (noted,) = receipt.problems
    assert noted["field"] == "reported_at" and noted["value"] == local_as_utc
    assert "报告时间晚于接收时间 8 小时" in noted["message"]
    w = lead.get(receipt.id).warning
    assert w.deadline <= w.arrived_at + 10 * 60 + 1e-6
    far = feed.add_warning(warning_data(2, reported_at=timeutil.iso(time.time() + 3 * 86400)))
    assert lead.get(far.id).warning.reported_at is None


def test_a_batch_reports_each_items_problems(sources: Make) -> None:
    results = sources("feed-1").add_warnings([
        warning_data(1), warning_data(2, cards="1234"), warning_data(3, phone="13800l38000")])
    assert [(r.created, r.status, r.field) for r in results] == [
        (True, "new", None), (True, "new", None), (False, None, "phone")]
    assert results[0].problems == () and [p["field"] for p in results[1].problems] == ["cards"]


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/v1/warnings", {"phone": "13900000001", "victim_phone": "13812345678"}, "victim_phone"),
    ("/api/v1/warnings", {"name": "张三", "cards": [CARD], "id_number": "11010519491231002X"},
     "phone"),
    ("/api/v1/warnings", {"phone": "13900000001", "cards": [{"no": CARD}]}, "cards"),
    ("/api/v1/warnings", {"phone": "1381234567813812345678" * 6}, "phone"),
    ("/api/v1/warnings/batch", {"phone": "13812345678", "cards": [CARD]}, "warnings"),
    ("/api/v1/warnings/batch", {"warnings": {"phone": "13812345678"}}, "warnings"),
    ("/api/v1/warnings/batch", {"warnings": [], "phone": "13812345678"}, "phone"),
    ("/api/v1/warnings/batch", {"warnings": [warning_data(1)] * 5001}, "warnings"),
])
def test_a_refused_body_is_never_repeated_back(hub: ThreadHub, path: str, body: object,
                                               field: str) -> None:
    """A 422 names the field; the phone, card or ID number it refused does not come back."""
    answer = post(hub, path, body)
    assert answer.status_code == 422
    assert [d["loc"] for d in answer.json()["detail"]] == [["body", field]]
    for secret in ("13812345678", CARD, "11010519491231002X", "13900000001"):
        assert secret not in answer.text


def test_an_import_through_either_source_notes_problems_and_rejects(
        sources: Make, tmp_path: Path) -> None:
    from dissuade.feeds import importer

    path = tmp_path / "feed.csv"
    path.write_text("预警编号,手机号,诈骗类型,涉案金额\r\nI-1,13900000001,杀猪盘,¥2万\r\n"
                    "I-2,1390000OOO2,刷单,\r\nI-3,13900000003,彩票,很多\r\n", encoding="utf-8-sig")
    result = importer.import_file(path, sources("lead-1"))
    assert (result.imported, result.with_problems, result.rejected) == (2, 1, 1)
    lead = sources("lead-1")
    found = {w.external_id: w for w in lead.queue(limit=10)}
    assert (found["I-1"].scam_type, found["I-1"].amount_at_risk) == ("romance_investment", 20000)
    assert [p["field"] for p in found["I-3"].problems] == ["scam_type", "amount_at_risk"]
    assert importer.problems_path(path).exists() and importer.rejected_path(path).exists()
