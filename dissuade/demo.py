"""Synthetic demo data: realistic-looking warnings, all marked synthetic, fast enough for 1M rows."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

import phonenumbers
from phonenumbers import geocoder

from dissuade.domain import idnumbers, timeutil
from dissuade.domain.codes import RiskLevel
from dissuade.domain.errors import InvalidInput
from dissuade.domain.settings import HOLD_HOURS
from dissuade.store import Store
from dissuade.store.ingest import BATCH, DemoBatch

# Plausible shares of warning volume by scam type (order brushing and investment lead, as the
# public-security lists say); the weights need not sum to 1.
SCAM_WEIGHTS: dict[str, float] = {
    "order_brushing": 22, "fake_investment": 15, "fake_customer_service": 14, "fake_loan": 12,
    "impersonating_authority": 8, "fake_credit_repair": 7, "impersonating_boss": 5,
    "romance_investment": 5, "fake_game_trade": 4, "fake_shopping": 4,
    "impersonating_military_purchase": 2, "medical_insurance": 3, "unknown": 2,
}
SOURCES = ["bank", "telecom", "provincial_centre", "hotline_96110", "internet", "dingtalk"]
DISTRICTS = ["思明区", "湖里区", "集美区", "海沧区", "同安区", "翔安区"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国建"
    "华志强晓明海燕丹丹婷婷浩然子涵梓萱一诺欣怡宇轩思远雨桐嘉怡俊杰文博佳琪"
)
MOBILE_PREFIXES = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
                   "150", "151", "152", "153", "155", "156", "157", "158", "159", "166",
                   "173", "175", "176", "177", "178", "180", "181", "182", "183", "184",
                   "185", "186", "187", "188", "189", "198", "199"]
OUTCOME_WEIGHTS = {"dissuaded": 72, "not_fraud": 9, "already_lost": 6, "invalid_number": 4,
                   "wrong_person": 5}
OFFICERS = [f"demo-officer-{n:02d}" for n in range(1, 21)]
CONTACT_KINDS = ["QQ群 {n}", "微信号 wx_{n}", "网址 app-{n}.example", "+852 {n}", "APP“云{n}”"]
NOTES = {
    "order_brushing": "点赞返利兼职群，已做过小额任务", "fake_investment": "荐股群老师带单，平台无法提现",
    "fake_loan": "贷款APP要求先交解冻金", "fake_customer_service": "自称快递客服理赔，要求屏幕共享",
    "fake_credit_repair": "称需注销校园贷账户，否则影响征信", "impersonating_authority": "自称公安，称涉嫌洗钱",
    "impersonating_boss": "新好友冒充领导要求转账", "fake_game_trade": "游戏账号交易，称资金冻结需解冻费",
    "romance_investment": "网恋对象推荐博彩/投资网站", "fake_shopping": "低价购物，付款后不发货再要运费",
    "impersonating_military_purchase": "自称部队采购，要求先向供应商付款",
    "medical_insurance": "自称医保局称医保卡违规将冻结，转接“公安”", "unknown": "运营商涉诈号码来电预警",
}


T = TypeVar("T")
ID_REGIONS = ("350203", "350206", "350211", "350205", "350212", "350213", "110105", "310115",
              "440305", "510107")  # the demo's districts first, then a few big cities


def _id_number(uniform: Callable[[], float]) -> str:
    """A synthetic resident ID number that passes the check digit (it names no one on purpose,
    yet may match someone by chance: it is shown only on synthetic warnings)."""
    year = 1945 + int(uniform() * 60)
    body = (f"{ID_REGIONS[int(uniform() * len(ID_REGIONS))]}{year}{1 + int(uniform() * 12):02d}"
            f"{1 + int(uniform() * 28):02d}{int(uniform() * 1000):03d}")
    return body + idnumbers.check_digit(body)
RANKS = {lv.value: lv.rank for lv in RiskLevel}


@dataclass(frozen=True, slots=True)
class DemoResult:
    warnings: int
    attempts: int
    escalations: int
    seconds: float


def phone_prefixes(rng: random.Random, count: int = 3000) -> list[str]:
    """7-digit mobile prefixes that phonenumbers calls valid (the region lives in these)."""
    found: set[str] = set()
    while len(found) < count:
        prefix = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10_000):04d}"
        number = phonenumbers.parse("+86" + prefix + "0000")
        # Only prefixes the geocoder places in a city, so the demo shows regions as real data does.
        if phonenumbers.is_valid_number(number) and \
                geocoder.description_for_number(number, "zh") not in ("", "中国"):
            found.add(prefix)
    return sorted(found)


LEADS = ["demo-lead-01", "demo-lead-02"]
DECIDED_AFTER = 20 * 60.0  # younger escalations still wait for a lead


def _demo_escalation(i: int, batch: DemoBatch, *, run: str, cards: list[str], amount: float | None,
                     officer: str, at: float, now: float, district: str,
                     uniform: Callable[[], float]) -> float | None:
    """A brainwashed warning's escalation: the youngest wait for a lead, others are under way
    (sent, locked until the person is reached, dispatched), the rest went the whole way and the
    warning was closed; for those, returns the closing call's time."""
    kind = "card_lock" if cards else "door_visit"
    cid = f"demo-{run}-e{i}"
    reason = "拒不听劝/疑似被洗脑 / refuses to listen"
    station = f"{district}辖区派出所" if kind == "door_visit" else ""
    card_text = json.dumps(cards) if cards else "[]"
    batch.steps.append((cid, "proposed", officer, at, reason))
    age = now - at
    if age < DECIDED_AFTER:
        batch.escalations.append((cid, i, kind, reason, card_text, amount, officer, at, "proposed",
                                  None, None, station, None))
        return None
    lead = LEADS[int(uniform() * len(LEADS))]
    decided = at + 60.0 + uniform() * 240.0
    batch.steps.append((cid, "approved", lead, decided, "同意"))
    path = (("sent", 120.0), ("locked", 600.0), ("explained", 4 * 3600.0), ("unlocked", 600.0)) \
        if kind == "card_lock" else (("dispatched", 300.0), ("visited", 1800.0))
    status, t, hold = "approved", decided, None
    for step, gap in path:
        t += gap * (0.5 + uniform())
        if t > now - 60.0:
            break
        note = "已向当事人解释并劝阻" if step in ("explained", "visited") else ""
        batch.steps.append((cid, step, lead if step == "dispatched" else officer, t, note))
        status = step
        hold = t + HOLD_HOURS.default * 3600.0 if step == "locked" else hold
    batch.escalations.append((cid, i, kind, reason, card_text, amount, officer, at, status, lead,
                              decided, station, hold))
    if status != path[-1][0]:
        return None
    return min(t + 300.0, now - 30.0)


def generate(
    store: Store,
    *,
    warnings: int,
    seed: int | None = None,
    now: float | None = None,
    span_hours: float = 72.0,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Add `warnings` synthetic warnings to the store in one transaction (all or nothing)."""
    if not isinstance(warnings, int) or warnings < 0:
        raise InvalidInput("预警数量应为非负整数 / --warnings must be a whole number >= 0",
                           field="warnings")
    started = timeutil.now()
    now = started if now is None else now
    rng = random.Random(seed)
    policy = store.policy()
    run = uuid.uuid4().hex[:8]
    prefixes = phone_prefixes(rng, min(3000, max(50, warnings // 20)))
    types = rng.choices(list(SCAM_WEIGHTS), weights=list(SCAM_WEIGHTS.values()), k=warnings)
    feed_levels = rng.choices([lv.value for lv in RiskLevel], weights=[1, 2, 3, 4], k=warnings)
    outcomes = rng.choices(list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values()),
                           k=warnings)
    counts = {"attempts": 0, "escalations": 0}
    # Arrival order is id order, as in a real feed; a repeat victim's earlier warning comes first.
    arrivals = sorted(now - rng.random() * span_hours * 3600.0 for _ in range(warnings))

    def batches() -> Iterator[DemoBatch]:
        batch = DemoBatch([], [], [], [])
        victims: list[tuple[str, float]] = []  # (phone, closed at) of closed cases
        for i in range(warnings):
            _one(i, batch, victims)
            if len(batch.warnings) >= BATCH:
                yield batch
                batch = DemoBatch([], [], [], [])
                if progress:
                    progress(i + 1, warnings)
        yield batch

    uniform = rng.random  # C-speed draws: a million warnings take tens of millions of them
    # A pool of ID numbers: computing a check digit per warning would cost a million of them.
    id_numbers = [_id_number(uniform) for _ in range(min(20_000, max(1, warnings)))]

    def pick(seq: Sequence[T]) -> T:
        return seq[int(uniform() * len(seq))]

    # Looked up a million times: computed once.
    grades = {scam: policy.grade(scam) for scam in SCAM_WEIGHTS}
    limits = {lv: p.first_contact_minutes * 60.0 for lv, p in policy.levels.items()}
    retries = {lv: p.retry_no_answer_minutes * 60.0 for lv, p in policy.levels.items()}
    names = [pick(SURNAMES) + pick(GIVEN) + (pick(GIVEN) if uniform() < .6 else "")
             for _ in range(min(50_000, max(1, warnings)))]

    def _one(i: int, batch: DemoBatch, victims: list[tuple[str, float]]) -> None:
        arrived = arrivals[i]
        reported = arrived - uniform() * 300.0
        scam = types[i]
        level = feed_levels[i] if uniform() < 0.2 else grades[scam]
        # A repeat victim (README, "One victim, one case"): a phone whose earlier warning was
        # closed before this one arrived, with an outcome that says its holder was the person
        # at risk.
        repeat = False
        if victims and uniform() < 0.04:
            earlier_phone, closed_at = pick(victims)
            repeat = closed_at < arrived
        phone = earlier_phone if repeat else "+86" + pick(prefixes) + \
            f"{int(uniform() * 10_000):04d}"
        cards = [f"62{10**14 + int(uniform() * 9 * 10**14)}{int(uniform() * 10)}"
                 for _ in range(pick((1, 1, 2)))] if uniform() < 0.3 else []
        amount = round(rng.lognormvariate(9.5, 1.3), -2) if uniform() < 0.6 else None
        limit = limits[level]
        deadline = reported + limit  # rules.deadline, inlined: the report time is always known
        status, available, failed, last, fresh, closed_by = "new", arrived, 0, None, 1, None
        final_at: float | None = None
        district = pick(DISTRICTS)
        # A centre reaches most warnings around their time limit; the younger ones still wait.
        attempt_at = reported + limit * rng.uniform(0.15, 1.4)
        if attempt_at < now:
            roll = uniform()
            officer = pick(OFFICERS)
            if roll < 0.96 and (roll < 0.90 or now - attempt_at > 3 * 3600.0):
                # Retries still pending are recent ones; older ones were tried again long ago.
                status, last, fresh, closed_by = "closed", outcomes[i], 0, officer
            elif roll < 0.96:
                status, last, fresh, failed = "retry", "no_answer", 0, 1
                available = attempt_at + retries[level]
            else:
                status, last, fresh = "escalated", "brainwashed", 0
                final_at = _demo_escalation(i, batch, run=run, cards=cards, amount=amount,
                                            officer=officer, at=attempt_at, now=now,
                                            district=district, uniform=uniform)
                counts["escalations"] += 1
            # Money already gone: part of what was at risk, or a sum the person names.
            lost = None if last != "already_lost" else round(
                (amount or rng.lognormvariate(9.0, 1.2)) * (0.2 + 0.8 * uniform()), -1)
            batch.attempts.append((f"demo-{run}-a{i}", i, officer, last, attempt_at,
                                   40.0 + uniform() * uniform() * 900.0, lost))
            counts["attempts"] += 1
            if final_at is not None:  # followed up long ago: dissuaded after the escalation
                status, last, closed_by = "closed", "dissuaded", officer
                batch.attempts.append((f"demo-{run}-f{i}", i, officer, last, final_at,
                                       60.0 + uniform() * 600.0, None))
                counts["attempts"] += 1
        if closed_by is not None and last not in ("wrong_person", "invalid_number"):
            victims.append((phone, final_at or attempt_at))
        name = pick(names)
        contact = pick(CONTACT_KINDS).format(n=10**6 + int(uniform() * 99 * 10**6))
        batch.warnings.append((
            pick(SOURCES), f"DEMO-{run}-{i:08d}", phone, name, scam, level,
            RANKS[level], reported, arrived, deadline, district, contact,
            amount, json.dumps(cards) if cards else "[]", NOTES[scam], int(repeat), status, fresh, available,
            failed, last, attempt_at if last else None, closed_by,
            (final_at or attempt_at) if closed_by else None, (final_at or attempt_at) if last else None,
            pick(id_numbers) if uniform() < 0.4 else "",
        ))

    store.insert_demo(batches(), note={"warnings": warnings, "run": run, "synthetic": True},
                      now=now)
    if progress:
        progress(warnings, warnings)
    return DemoResult(warnings, counts["attempts"], counts["escalations"],
                      timeutil.now() - started)


__all__ = ["generate", "DemoResult"]
