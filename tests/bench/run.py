"""Run the benchmarks and print their figures (README quotes them). Not part of the test suite.

    python tests/bench/run.py [workbench] [lead] [hub] [import] [wrk] [pg] [day] [--warnings N]
                              [--db PATH] [--out results.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import (  # noqa: E402
    bench_day,
    bench_hub,
    bench_import,
    bench_lead,
    bench_pg,
    bench_workbench,
    bench_wrk,
)

BENCHES = {
    "workbench": bench_workbench.run,
    "lead": bench_lead.run,
    "import": bench_import.run,
    "hub": bench_hub.run,
    "wrk": bench_wrk.run,
    "pg": bench_pg.run,
    "day": bench_day.run,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="*", help=f"which benchmarks (default all: {', '.join(BENCHES)})")
    parser.add_argument("--warnings", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="reuse this benchmark database")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="dissuade-bench-") as tmp:
        for name in args.which or list(BENCHES):
            print(f"== {name}", flush=True)
            results[name] = BENCHES[name](warnings=args.warnings, db=args.db, workdir=Path(tmp))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    failed = [f"{b}: {c}" for b, r in results.items()
              for c, ok in r.get("checks", {}).items() if not ok]  # type: ignore[union-attr]
    print("all targets met" if not failed else "targets missed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
