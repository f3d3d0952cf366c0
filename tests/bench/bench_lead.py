"""Benchmark of the shift lead's reads on a million warnings: the dashboard's data, /stats, the
review's search, breaches, the handover report files and verifying the audit chain.

    python tests/bench/run.py lead [--warnings N] [--db PATH]

The database holds a month of warnings (a million in 30 days: five times the 191,300 a month of
Xiamen's centre), so a 12-hour shift holds about 17,000. Every figure is for one full 12-hour
shift ending now, whatever the time of day the benchmark runs.

Targets (issue 6): the dashboard's data (shift_report) <= 1 s, so a live dashboard refreshing
every few seconds stays light; /stats <= 250 ms; a review search of the shift by officer, and
by outcome and level, <= 250 ms; the lead's breach look <= 50 ms; each handover report file
<= 10 s; `dissuade audit verify` >= 50,000 rows a second (a year's chain in minutes).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from dissuade.store import Store

REPEAT = 5


def _timed(fn, repeat: int = REPEAT) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


SPAN_HOURS = 30 * 24
SHIFT = 12 * 3600.0
AUDIT_ROWS = 200_000


def _busy_audit(store: Store, claims: int) -> None:
    """Some of a shift's work, and a long chain: the audit rows of weeks of claims and calls."""
    from dissuade.store import audit
    from dissuade.store.connection import write

    for _ in range(claims):
        warning = store.claim_next(user="bench-officer")
        if warning is None:
            return
        store.record_attempt(int(warning.id), user="bench-officer", outcome="dissuaded")
    with write(store.conn):
        for n in range(AUDIT_ROWS):
            audit.append(store.conn, f"officer-{n % 40:02d}", "warning.claim", "warning", n + 1,
                         {"lease_until": 1_800_000_000.0 + n})


def run(*, warnings: int, db: Path | None, workdir: Path) -> dict[str, object]:
    from dissuade.reports import write_report

    path = db or workdir / f"bench-lead-{warnings}.db"
    if not path.exists():
        print(f"building a month of {warnings:,} demo warnings in {path} ...", flush=True)
        from dissuade import demo

        built = Store(path)
        demo.generate(built, warnings=warnings, seed=20261202, span_hours=SPAN_HOURS)
        built.close()
    store = Store(path)
    _busy_audit(store, 2000)
    end = time.time()
    start = end - SHIFT
    report_s, data = _timed(lambda: store.shift_report(start=start, end=end, user="bench-lead"))
    stats_s, _ = _timed(lambda: store.stats(start=start, end=end))
    search_s, found = _timed(lambda: store.find_warnings(
        {"start": start, "end": end, "officer": "demo-officer-07"}, limit=100))
    outcome_s, _ = _timed(lambda: store.find_warnings(
        {"start": start, "end": end, "outcome": "already_lost", "risk_level": "high"}, limit=100))
    breaches_s, _ = _timed(lambda: store.breaches(since=time.time() - 20), repeat=20)
    files = {}
    for fmt in ("xlsx", "csv", "pdf"):
        files[fmt], _ = _timed(lambda f=fmt: write_report(  # type: ignore[misc]
            data, workdir / f"report.{f}", f), repeat=1)  # type: ignore[arg-type]
    verify_s, verdict = _timed(lambda: store.verify_audit(), repeat=1)
    rows = verdict.rows  # type: ignore[attr-defined]
    store.close()
    received = data["stats"]["received"]  # type: ignore[index]
    result = {
        "warnings": warnings, "shift_received": received,
        "shift_report_ms": report_s * 1000, "stats_ms": stats_s * 1000,
        "search_officer_ms": search_s * 1000, "search_outcome_level_ms": outcome_s * 1000,
        "search_total": found[0],  # type: ignore[index]
        "breaches_ms": breaches_s * 1000,
        **{f"report_{fmt}_s": s for fmt, s in files.items()},
        "audit_rows": rows, "audit_verify_s": verify_s,
        "audit_rows_per_s": rows / verify_s if verify_s else None,
    }
    checks = [
        ("dashboard data", report_s <= 1.0, "<= 1 s"),
        ("stats", stats_s <= 0.25, "<= 250 ms"),
        ("review search by officer", search_s <= 0.25, "<= 250 ms"),
        ("review search, outcome and level", outcome_s <= 0.25, "<= 250 ms"),
        ("breach look", breaches_s <= 0.05, "<= 50 ms"),
        ("report files", max(files.values()) <= 10, "<= 10 s each"),
        ("audit verify", rows / verify_s >= 50_000 if verify_s else True, ">= 50,000 rows/s"),
    ]
    result["checks"] = {name: ok for name, ok, _ in checks}
    print(f"warnings in database     {warnings:>12,}   (over 30 days; the last 12 hours "
          f"received {received:,})")
    print(f"shift_report (dashboard) {report_s * 1000:>12.1f} ms")
    print(f"stats                    {stats_s * 1000:>12.1f} ms")
    print(f"search by officer        {search_s * 1000:>12.1f} ms   ({found[0]:,} found)")  # type: ignore[index]
    print(f"search outcome + level   {outcome_s * 1000:>12.1f} ms")
    print(f"breaches since 20 s ago  {breaches_s * 1000:>12.2f} ms")
    for fmt, s in files.items():
        print(f"report {fmt:<5}             {s:>12.2f} s")
    print(f"audit verify             {verify_s:>12.2f} s   ({rows:,} rows, "
          f"{rows / verify_s:,.0f} a second)")
    for name, ok, target in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name} {target}")
    return result
