"""`dissuade resources`: where this program finds each file it ships, and whether it works.

Written for the workstation bundle (an IT section checks a copied folder with it; the suite
checks that a bundle finds everything inside itself), but it runs from a checkout or a wheel
just the same.
"""

from __future__ import annotations

import os
import sys
import zoneinfo
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

from dissuade.fonts import GLYPH_PROBE, FontMissing, find_cjk_font
from dissuade.frozen import bundle_dir, is_frozen
from dissuade.resources import resource_dir

PLAYBOOKS = 13  # one per scam type, unknown included


@dataclass(frozen=True, slots=True)
class Item:
    """One shipped thing: what it is, whether it works, the file or folder it came from."""

    name: str
    ok: bool
    path: str
    detail: str = ""


def _plugins(kind: str) -> list[Path]:
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / kind
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def report() -> list[Item]:
    """Each resource the client needs, checked by using it (Qt offscreen is enough)."""
    from dissuade.playbooks.playbook import load_library
    from ui.common.style import load_shipped_fonts

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert app is not None
    items = [Item("python", True, os.path.dirname(os.__file__),
                  f"{sys.version.split()[0]}, {'bundle' if is_frozen() else 'not frozen'}")]

    library = load_library()
    items.append(Item("playbooks", not library.errors and len(library.playbooks) == PLAYBOOKS,
                      str(resource_dir("playbooks")),
                      f"{len(library.playbooks)} playbooks" + "".join(f"; {e}" for e in library.errors)))
    qm = resource_dir("i18n") / "dissuade_zh_CN.qm"
    translator = QTranslator()
    items.append(Item("translations", translator.load(str(qm)), str(qm)))
    wav = resource_dir("sounds") / "emergency.wav"
    items.append(Item("sounds", wav.is_file() and wav.stat().st_size > 1000, str(wav)))

    shipped = load_shipped_fonts()
    families = shipped or QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    chinese = [f for f in families if all(QFontMetrics(QFont(f)).inFontUcs4(ord(c)) for c in GLYPH_PROBE)]
    if shipped:
        where = str(resource_dir("fonts"))
    else:  # a checkout, a wheel, or the Windows bundle (Microsoft YaHei comes with Windows)
        try:
            where = str(find_cjk_font().path)
        except FontMissing:
            where = ""
    items.append(Item("fonts", bool(chinese), where,
                      ("shipped: " if shipped else "system: ") + (", ".join(chinese[:3]) or "none draws Chinese")))

    platforms = _plugins("platforms")
    names = {p.name.split(".")[0].removeprefix("lib").removeprefix("q") for p in platforms}
    wanted = {"offscreen", "windows"} if sys.platform == "win32" else {"offscreen", "xcb"}
    items.append(Item("qt platforms", wanted <= names,
                      str(platforms[0].parent) if platforms else "", ", ".join(sorted(names))))
    media = _plugins("multimedia")
    items.append(Item("qt multimedia", bool(media), str(media[0]) if media else "",
                      ", ".join(p.name for p in media)))
    from PySide6 import QtCharts

    chart = QtCharts.QChart()
    items.append(Item("qt charts", chart is not None, str(Path(QtCharts.__file__).parent)))
    zone = zoneinfo.ZoneInfo("Asia/Shanghai")
    import tzdata

    items.append(Item("time zones", str(zone) == "Asia/Shanghai", str(Path(tzdata.__file__).parent)))
    return items


def main(as_json: bool = False) -> int:
    """Print the report (a table, or JSON with the bundle's folder); 1 when anything is missing."""
    items = report()
    if as_json:
        import json

        base = bundle_dir()
        print(json.dumps({"frozen": is_frozen(), "bundle": str(base) if base else None,
                          "sys_path": sys.path, "items": [asdict(i) for i in items]},
                         ensure_ascii=False))
    else:
        for item in items:
            mark = "ok  " if item.ok else "缺失/MISSING"
            print(f"{mark} {item.name:<14} {item.path}" + (f"  ({item.detail})" if item.detail else ""))
    return 0 if all(i.ok for i in items) else 1
