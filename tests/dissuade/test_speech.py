"""Speech synthesis: real WAV files from the playbooks' voice warnings, and clear refusals."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from pyttsx3.voice import Voice

from dissuade import cli
from dissuade.cli import speak as cli_speak
from dissuade.domain.codes import ScamType
from dissuade.domain.errors import DissuadeError, InvalidInput
from dissuade.playbooks import speech

MAX_SECONDS = 45.0  # the voice warning's budget is 40 s


def run_speak(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`dissuade speak ...` through cli.main once it is registered there, else the same way."""
    argv: Sequence[str] = ["speak", *args]
    registered = any(isinstance(a, argparse._SubParsersAction) and "speak" in a.choices
                     for a in cli.build_parser()._actions)
    if registered:
        code = cli.main(list(argv))
    else:
        parser = argparse.ArgumentParser(prog="dissuade")
        cli_speak.add_parsers(parser.add_subparsers(dest="command"))
        parsed = parser.parse_args(argv)
        try:
            code = int(parsed.handler(parsed))
        except DissuadeError as exc:
            print(f"dissuade: {exc}", file=sys.stderr)
            code = 2
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("code", [t.value for t in ScamType])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_voice_warning_speaks_within_the_budget(tmp_path: Path, code: str, lang: str) -> None:
    path = speech.synthesize(speech.voice_text(code, lang), lang, tmp_path / "warning.wav")
    assert path == tmp_path / "warning.wav"
    assert path.read_bytes()[:4] == b"RIFF"
    assert 2.0 <= speech.wav_seconds(path) <= MAX_SECONDS
    assert [p.name for p in tmp_path.iterdir()] == ["warning.wav"]  # no partial file left


def test_voice_text_is_the_playbook_voice_warning() -> None:
    zh = speech.voice_text("fake_investment", "zh")
    en = speech.voice_text("fake_investment", "en")
    assert "反诈" in zh and "96110" in zh
    assert "anti-fraud" in en and "96110" in en


def test_the_cli_speaks_a_scam_types_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "warning.wav"
    code, out, _ = run_speak(capsys, "--scam-type", "fake_loan", "--lang", "zh", "-o", str(out_file))
    assert code == 0
    seconds = speech.wav_seconds(out_file)
    assert 2.0 <= seconds <= MAX_SECONDS
    assert str(out_file) in out and f"{seconds:.1f}" in out


def test_the_cli_speaks_any_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "text.wav"
    code, out, _ = run_speak(capsys, "--text", "您好，这里是公安反诈中心，请不要向陌生人转账。",
                             "-o", str(out_file))
    assert code == 0 and str(out_file) in out
    assert speech.wav_seconds(out_file) >= 2.0
    english = speech.synthesize("Hello, this is the police anti-fraud centre. Please do not transfer "
                                "money to strangers.", "en", tmp_path / "en.wav")
    assert speech.wav_seconds(english) >= 2.0


def test_an_unknown_scam_type_is_refused_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "warning.wav"
    code, _, err = run_speak(capsys, "--scam-type", "lottery_win", "-o", str(out_file))
    assert code == 2 and "lottery_win" in err and "未知的诈骗类型" in err
    assert not out_file.exists()
    with pytest.raises(InvalidInput) as refused:
        speech.voice_text("lottery_win", "zh")
    assert refused.value.field == "scam_type"


def test_a_language_with_no_voice_is_unavailable_with_a_fix(tmp_path: Path) -> None:
    with pytest.raises(speech.SpeechUnavailable) as unavailable:
        speech.synthesize("nuqneH", "tlh", tmp_path / "klingon.wav")
    message = str(unavailable.value)
    assert message.startswith("无法合成语音") and "tlh" in message
    if sys.platform.startswith("linux"):
        assert "apt-get install libespeak-ng1" in message
    assert list(tmp_path.iterdir()) == []


def test_a_hung_engine_times_out_as_unavailable(tmp_path: Path) -> None:
    with pytest.raises(speech.SpeechUnavailable) as unavailable:
        speech.synthesize("您好，这里是公安反诈中心。", "zh", tmp_path / "slow.wav", timeout=0.01)
    assert "没有完成" in str(unavailable.value) and "did not finish" in str(unavailable.value)
    assert list(tmp_path.iterdir()) == []


def test_no_text_and_no_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as empty:
        speech.synthesize("  ", "zh", tmp_path / "x.wav")
    assert empty.value.field == "text"
    with pytest.raises(InvalidInput) as nowhere:
        speech.synthesize("您好", "zh", tmp_path / "missing" / "x.wav")
    assert nowhere.value.field == "output"


def test_voices_are_chosen_by_language_on_windows_and_macos() -> None:
    sapi5 = [
        Voice(r"HKEY_LOCAL_MACHINE\...\TTS_ZH-HK_TRACY_11.0", "Microsoft Tracy Desktop", ["zh-HK"]),
        Voice(r"HKEY_LOCAL_MACHINE\...\TTS_EN-GB_HAZEL_11.0", "Microsoft Hazel Desktop", ["en-GB"]),
        Voice(r"HKEY_LOCAL_MACHINE\...\TTS_ZH-CN_HUIHUI_11.0", "Microsoft Huihui Desktop", ["zh-CN"]),
        Voice(r"HKEY_LOCAL_MACHINE\...\TTS_EN-US_ZIRA_11.0", "Microsoft Zira Desktop", ["en-US"]),
    ]
    assert "HUIHUI" in (speech.choose_voice(sapi5, "zh") or "")
    assert "ZIRA" in (speech.choose_voice(sapi5, "en") or "")
    macos = [Voice("com.apple.voice.compact.zh-HK.Sinji", "Sin-ji", ["zh_HK"]),
             Voice("com.apple.voice.compact.zh-CN.Tingting", "Tingting", ["zh_CN"])]
    assert speech.choose_voice(macos, "zh") == "com.apple.voice.compact.zh-CN.Tingting"
    assert speech.choose_voice(macos, "en") is None


def test_espeak_mandarin_is_the_pinyin_voice_never_the_tone_number_one() -> None:
    espeak = [Voice("sit/cmn", "Chinese (Mandarin, latin as English)", ["cmn"]),
              Voice("sit/yue", "Chinese (Cantonese)", ["yue"]),
              Voice("gmw/en", "English (Great Britain)", ["en-gb"])]
    assert speech.choose_voice(espeak, "zh") is None
    with_pinyin = [*espeak, Voice("sit/cmn-latn-pinyin", "Chinese (Mandarin, latin as Pinyin)",
                                  ["cmn-latn-pinyin"])]
    assert speech.choose_voice(with_pinyin, "zh") == "sit/cmn-latn-pinyin"
    assert speech.choose_voice(with_pinyin, "en") == "gmw/en"
