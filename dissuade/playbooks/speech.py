"""Speech synthesis to WAV files with pyttsx3, each file made in its own child process (no Qt)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import uuid
import wave
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from dissuade.domain.codes import ScamType
from dissuade.domain.errors import DissuadeError, InvalidInput
from dissuade.frozen import SPEECH_CHILD, console_executable, is_frozen

TIMEOUT_SECONDS = 60.0
UNAVAILABLE_EXIT = 3  # the child's exit code for "no engine or no voice"; its reason is on stderr

# espeak-ng voice ids, best first. Never `sit/cmn`: Debian's espeak-ng 1.51 reads the tone numbers
# aloud with it, and the default voice spells Chinese out as "Chinese letter".
ESPEAK_VOICES = {"zh": ("sit/cmn-latn-pinyin",), "en": ("gmw/en-us", "gmw/en")}
AVOID_IDS = ("sit/cmn",)
LOCALES = {"zh": ("zh-cn", "zh-hans", "zh-hans-cn", "zh-sg"), "en": ("en-us",)}
# SAPI5 (Windows) and macOS Mandarin voices, found by name when the locale is not given.
MANDARIN_NAMES = ("huihui", "yaoyao", "kangkang", "xiaoxiao", "yunxi", "tingting", "ting-ting", "lili",
                  "mandarin", "chinese (simplified")
CANTONESE = ("yue", "zh-hk", "cantonese", "sin-ji", "sinji", "tracy", "danny")
LANG_WORDS = {"zh": "chinese", "en": "english"}

FIXES = {
    "linux": "Debian/Ubuntu 上请安装 espeak-ng：apt-get install libespeak-ng1 / "
             "on Debian or Ubuntu install espeak-ng: apt-get install libespeak-ng1",
    "win32": "请在 Windows 设置 › 时间和语言 › 语音 中添加“中文（简体）”语音 / add a Chinese (Simplified) "
             "voice in Windows Settings › Time & language › Speech",
    "darwin": "请在 系统设置 › 辅助功能 › 朗读内容 › 系统声音 中下载中文语音 / download a Chinese voice in "
              "System Settings › Accessibility › Spoken Content › System voice",
}

# The child imports only this module and dissuade.errors/codes: registering the package without
# running dissuade/__init__.py saves the ~0.7 s it takes to import the whole core for each file.
_BOOTSTRAP = ("import sys, types; pkg = types.ModuleType('dissuade'); pkg.__path__ = [sys.argv.pop(1)]; "
              "sys.modules['dissuade'] = pkg; from dissuade.playbooks.speech import main; sys.exit(main(sys.argv[1:]))")


class SpeechUnavailable(DissuadeError):
    """No speech engine or no voice for the language here; the message says how to get one."""


def synthesize(text: str, lang: str, path: Path | str, *, rate: int | None = None,
               timeout: float = TIMEOUT_SECONDS) -> Path:
    """Speak `text` in `lang` ("zh", "en", or another language code) into the WAV file `path`.

    The engine runs in a fresh child process killed after `timeout` seconds, so a hung engine
    cannot freeze the caller. Raises SpeechUnavailable when no engine or voice can do it.
    """
    text = text.strip()
    if not text:
        raise InvalidInput("没有要朗读的文字 / there is no text to speak", field="text")
    target = Path(path)
    if not target.parent.is_dir():
        raise InvalidInput(f"文件夹不存在 / no such folder: {target.parent}", field="output")
    partial = target.with_name(f".{target.stem}-{uuid.uuid4().hex[:8]}.wav")
    args = ["--lang", lang, "-o", str(partial)] + (["--rate", str(rate)] if rate else [])
    command = ([console_executable(), SPEECH_CHILD, *args] if is_frozen() else  # a bundle has no -c
               [sys.executable, "-c", _BOOTSTRAP, str(Path(__file__).resolve().parents[1]), *args])
    try:
        try:
            done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, timeout=timeout,
                                  env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                                  creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        except subprocess.TimeoutExpired:
            raise _unavailable(f"语音引擎 {timeout:g} 秒内没有完成，请重试 / the speech engine did not "
                               f"finish within {timeout:g} s, try again", fix=False) from None
        if done.returncode != 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines() or [""]
            if done.returncode == UNAVAILABLE_EXIT:
                raise _unavailable(lines[-1])
            raise _unavailable(f"语音进程出错退出（{done.returncode}）/ the speech process failed "
                               f"({done.returncode}): {lines[-1]}")
        try:
            seconds = wav_seconds(partial)
        except (OSError, InvalidInput):
            seconds = 0.0
        if seconds <= 0:
            raise _unavailable("语音引擎没有写出音频 / the speech engine wrote no audio")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def wav_seconds(path: Path | str) -> float:
    """The length of a WAV file's audio in seconds."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnframes() / float(w.getframerate())
    except (wave.Error, EOFError) as exc:
        raise InvalidInput(f"不是可读的 WAV 文件 / not a readable WAV file: {path} ({exc})",
                           field="path") from None


def voice_text(scam_type: str, lang: str) -> str:
    """The playbook's voice warning for a scam type, in "zh" or "en"."""
    from dissuade.playbooks.playbook import load_library

    known = [c.value for c in ScamType]
    if scam_type not in known:
        raise InvalidInput(f"未知的诈骗类型 / unknown scam type: {scam_type}（可用 / known: "
                           f"{', '.join(known)}）", field="scam_type")
    playbook = load_library().get(scam_type)
    text = playbook.text("voice", lang) if playbook is not None else ""
    if not text:
        raise InvalidInput(f"{scam_type} 的话术没有语音提醒 / the {scam_type} playbook has no voice "
                           "warning", field="scam_type")
    return text


def choose_voice(voices: Iterable[Any], lang: str) -> str | None:
    """The id of the best installed voice for `lang`, or None when none fits."""
    voices = list(voices)
    ids = {str(v.id).lower(): str(v.id) for v in voices}
    for wanted in ESPEAK_VOICES.get(lang, ()):
        if wanted in ids:
            return ids[wanted]
    ranked = [(rank, str(v.id)) for v in voices if (rank := _rank(v, lang)) is not None]
    return min(ranked)[1] if ranked else None


def _rank(voice: Any, lang: str) -> int | None:
    """0 for the language's main locale, 1 for a known voice or the language, 2 for its name."""
    locales = [_locale(item) for item in (voice.languages or [])]
    words = " ".join([*locales, str(voice.id), str(voice.name or "")]).lower()
    if str(voice.id).lower() in AVOID_IDS or (lang == "zh" and any(c in words for c in CANTONESE)):
        return None
    if any(loc in LOCALES.get(lang, ()) for loc in locales):
        return 0
    if (lang == "zh" and any(n in words for n in MANDARIN_NAMES)) or any(
            loc == lang or loc.startswith(lang + "-") for loc in locales):
        return 1
    return 2 if lang in LANG_WORDS and LANG_WORDS[lang] in words else None


def _locale(item: Any) -> str:
    text = item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)
    return text.strip("\x00\x01\x02\x03\x04\x05 ").lower().replace("_", "-")


def _unavailable(reason: str, *, fix: bool = True) -> SpeechUnavailable:
    hint = "。" + FIXES.get(sys.platform, FIXES["linux"]) if fix else ""
    return SpeechUnavailable(f"无法合成语音 / speech synthesis is unavailable: {reason}{hint}")


def _to_wav(path: Path) -> None:
    """macOS writes AIFF whatever the file is called: convert it with the system's afconvert."""
    with path.open("rb") as fh:
        if fh.read(4) != b"FORM" or not shutil.which("afconvert"):
            return
    aiff = path.with_suffix(".aiff")
    path.replace(aiff)
    subprocess.run(["afconvert", "-f", "WAVE", "-d", "LEI16", str(aiff), str(path)],
                   check=False, capture_output=True, timeout=TIMEOUT_SECONDS)
    aiff.unlink(missing_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    """The child process: text on stdin, one WAV file out; exit 3 with a reason when unavailable."""
    parser = argparse.ArgumentParser(prog="python -m dissuade.playbooks.speech")
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--rate", type=int)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    text = sys.stdin.buffer.read().decode("utf-8")
    try:
        import pyttsx3

        engine = pyttsx3.init()
        voices = engine.getProperty("voices")
    except Exception as exc:  # noqa: BLE001 - any failure here means "no engine"
        print(f"语音引擎无法启动 / the speech engine cannot start ({type(exc).__name__}: {exc})",
              file=sys.stderr)
        return UNAVAILABLE_EXIT
    voice = choose_voice(voices, args.lang)
    if voice is None:
        print(f"没有“{args.lang}”语言的语音 / no voice for the language “{args.lang}” is installed",
              file=sys.stderr)
        return UNAVAILABLE_EXIT
    engine.setProperty("voice", voice)
    if args.rate:
        engine.setProperty("rate", args.rate)
    finished = threading.Event()
    engine.connect("finished-utterance", lambda **_: finished.set())
    engine.save_to_file(text, args.output)
    engine.runAndWait()
    if "pyttsx3.drivers.espeak" in sys.modules:
        # pyttsx3's espeak driver returns from runAndWait while espeak's own thread is still
        # synthesising; exiting then leaves no file.
        finished.wait(TIMEOUT_SECONDS)
    if Path(args.output).exists():
        _to_wav(Path(args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
