"""Finding a font on this machine that draws Chinese, for the PDFs (the bank's stop-payment
request and the shift report) to embed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dissuade.domain.errors import DissuadeError

GLYPH_PROBE = "紧急止付冻结申请元卡号"  # a font must draw these to be used

_WINDOWS_FONTS = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
KNOWN_FONTS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    _WINDOWS_FONTS / "msyh.ttc",
    _WINDOWS_FONTS / "msyh.ttf",
    _WINDOWS_FONTS / "simsun.ttc",
    _WINDOWS_FONTS / "simhei.ttf",
    Path("/System/Library/Fonts/PingFang.ttc"),
    Path("/System/Library/Fonts/STHeiti Medium.ttc"),
    Path("/System/Library/Fonts/STHeiti Light.ttc"),
    Path("/System/Library/Fonts/Supplemental/Songti.ttc"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
)
FONT_SUFFIXES = (".ttc", ".ttf", ".otf", ".otc")
FONT_FIX = {
    "linux": "Debian/Ubuntu 上请安装：apt-get install fonts-wqy-microhei / on Debian or Ubuntu install it: "
             "apt-get install fonts-wqy-microhei",
    "win32": "请安装“微软雅黑”或“宋体”（Windows 设置 › 个性化 › 字体）/ install Microsoft YaHei or SimSun "
             "(Windows Settings › Personalisation › Fonts)",
    "darwin": "请在“字体册”中启用“苹方”或“华文黑体”/ enable PingFang or STHeiti in Font Book",
}


class FontMissing(DissuadeError):
    """No font on this machine can draw Chinese; the message says which to install."""


@dataclass(frozen=True, slots=True)
class CjkFont:
    """A font file and, for a .ttc collection, the face in it that draws Chinese."""

    path: Path
    face: int = 0


def find_cjk_font(candidates: Sequence[Path | str] | None = None) -> CjkFont:
    """The first candidate (a font file or a folder of them) that draws Chinese.

    None searches the bundle's own fonts, the usual places on Debian, Windows and macOS, then
    asks fontconfig;
    an explicit list (even an empty one) is searched alone.
    """
    found = _search(tuple(Path(c) for c in candidates)) if candidates is not None else (
        _search((_shipped_fonts(),)) or _search(KNOWN_FONTS) or _search(_fontconfig()))
    if found is None:
        raise FontMissing("找不到可显示中文的字体，无法生成 PDF（止付申请、交班报告）。"
                          + FONT_FIX.get(sys.platform, FONT_FIX["linux"])
                          + " / no font that can draw Chinese was found, so no PDF (stop-payment request, "
                          "shift report) can be made")
    return found


def _shipped_fonts() -> Path:
    """The fonts folder a workstation bundle ships (absent in a checkout)."""
    from dissuade.resources import resource_dir

    return resource_dir("fonts")


def _search(candidates: Sequence[Path]) -> CjkFont | None:
    for candidate in candidates:
        try:
            files = sorted(p for p in candidate.iterdir() if p.suffix.lower() in FONT_SUFFIXES) \
                if candidate.is_dir() else [candidate]
        except OSError:
            continue
        for file in files:
            face = _chinese_face(str(file)) if file.is_file() else None
            if face is not None:
                return CjkFont(file, face)
    return None


def _fontconfig() -> tuple[Path, ...]:
    """What fontconfig names for Simplified Chinese (it may answer a Latin font: _search checks)."""
    if shutil.which("fc-match") is None:
        return ()
    found: list[Path] = []
    for args in (["fc-match", "-f", "%{file}", "sans-serif:lang=zh-cn"], ["fc-match", "-f", "%{file}", "sans:lang=zh"],
                 ["fc-list", ":lang=zh-cn", "file"]):
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        found += [Path(line.strip().rstrip(":")) for line in done.stdout.splitlines() if line.strip()]
    return tuple(found)


@lru_cache(maxsize=32)
def _chinese_face(path: str) -> int | None:
    """The face of the font file that draws GLYPH_PROBE: a Simplified Chinese, proportional one first."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        with open(path, "rb") as fh:  # ours to close, whatever fontTools makes of it
            faces = TTCollection(fh, lazy=True).fonts if fh.read(4) == b"ttcf" else None
            fh.seek(0)
            scored = []
            for number, font in enumerate(faces or [TTFont(fh, lazy=True)]):
                cmap = font.getBestCmap() or {}
                if all(ord(ch) in cmap for ch in GLYPH_PROBE):
                    name = str(font["name"].getDebugName(1) or "")
                    scored.append(("Mono" in name, not any(w in name for w in (" SC", "GB", "YaHei")), number))
    except Exception:  # noqa: BLE001 - whatever fontTools cannot read is not a usable font
        return None
    return min(scored)[2] if scored else None

