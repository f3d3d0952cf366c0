"""Every interface string has a Chinese translation, and the compiled catalogue is current."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from PySide6.QtCore import QTranslator

ROOT = Path(__file__).resolve().parents[2]


def _i18n_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["i18n_script"] = module
    spec.loader.exec_module(module)
    return module


def test_every_tr_string_has_a_chinese_translation() -> None:
    script = _i18n_script()
    assert script.missing(script.extract(), script.read_ts()) == []


def test_the_compiled_catalogue_translates_every_string(qapp) -> None:  # type: ignore[no-untyped-def]
    script = _i18n_script()
    translator = QTranslator()
    assert translator.load(str(script.QM))
    table = script.read_ts()
    stale = [(ctx, src) for (ctx, src), text in table.items()
             if translator.translate(ctx, src) != text]
    assert stale == [], "run scripts/i18n.py to recompile the .qm"
