"""The voice player: a real WAV made off the UI thread, and a clear message when it cannot be."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dissuade.playbooks import speech
from ui.common.ops import Runner
from ui.workbench.voice import VoicePlayer


@pytest.fixture
def player() -> Iterator[VoicePlayer]:
    runner = Runner()
    made = VoicePlayer(runner)
    yield made
    made.stop()
    runner.wait()


def test_speak_makes_a_wav_and_says_so(qtbot: QtBot, player: VoicePlayer) -> None:
    with qtbot.waitSignal(player.did_speak, timeout=60_000) as spoke:
        player.speak(speech.voice_text("fake_customer_service", "zh"), "zh")
    path = Path(spoke.args[0])
    assert path.read_bytes()[:4] == b"RIFF"
    assert 2.0 <= speech.wav_seconds(path) <= 45.0
    with qtbot.waitSignal(player.did_speak, timeout=60_000) as again:
        player.speak("Hello, this is the police anti-fraud centre. Please call us back.", "en")
    assert speech.wav_seconds(again.args[0]) >= 2.0
    assert not path.exists()  # the previous warning's file is not kept


def test_no_voice_fails_with_the_reason_and_nothing_else(qtbot: QtBot, player: VoicePlayer) -> None:
    with qtbot.assertNotEmitted(player.did_speak), \
            qtbot.waitSignal(player.did_fail, timeout=60_000) as failed:
        player.speak("nuqneH", "tlh")
    assert failed.args[0].startswith("无法合成语音") and "tlh" in failed.args[0]
    with qtbot.waitSignal(player.did_speak, timeout=60_000):  # and the player still works
        player.speak("您好，这里是公安反诈中心。请不要转账。", "zh")


def test_stop_drops_a_warning_still_being_made(qtbot: QtBot, player: VoicePlayer) -> None:
    with qtbot.assertNotEmitted(player.did_speak), qtbot.assertNotEmitted(player.did_fail), \
            qtbot.waitSignal(player.runner.did_finish, timeout=60_000):
        player.speak("您好，这里是公安反诈中心。", "zh")
        player.stop()
