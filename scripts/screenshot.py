"""Render the main window to PNG on a fresh demo database, as README shows it.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot.py [-o docs/workbench.png] [--lang zh|en]

The window is 1366x768 (the smallest screen the workstations have) with the most urgent warning
open, so that the picture shows the number, the script and the outcome keys.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "workbench.png")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--warnings", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from dissuade import demo, open_source
    from dissuade.store import Store
    from ui import build_main_window
    from ui.app import render_png

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        store = Store(db)
        demo.generate(store, warnings=args.warnings, seed=11)
        store.close()
        app = QApplication(sys.argv[:1])
        source = open_source(db, user="officer-007")
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        window = build_main_window(source, settings=settings, lang=args.lang)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        render_png(window, args.output)
        window.close()
        source.close()
        del app
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
