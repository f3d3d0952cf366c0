"""Benchmark of `dissuade import`: 100,000 synthetic rows from CSV and from XLSX into fresh databases.

    python tests/bench/run.py import

Target: 100,000 rows imported in at most 10 s (each format, rows written to the database).
The --warnings and --db options of run.py are for the workbench benchmark and are not used here.
"""

from __future__ import annotations

import csv
import random
import time
from pathlib import Path

import openpyxl

from dissuade import open_source
from dissuade.domain.codes import LEVEL_LABELS, SCAM_LABELS
from dissuade.domain.models import IngestResult
from dissuade.feeds import importer
from dissuade.sources import Source

ROWS = 100_000
TARGET_S = 10.0
HEADINGS = ["预警编号", "姓名", "手机号", "诈骗类型", "预警等级", "预警时间", "涉案金额", "银行卡号",
            "所属辖区", "涉诈号码/网址", "备注"]


def synthetic_rows(n: int, seed: int = 20261123) -> list[list[object]]:
    """Rows as a provincial feed might export them: Chinese labels, every tenth with cards."""
    rng = random.Random(seed)
    scams = [zh for zh, _ in SCAM_LABELS.values()]
    levels = [zh for zh, _ in LEVEL_LABELS.values()]
    return [
        [f"BENCH-{i:07d}", f"测试{i}", f"139{rng.randrange(10**8):08d}", rng.choice(scams),
         rng.choice(levels), f"2026-11-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}",
         rng.randrange(100, 500_000), f"62220202{i:011d}" if i % 10 == 0 else "",
         rng.choice(["思明区", "湖里区", "集美区"]), f"QQ群 {rng.randrange(10**9)}", "合成压测数据"]
        for i in range(n)
    ]


def write_files(workdir: Path, n: int) -> tuple[Path, Path]:
    rows = synthetic_rows(n)
    csv_path = workdir / "bench-import.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADINGS)
        writer.writerows(rows)
    xlsx_path = workdir / "bench-import.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    book.save(xlsx_path)
    return csv_path, xlsx_path


class TimedSource:
    """The source with the seconds spent in add_warnings counted (the store's share)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.seconds = 0.0

    def add_warnings(self, items: list[dict[str, object]],
                     outreach: bool = True) -> list[IngestResult]:
        started = time.perf_counter()
        try:
            return self.source.add_warnings(items, outreach=outreach)
        finally:
            self.seconds += time.perf_counter() - started


def import_once(path: Path, db: Path) -> tuple[importer.ImportResult, float]:
    db.unlink(missing_ok=True)
    source = open_source(db, user="bench-import")
    timed = TimedSource(source)
    try:
        return importer.import_file(path, timed), timed.seconds  # type: ignore[arg-type]
    finally:
        source.close()


def run(*, warnings: int, db: Path | None, workdir: Path) -> dict[str, object]:
    del warnings, db  # the workbench's options; this benchmark's size is fixed by its target
    print(f"writing {ROWS:,} synthetic rows as CSV and XLSX in {workdir} ...", flush=True)
    started = time.perf_counter()
    files = write_files(workdir, ROWS)
    print(f"written in {time.perf_counter() - started:.1f} s", flush=True)
    result: dict[str, object] = {"rows": ROWS}
    checks: dict[str, bool] = {}
    for kind, path in zip(("csv", "xlsx"), files, strict=True):
        outcome, store_s = import_once(path, workdir / f"bench-import-{kind}.db")
        rate = outcome.imported / outcome.seconds
        result[f"{kind}_seconds"] = outcome.seconds
        result[f"{kind}_add_warnings_seconds"] = store_s
        result[f"{kind}_rows_per_s"] = rate
        result[f"{kind}_rejected"] = outcome.rejected
        print(f"{kind:<5} {outcome.imported:>9,} imported, {outcome.rejected:,} rejected in "
              f"{outcome.seconds:>6.2f} s   {rate:>9,.0f} rows/s   "
              f"(add_warnings {store_s:.2f} s, reading the file {outcome.seconds - store_s:.2f} s)",
              flush=True)
        checks[f"{kind} import"] = outcome.imported == ROWS and outcome.seconds <= TARGET_S
    result["checks"] = checks
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name} {ROWS:,} rows <= {TARGET_S:.0f} s")
    return result
