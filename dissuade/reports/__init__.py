"""The shift handover report as files: XLSX, CSV and PDF, all from `Store.shift_report`'s dict."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dissuade.domain.errors import DissuadeError, InvalidInput

FORMATS = ("xlsx", "csv", "pdf")


def render_report(data: Mapping[str, Any], fmt: str, *, fonts: Sequence[Path | str] | None = None) -> bytes:
    """The report as the bytes of a file in `fmt`; `fonts` narrows where the PDF's CJK font is
    looked for (None: the usual places). Raises InvalidInput for an unknown format and
    dissuade.fonts.FontMissing when no font on this machine draws Chinese."""
    fmt = fmt.lower().lstrip(".") if isinstance(fmt, str) else fmt
    if fmt not in FORMATS:
        raise InvalidInput(f"未知报告格式 / unknown report format: {fmt!r} (xlsx, csv or pdf)", field="format")
    from dissuade.reports import model

    if fmt == "pdf":
        from dissuade.fonts import find_cjk_font  # before any work: a missing font fails at once
        from dissuade.reports import pdf

        font = find_cjk_font(fonts)
        return pdf.render(model.build(data), font)
    report = model.build(data)
    if fmt == "xlsx":
        from dissuade.reports import xlsx

        return xlsx.render(report)
    from dissuade.reports import csv_file

    return csv_file.render(report)


def write_report(data: Mapping[str, Any], path: Path | str, fmt: str, *,
                 fonts: Sequence[Path | str] | None = None) -> Path:
    """Write the report to `path` whole or not at all (a temporary file, then a rename)."""
    from dissuade.store.connection import refuse_database_file

    target = Path(path)
    refuse_database_file(target, what="output")  # a report written over the open database
    if not target.parent.is_dir():
        raise InvalidInput(f"输出目录不存在 / no such folder: {target.parent}", field="output")
    payload = render_report(data, fmt, fonts=fonts)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        partial.write_bytes(payload)
        os.replace(partial, target)
    except OSError as exc:  # a full disk, a read-only folder, a file open in Excel on Windows
        raise DissuadeError(f"无法写入报告 / cannot write the report to {target}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return target
