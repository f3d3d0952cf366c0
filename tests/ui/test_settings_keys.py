"""Per-workstation settings: every QSettings key is declared once (ui/common/settings_keys.py) and
every screen goes through the declarations, never a key of its own."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ui.common import settings_keys as keys

ROOT = Path(__file__).resolve().parents[2]
# A key written where it is used: settings.value("ui/lang"), s.setValue('sms/kind', ...), ...
LITERAL_KEY = re.compile(r"""\.(value|setValue|remove|contains)\(\s*f?["']""")


def test_no_screen_names_a_settings_key_itself() -> None:
    assert LITERAL_KEY.search('geometry = self.settings.value("ui/geometry")')
    assert LITERAL_KEY.search("s.setValue('bank/kind', bank.kind)")
    assert not LITERAL_KEY.search("keys.LANG.write(self.settings, lang)")
    found = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        if path.name == "settings_keys.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LITERAL_KEY.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == [], "declare the key in ui/common/settings_keys.py and use it from there"


def test_every_key_is_declared_once_with_its_default_and_meaning(tmp_path: Path) -> None:
    names = [key.name for key in keys.KEYS]
    assert len(names) == len(set(names))
    assert {n.split("/")[0] for n in names} == {"ui", "sms", "bank", "dialer", "telephony"}
    declared = {getattr(keys, name) for name in dir(keys) if name.isupper() and name != "KEYS"}
    assert declared == set(keys.KEYS)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    for key in keys.KEYS:
        assert key.about
        assert key.read(settings) == key.default  # nothing saved yet
    keys.SMS_KIND.write(settings, "webhook")
    keys.GEOMETRY.write(settings, QByteArray(b"\x01\x02layout"))
    settings.sync()
    again = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert keys.SMS_KIND.read(again) == "webhook"
    assert keys.GEOMETRY.read(again) == QByteArray(b"\x01\x02layout")
    assert keys.LANG.read(again) == "zh"


def test_the_gateways_dialog_saves_and_reads_through_the_keys(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.centre.gateways_dialog import GatewaysDialog, saved_bank, saved_dialer

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert saved_bank(settings).kind == keys.BANK_KIND.default and saved_dialer(settings) is None
    dialog = GatewaysDialog(settings)
    qtbot.addWidget(dialog)
    dialog.bank_kind.setCurrentIndex(dialog.bank_kind.findData("webhook"))
    dialog.bank_webhook.setText("https://bank.example/api")
    dialog.dialer_kind.setCurrentIndex(dialog.dialer_kind.findData("command"))
    dialog.dialer_command.setText("e1-dial --to {phone}")
    dialog._accept()
    assert keys.BANK_WEBHOOK.read(settings) == "https://bank.example/api"
    assert saved_bank(settings).kind == "webhook"
    dialer = saved_dialer(settings)
    assert dialer is not None and dialer.command == "e1-dial --to {phone}"
