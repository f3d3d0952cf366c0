"""`dissuade report`: the shift handover report as XLSX, CSV or PDF."""

from __future__ import annotations

import argparse
import os
import sys

FORMATS = ("xlsx", "csv", "pdf")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser(
        "report", help="交班报告 / the shift handover report (xlsx, csv or pdf)",
        description="The shift's figures (dissuasion first), by officer, by scam type, the "
        "escalations and repeat victims. Times without an offset are in the centre's time zone; "
        "without --from/--to, the current shift.")
    into = report.add_mutually_exclusive_group(required=True)
    into.add_argument("--db", metavar="PATH", help="an existing database file")
    into.add_argument("--server", metavar="URL", help="a hub (dissuade serve), as a lead")
    report.add_argument("--token", help="hub token; better given in DISSUADE_TOKEN")
    report.add_argument("--from", dest="start", metavar="T", help="start of the period (ISO 8601)")
    report.add_argument("--to", dest="end", metavar="T", help="end of the period (ISO 8601)")
    report.add_argument("--format", choices=FORMATS, default=None,
                        help="default: from the output file's suffix")
    report.add_argument("-o", "--output", required=True, metavar="FILE")
    report.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dissuade.domain import timeutil
    from dissuade.domain.errors import DissuadeError
    from dissuade.reports import write_report
    from dissuade.sources import open_operator, open_source

    path = Path(args.output)
    fmt = args.format or path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise DissuadeError(f"请用 --format 指定 xlsx、csv 或 pdf / give --format xlsx, csv or pdf "
                            f"(the file name {path.name!r} does not say)")
    if args.server:
        source = open_source(args.server, token=args.token or os.environ.get("DISSUADE_TOKEN"))
    else:
        # Whoever holds the file may report: NAME@cli with a lead's rights.
        source = open_operator(args.db)
    try:
        tz = source.policy().timezone
        start = timeutil.parse(args.start, tz=tz, field="from") if args.start else None
        end = timeutil.parse(args.end, tz=tz, field="to") if args.end else None
        data = source.shift_report(start=start, end=end)
        from dissuade.reports.forecast_section import with_forecast

        data = with_forecast(source, data)  # the next shift's staffing, as its own section
    finally:
        source.close()
    written = write_report(data, path, fmt)
    stats = data["stats"]
    rate = stats["dissuasion_rate"]
    print(f"交班报告 / shift report: {written}  ({timeutil.local_text(timeutil.parse(data['from']), tz)}"
          f" – {timeutil.local_text(timeutil.parse(data['to']), tz)}; 接收 received {stats['received']:,}, "
          f"劝阻成功 dissuaded {stats['dissuaded']:,}, 劝阻率 rate "
          f"{'—' if rate is None else f'{rate:.1%}'})", file=sys.stdout)
    return 0
