"""`dissuade doctor`: each check names what it found, and a problem with its fix: the font hidden,
the speech engine or its voice hidden, a database pending migrations, a hub up, down or with its
clock apart from this machine's, gateways that cannot run or answer; exit 0 only when all is
well."""

from __future__ import annotations

import shutil
import socket
import sys
import time
from pathlib import Path

import pytest

import dissuade
from dissuade import fonts
from dissuade.cli.main import main
from dissuade.doctor import Setup, check_database, check_font, check_gateways, check_hub, check_speech
from dissuade.gateways import sms
from dissuade.gateways.bank import BankGateway
from dissuade.gateways.dialer import Dialer
from dissuade.gateways.telephony import Telephony
from dissuade.store import Store
from tests.hubs import ThreadHub, make_users

RELEASE_1 = Path(__file__).resolve().parent.parent / "data" / "release-1.db"


def has_font() -> bool:
    try:
        fonts.find_cjk_font()
    except fonts.FontMissing:
        return False
    return True


def test_a_hidden_font_is_a_problem_with_its_fix(tmp_path: Path) -> None:
    hidden = check_font([tmp_path / "no-such-font.ttc", tmp_path])
    assert not hidden.ok
    assert "no font that draws Chinese" in hidden.detail
    assert hidden.fix == fonts.FONT_FIX.get(sys.platform, fonts.FONT_FIX["linux"])
    if has_font():
        found = check_font()
        assert found.ok and Path(found.detail.split(" (face")[0]).is_file()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="espeak-ng's data folder")
def test_the_speech_engines_data_hidden_is_a_problem_with_its_fix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not check_speech().ok:
        pytest.skip("no speech engine on this machine")
    monkeypatch.setenv("ESPEAK_DATA_PATH", str(tmp_path))  # espeak-ng finds no phonemes there
    hidden = check_speech()
    assert not hidden.ok and "cannot start" in hidden.detail
    assert "apt-get install libespeak-ng1" in hidden.fix


def test_a_hidden_speech_engine_or_voice_is_a_problem_with_its_fix() -> None:
    engine = check_speech(driver="no_such_engine")
    assert not engine.ok and "cannot start" in engine.detail
    assert "espeak" in engine.fix or "Speech" in engine.fix or "Spoken" in engine.fix
    voice = check_speech(voice="sit/no-such-voice")
    if "cannot start" in voice.detail:
        pytest.skip("no speech engine on this machine")
    assert not voice.ok and "no Mandarin voice sit/no-such-voice" in voice.detail
    assert check_speech().ok


def test_the_database_check_reads_pending_migrations_without_changing_the_file(
        tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    shutil.copyfile(RELEASE_1, db)
    before = db.read_bytes()
    database, disk = check_database(db)
    assert not database.ok and "m012_passwords" in database.detail
    assert "dissuade serve" in database.fix
    assert disk.ok
    assert db.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["centre.db"]
    Store(db).close()
    database, _disk = check_database(db)
    assert database.ok and "intact" in database.detail
    (missing,) = check_database(tmp_path / "nope.db")
    assert not missing.ok
    _, short = check_database(db, min_free_bytes=10**18)
    assert not short.ok and "free at least" in short.fix


def test_the_hub_up_down_and_with_its_clock_apart(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ThreadHub(db, tokens).start()
    try:
        up = check_hub(hub.url, token=tokens["officer-a"])
        assert [f.key for f in up] == ["hub", "clock", "token"]
        assert all(f.ok for f in up), up
        assert dissuade.__version__ in up[0].detail and "officer-a" in up[2].detail
        # This machine's clock five minutes ahead of the hub's.
        skewed = {f.key: f for f in check_hub(hub.url, clock=lambda: time.time() + 300)}
        assert not skewed["clock"].ok
        assert "ahead of the hub" in skewed["clock"].detail and "300" in skewed["clock"].detail
        assert "ntp" in skewed["clock"].fix.lower() or "w32tm" in skewed["clock"].fix
        refused = {f.key: f for f in check_hub(hub.url, token="dsd_not-a-token")}
        assert not refused["token"].ok and "--rotate" in refused["token"].fix
    finally:
        hub.stop()
    (down,) = check_hub(hub.url, timeout=2)
    assert not down.ok and "cannot reach the hub" in down.detail
    assert "8470" in down.fix


def test_gateways_are_checked_without_sending_anything(tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    try:
        softphone = check_gateways(Setup(environ={"DISSUADE_DIAL_SIP": f"127.0.0.1:{port}"}))
        assert softphone[0].ok and str(port) in softphone[0].detail
    finally:
        listener.close()
    (gone,) = check_gateways(Setup(environ={"DISSUADE_DIAL_SIP": f"127.0.0.1:{port}"}))
    assert not gone.ok and "baresip" in gone.fix
    (missing,) = check_gateways(Setup(environ={"DISSUADE_DIAL_COMMAND": "no-such-pbx {phone}"}))
    assert not missing.ok and "no-such-pbx" in missing.detail
    assert "DISSUADE_DIAL_COMMAND" in missing.fix
    (two,) = check_gateways(Setup(environ={"DISSUADE_DIAL_URI": "tel:{national}",
                                           "DISSUADE_DIAL_SIP": "127.0.0.1:4444"}))
    assert not two.ok
    # The room's variable wins over the workstation's own choice; with neither, the desk phone.
    (saved,) = check_gateways(Setup(environ={}, telephony=Telephony("uri", "tel:{national}")))
    assert saved.ok and "tel:{national}" in saved.detail
    (desk,) = check_gateways(Setup(environ={}))
    assert desk.ok
    outbox = tmp_path / "bank-outbox"
    found = {f.key: f for f in check_gateways(Setup(
        environ={}, sms=sms.Gateway("command", command=f"{sys.executable} -c pass {{text}}"),
        bank=BankGateway(folder=outbox),
        dialer=Dialer("webhook", webhook="http://127.0.0.1:9/dial")))}
    assert found["sms"].ok and found["bank"].ok
    assert not found["dialer"].ok and "does not answer" in found["dialer"].detail
    assert not outbox.exists()  # checked, not made


def test_the_command_exits_0_when_all_is_well_and_1_naming_each_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    if not has_font() or not check_speech().ok:
        pytest.skip("this machine lacks the font or the speech engine the suite installs")
    db = tmp_path / "centre.db"
    Store(db).close()
    for name in ("DISSUADE_DIAL_COMMAND", "DISSUADE_DIAL_URI", "DISSUADE_DIAL_SIP"):
        monkeypatch.delenv(name, raising=False)
    assert main(["doctor", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "all well" in out and "[问题" not in out
    monkeypatch.setenv("DISSUADE_DIAL_COMMAND", "no-such-pbx --to {national}")
    assert main(["doctor", "--db", str(db), "--bank-webhook", "http://127.0.0.1:9/bank"]) == 1
    out = capsys.readouterr().out
    assert "2 problems found" in out
    assert "program not found: no-such-pbx" in out and "解决 / fix:" in out


def test_a_postgresql_database_is_checked_for_its_schema(pg_url: str) -> None:
    (found,) = check_database(pg_url)
    assert found.ok and "up to date" in found.detail
    (down,) = check_database("postgresql://nobody@127.0.0.1:9/none")
    assert not down.ok and "cannot reach PostgreSQL" in down.detail and "pg_isready" in down.fix
