"""The report's content, once, as typed tables: every file format writes these same tables."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dissuade.domain import robot as robot_rules
from dissuade.domain import timeutil
from dissuade.domain.codes import (
    ESCALATION_LABELS,
    LEVEL_LABELS,
    LEVELS,
    OUTCOME_LABELS,
    SCAM_LABELS,
    STATUS_LABELS,
    label,
)
from dissuade.reports import labels as L
from dissuade.reports.labels import Heading
from dissuade.reports.scrub import scrub

AUDIT_HASH_CHARS = 16  # enough for `audit verify --expect-head`, short enough to read out


@dataclass(frozen=True, slots=True)
class Pct:
    """A share from 0 to 1; None when there was nothing to divide by (shown as —)."""

    value: float | None


@dataclass(frozen=True, slots=True)
class Yuan:
    value: float | None


@dataclass(frozen=True, slots=True)
class Duration:
    seconds: float | None


@dataclass(frozen=True, slots=True)
class When:
    """A time in the centre's zone, without an offset (the report names the zone once)."""

    at: datetime | None


Cell = str | int | float | Pct | Yuan | Duration | When | None


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table: `keys` name the columns for the formats that rearrange them (the PDF)."""

    key: str
    title: Heading
    keys: tuple[str, ...]
    headings: tuple[Heading, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def records(self) -> Iterator[dict[str, Cell]]:
        for row in self.rows:
            yield dict(zip(self.keys, row, strict=True))


@dataclass(frozen=True, slots=True)
class Hour:
    """One bar of the hourly charts."""

    start: datetime
    by_level: dict[str, int]
    dissuaded: int
    already_lost: int
    judged: int
    in_time: int


@dataclass(frozen=True, slots=True)
class Report:
    tz: str
    start: datetime
    end: datetime
    info: tuple[tuple[Heading, str], ...]
    figures: dict[str, Cell]
    summary: Table
    by_level: Table
    by_outcome: Table
    hourly: Table
    officers: Table
    scam_types: Table
    escalations: Table
    repeat_victims: Table
    hours: tuple[Hour, ...]
    outcome_counts: dict[str, int]
    scam_counts: tuple[tuple[str, int], ...]
    robot: Table
    forecast: Table | None = None  # the next shift's staffing (forecast_table)
    centres: Table | None = None  # a province hub's centres (centres_table)

    @property
    def sheets(self) -> tuple[Table, ...]:
        """The tables after the summary, in the order a lead reads them."""
        tables = (self.officers, self.robot, self.scam_types, self.escalations, self.hourly,
                  self.repeat_victims)
        first = () if self.centres is None else (self.centres,)
        return (*first, *tables) if self.forecast is None else (*first, *tables, self.forecast)

    @property
    def period_text(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} – {self.end:%Y-%m-%d %H:%M}（{self.tz}）"


def local(value: object, tz: str) -> datetime | None:
    """An ISO 8601 time of the data as a naive datetime in the centre's zone."""
    if value in (None, ""):
        return None
    epoch = timeutil.parse(value, tz=tz)
    return datetime.fromtimestamp(epoch, timeutil.zone(tz)).replace(tzinfo=None)


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _share(part: int, whole: int) -> Pct:
    return Pct(part / whole if whole else None)


def _table(key: str, columns: Mapping[str, Heading], rows: Sequence[Sequence[Cell]]) -> Table:
    return Table(key, L.SECTIONS[key], tuple(columns), tuple(columns.values()),
                 tuple(tuple(r) for r in rows))


def audit_head_text(head: object) -> str:
    if not isinstance(head, Mapping) or head.get("id") is None:
        return L.NONE_TEXT
    return f"{int(head['id'])}:{str(head.get('hash') or '')[:AUDIT_HASH_CHARS]}"


def build(data: Mapping[str, Any]) -> Report:
    """The typed report of `Store.shift_report`'s dict (or the hub's JSON of it)."""
    tz = str(data.get("timezone") or timeutil.DEFAULT_TZ)
    start, end = local(data["from"], tz), local(data["to"], tz)
    assert start is not None and end is not None
    stats: Mapping[str, Any] = data.get("stats") or {}
    summary: Mapping[str, Any] = data.get("summary") or {}
    generated = local(data.get("generated_at"), tz)
    info = (
        (L.INFO["period"], f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"),
        (L.INFO["timezone"], tz),
        (L.INFO["generated_at"], f"{generated:%Y-%m-%d %H:%M}" if generated else L.NONE_TEXT),
        (L.INFO["generated_by"], scrub(data.get("generated_by"))),
        (L.INFO["audit_head"], audit_head_text(data.get("audit_head"))),
    )
    figures: dict[str, Cell] = {
        "dissuaded": _int(stats.get("dissuaded")),
        "already_lost": _int(stats.get("already_lost")),
        "dissuasion_rate": Pct(_num(stats.get("dissuasion_rate"))),
        "loss_avoided": Yuan(_num(summary.get("loss_avoided"))),
        "amount_lost": Yuan(_num(summary.get("amount_lost"))),
        "received": _int(stats.get("received")),
        "handled": _int(stats.get("handled")),
        "attempts": _int(summary.get("attempts")),
        "calls": _int(summary.get("calls")),
        "within_time_limit_rate": Pct(_num(stats.get("within_time_limit_rate"))),
        "time_limit_breaches": _int(summary.get("time_limit_breaches")),
        "escalations_proposed": _int(summary.get("escalations_proposed")),
        "escalations_pending": _int(stats.get("escalations_pending")),
        "self_approved": _int(summary.get("self_approved")),
        "repeat_victims": _int(summary.get("repeat_victims")),
        "officers_on_duty": _int(summary.get("officers_on_duty")),
        "open_now": _int(summary.get("open_now")),
        "overdue_now": _int(summary.get("overdue_now")),
    }
    summary_table = Table("summary", L.SECTIONS["summary"], ("item", "value", "english"),
                          (L.ITEM, L.VALUE, L.ENGLISH),
                          tuple((L.FIGURES[k][0], v, L.FIGURES[k][1]) for k, v in figures.items()))
    by_level: Mapping[str, int] = stats.get("by_level") or {}
    received = sum(_int(v) for v in by_level.values())
    level_rows = [(label(LEVEL_LABELS, lv.value), _int(by_level.get(lv.value)),
                   _share(_int(by_level.get(lv.value)), received)) for lv in LEVELS]
    level_rows.append((L.TOTAL[0], received, _share(received, received)))
    outcomes: Mapping[str, int] = stats.get("by_outcome") or {}
    attempts = sum(_int(v) for v in outcomes.values())
    outcome_counts = {code: _int(outcomes.get(code)) for code in OUTCOME_LABELS}
    outcome_rows = [(label(OUTCOME_LABELS, code), n, _share(n, attempts)) for code, n in outcome_counts.items()]
    outcome_rows.append((L.TOTAL[0], attempts, _share(attempts, attempts)))
    hours = _hours(data.get("hourly") or [], tz)
    return Report(
        tz=tz, start=start, end=end, info=info, figures=figures, summary=summary_table,
        by_level=Table("by_level", L.SECTIONS["by_level"], ("level", "received", "share"),
                       (L.LEVEL, L.RECEIVED, L.SHARE), tuple(level_rows)),
        by_outcome=Table("by_outcome", L.SECTIONS["by_outcome"], ("outcome", "attempts", "share"),
                         (L.OUTCOME, L.COUNT, L.SHARE), tuple(outcome_rows)),
        hourly=_hourly_table(hours),
        officers=_officers(data.get("officers") or []),
        scam_types=_scam_types(data.get("scam_types") or []),
        escalations=_escalations(data.get("escalations") or [], tz),
        repeat_victims=_repeat_victims(data.get("repeat_victims") or [], tz),
        hours=hours, outcome_counts=outcome_counts,
        scam_counts=tuple((str(t.get("scam_type")), _int(t.get("received")))
                          for t in data.get("scam_types") or [] if _int(t.get("received"))),
        robot=_robot(data.get("robot") or {}),
        forecast=forecast_table(data.get("forecast")),
        centres=centres_table(data.get("by_centre")),
    )


def _robot(section: Mapping[str, Any]) -> Table:
    """The robot's section (item, value, English) beside people's figures."""
    R = L.ROBOT
    rows: list[tuple[Cell, ...]] = [
        (R["lines"][0], f"{_int(section.get('lines_on'))} / {_int(section.get('lines_busy'))}",
         R["lines"][1])]
    rows += [(R[k][0], _int(section.get(k)), R[k][1]) for k in ("calls", "answered")]
    for code, n in (section.get("by_result") or {}).items():
        rows.append((R["result"][0] + robot_rules.label(str(code)), _int(n),
                     R["result"][1] + robot_rules.label(str(code), "en")))
    rows += [(R[k][0], _int(section.get(k)), R[k][1]) for k in ("confirmed", "closed")]
    rows.append((R["handed"][0], _int(section.get("handed_persons")), R["handed"][1]))
    for code, n in (section.get("handed") or {}).items():
        rows.append((R["why"][0] + robot_rules.label(str(code)), _int(n),
                     R["why"][1] + robot_rules.label(str(code), "en")))
    rows.append((R["people_calls"][0], _int(section.get("people_calls")), R["people_calls"][1]))
    rows += [(R[k][0], Pct(_num(section.get(k))), R[k][1])
             for k in ("share_of_calls", "share_of_dissuaded")]
    return Table("robot", L.SECTIONS["robot"], ("item", "value", "english"),
                 (L.ITEM, L.VALUE, L.ENGLISH), tuple(rows))


def _hours(rows: Sequence[Mapping[str, Any]], tz: str) -> tuple[Hour, ...]:
    out = []
    for row in rows:
        start = local(row.get("hour"), tz)
        if start is None:
            continue
        out.append(Hour(start, {lv.value: _int(row.get(lv.value)) for lv in LEVELS},
                        _int(row.get("dissuaded")), _int(row.get("already_lost")),
                        _int(row.get("judged")), _int(row.get("in_time"))))
    return tuple(out)


def _hourly_table(hours: Sequence[Hour]) -> Table:
    columns: dict[str, Heading] = {"hour": L.HOURLY["hour"]}
    columns.update({lv.value: LEVEL_LABELS[lv.value] for lv in LEVELS})
    columns.update({k: v for k, v in L.HOURLY.items() if k != "hour"})
    rows: list[tuple[Cell, ...]] = []
    for h in hours:
        decided = h.dissuaded + h.already_lost
        rows.append((When(h.start), *(h.by_level[lv.value] for lv in LEVELS), sum(h.by_level.values()),
                     h.dissuaded, h.already_lost, _share(h.dissuaded, decided), h.judged, h.in_time,
                     _share(h.in_time, h.judged)))
    return _table("hourly", columns, rows)


def outcome_key(code: str) -> str:
    return f"outcome:{code}"


def _officers(people: Sequence[Mapping[str, Any]]) -> Table:
    columns = {k: L.OFFICERS[k] for k in ("officer", "handled", "attempts", "mean_handle", "dissuaded", "breaches")}
    # Calls by outcome, "（次）" to tell them from the warnings the officer closed as dissuaded.
    columns.update({outcome_key(code): (f"{zh}（次）", f"{en} (calls)") for code, (zh, en) in OUTCOME_LABELS.items()})
    columns.update(L.STATE_MINUTES)  # minutes ready, on a break, in training
    columns.update({k: L.OFFICERS[k] for k in ("reviews_pass", "reviews_fail")})
    rows: list[tuple[Cell, ...]] = []
    for p in people:
        by_outcome: Mapping[str, Any] = p.get("by_outcome") or {}
        in_state: Mapping[str, Any] = p.get("state_seconds") or {}
        rows.append((scrub(p.get("officer")), _int(p.get("handled")), _int(p.get("attempts")),
                     Duration(_num(p.get("mean_handle_seconds"))), _int(p.get("dissuaded")),
                     _int(p.get("breaches")), *(_int(by_outcome.get(code)) for code in OUTCOME_LABELS),
                     *(_int(round(float(in_state.get(k[6:]) or 0) / 60)) for k in L.STATE_MINUTES),
                     _int(p.get("reviews_pass")), _int(p.get("reviews_fail"))))
    return _table("officers", columns, rows)


def _scam_types(types: Sequence[Mapping[str, Any]]) -> Table:
    rows = [(label(SCAM_LABELS, str(t.get("scam_type"))), _int(t.get("received")),
             Yuan(_num(t.get("amount_at_risk"))), _int(t.get("dissuaded")), _int(t.get("already_lost")),
             Pct(_num(t.get("dissuasion_rate")))) for t in types]
    return _table("scam_types", L.SCAM_TYPES, rows)


def _escalations(items: Sequence[Mapping[str, Any]], tz: str) -> Table:
    rows: list[tuple[Cell, ...]] = []
    # The data lists what is under way first, newest first (for a screen); a handover document
    # reads in the order things happened.
    for e in sorted(items, key=lambda e: (str(e.get("proposed_at") or ""), _int(e.get("id")) or 0)):
        status = str(e.get("status") or "")
        rows.append((
            _int(e.get("id")), _int(e.get("warning_id")), label(ESCALATION_LABELS, str(e.get("kind"))),
            L.ESCALATION_STATUS.get(status, (status,))[0], scrub(e.get("proposed_by")),
            When(local(e.get("proposed_at"), tz)), scrub(e.get("decided_by")),
            When(local(e.get("decided_at"), tz)), scrub(e.get("reason")), Yuan(_num(e.get("amount"))),
            "\n".join(scrub(c) for c in e.get("cards") or []), scrub(e.get("station")),
            When(local(e.get("hold_until"), tz)), scrub(e.get("name")),
            label(SCAM_LABELS, str(e.get("scam_type"))), L.YES_NO[0] if e.get("automatic") else L.YES_NO[1],
            scrub(e.get("decision_note")),
            L.YES_NO[0] if e.get("self_approved") else L.YES_NO[1],
        ))
    return _table("escalations", L.ESCALATIONS, rows)


def _repeat_victims(items: Sequence[Mapping[str, Any]], tz: str) -> Table:
    rows: list[tuple[Cell, ...]] = [(_int(v.get("warning_id")), scrub(v.get("phone")), scrub(v.get("name")),
             label(SCAM_LABELS, str(v.get("scam_type"))), label(LEVEL_LABELS, str(v.get("risk_level"))),
             label(STATUS_LABELS, str(v.get("status"))),
             label(OUTCOME_LABELS, str(v.get("last_outcome"))) if v.get("last_outcome") else "",
             When(local(v.get("arrived_at"), tz)), _int(v.get("earlier_warnings"))) for v in items]
    return _table("repeat_victims", L.REPEAT_VICTIMS, rows)


def text(cell: Cell, *, thousands: bool = True) -> str:
    """A cell as text (CSV and PDF): percentages with one decimal, yuan with two, m:ss."""
    if cell is None:
        return ""
    if isinstance(cell, Pct):
        return L.NONE_TEXT if cell.value is None else f"{cell.value:.1%}"
    if isinstance(cell, Yuan):
        if cell.value is None:
            return ""
        return f"{cell.value:,.2f}" if thousands else f"{cell.value:.2f}"
    if isinstance(cell, Duration):
        if cell.seconds is None:
            return L.NONE_TEXT
        whole = round(cell.seconds)
        return f"{whole // 60}:{whole % 60:02d}"
    if isinstance(cell, When):
        return "" if cell.at is None else f"{cell.at:%Y-%m-%d %H:%M}"
    if isinstance(cell, float):
        return f"{cell:g}"
    return str(cell)


# -- the next shift's staffing forecast (the `forecast` key reports/forecast_section.py adds) --

FORECAST_TITLE: Heading = ("下一班排班预测", "Staffing forecast, next shift")
FORECAST_COLUMNS: dict[str, Heading] = {
    "hour": ("时段", "Hour"),
    "warnings": ("预计预警", "Warnings expected"),
    "people_calls": ("民警通话", "People's calls"),
    "officers": ("所需民警", "Officers needed"),
    "people_calls_with_robot": ("机器人首呼后民警通话", "People's calls, with robot"),
    "officers_with_robot": ("机器人首呼后所需民警", "Officers, with robot"),
    "robot_calls": ("机器人外呼", "Robot calls"),
}


def forecast_basis(data: Mapping[str, Any]) -> str:
    """How much history the forecast used and what it assumed, in Chinese / English."""
    h, r = data["history"], data["rates"]
    said = {True: "实测 / measured", False: "估计 / assumed"}
    measured = r["measured"]
    return (f"目标 / target {data['target']:.0%}；依据 / based on {h['days']:.1f} 天 / days "
            f"（{h['warnings']:,} 条预警 / warnings，{h['people_calls']:,} 次民警通话 / people's "
            f"calls，{h['robot_calls']:,} 次机器人外呼 / robot calls）；通话 / handle "
            f"{r['handle_seconds']:.0f} s（{said[measured['handle_seconds']]}），每条预警 / per "
            f"warning {r['calls_per_warning']:.2f}（{said[measured['calls_per_warning']]}），"
            f"机器人确认率 / robot confirm {r['robot_confirm']:.0%}"
            f"（{said[measured['robot_confirm']]}）")


def forecast_table(data: Mapping[str, Any] | None) -> Table | None:
    """The forecast as a report table (its last rows: the totals and what it rests on), or None
    when the report's data has no forecast."""
    if not data or not data.get("hours"):
        return None
    tz = str(data.get("timezone") or "Asia/Shanghai")
    rows: list[tuple[Cell, ...]] = []
    for h in data["hours"]:
        rows.append((When(local(h["start"], tz)), round(sum(h["arrivals"].values()), 1),
                     round(float(h["people_calls"]), 1), int(h["officers"]),
                     round(float(h["people_calls_with_robot"]), 1), int(h["officers_with_robot"]),
                     round(float(h["robot_calls"]), 1)))
    rows.append(("人·小时 / officer-hours", None, None, int(data["officer_hours"]), None,
                 int(data["officer_hours_with_robot"]), None))
    rows.append((forecast_basis(data), None, None, None, None, None, None))
    return Table("forecast", FORECAST_TITLE, tuple(FORECAST_COLUMNS),
                 tuple(FORECAST_COLUMNS.values()), tuple(rows))


# -- a province hub's centres (the report data's `by_centre`, present when the policy names them)

CENTRES_TITLE: Heading = ("按中心", "By centre")
CENTRES_COLUMNS: dict[str, Heading] = {
    "centre": ("中心", "Centre"), "received": ("接收", "Received"),
    "open": ("当前未结", "Open now"), "dissuaded": ("劝阻成功", "Dissuaded"),
}


def centres_table(rows: Sequence[Mapping[str, Any]] | None) -> Table | None:
    """Each centre's figures for the period, or None for a hub with one centre."""
    if not rows:
        return None
    return Table("by_centre", CENTRES_TITLE, tuple(CENTRES_COLUMNS),
                 tuple(CENTRES_COLUMNS.values()),
                 tuple((str(r.get("centre") or "—"), _int(r.get("received")), _int(r.get("open")),
                        _int(r.get("dissuaded"))) for r in rows))
