"""Run in its own process by the benchmark: open the client on a database, time the first paint.

Prints one JSON line: seconds from building the window to its first paint, the process's peak
resident memory after painting, scrolling the queue and opening a warning, and the queue size.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication

from dissuade import open_source


class _FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False


def _peak_rss_mb() -> float:
    """This process's own peak. Linux keeps ru_maxrss across exec, so a child started by a big
    parent would report the parent's peak; VmHWM belongs to the new address space."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(db: str) -> None:
    app = QApplication(sys.argv[:1])
    from ui import build_main_window

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    start = time.perf_counter()
    source = open_source(db, user="bench-officer")
    window = build_main_window(source, settings=settings, lang="zh")
    painted = _FirstPaint()
    window.workbench.queue_view.viewport().installEventFilter(painted)
    window.show()
    while painted.at is None and time.perf_counter() - start < 30:
        app.processEvents()
    first_paint = (painted.at or float("nan")) - start
    # Then use it as an officer would: scroll deep into the queue, open the next warning.
    view = window.workbench.queue_view
    for _ in range(10):
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
        app.processEvents()
    window.workbench.take_next()
    deadline = time.perf_counter() + 10
    while window.workbench.current_id is None and time.perf_counter() < deadline:
        app.processEvents()
    peak_mb = _peak_rss_mb()
    print(json.dumps({"first_paint_s": first_paint, "peak_rss_mb": peak_mb,
                      "queue_size": window.workbench.model.size,
                      "rows_loaded": window.workbench.model.rowCount()}))
    window.close()
    source.close()


if __name__ == "__main__":
    main(sys.argv[1])
