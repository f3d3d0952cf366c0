"""The PySide6 client of dissuade. It talks to a source only, never to SQL."""

from ui.main_window import MainWindow, build_main_window

__all__ = ["MainWindow", "build_main_window"]
