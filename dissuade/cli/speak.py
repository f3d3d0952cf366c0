"""The `dissuade speak` subcommand: a scam type's voice warning, or any text, to a WAV file."""

from __future__ import annotations

import argparse


def add_parsers(sub: argparse._SubParsersAction) -> None:
    speak = sub.add_parser("speak", help="合成语音提醒 / speak a voice warning into a WAV file",
                           description="The scam type's voice warning from its playbook, or any "
                           "text, synthesised offline (espeak-ng on Linux, the system voices on "
                           "Windows and macOS).")
    what = speak.add_mutually_exclusive_group(required=True)
    what.add_argument("--scam-type", metavar="CODE", help="the type's voice warning (e.g. fake_investment)")
    what.add_argument("--text", help="any text to speak")
    speak.add_argument("--lang", choices=["zh", "en"], default="zh", help="language (default zh)")
    speak.add_argument("-o", "--output", required=True, metavar="FILE.wav")
    speak.add_argument("--rate", type=int, help="words a minute (default: the engine's)")
    speak.set_defaults(handler=_speak)


def _speak(args: argparse.Namespace) -> int:
    from dissuade.playbooks import speech
    from dissuade.store.connection import refuse_database_file

    refuse_database_file(args.output, what="output")  # a WAV renamed over a served database
    text = args.text if args.text is not None else speech.voice_text(args.scam_type, args.lang)
    path = speech.synthesize(text, args.lang, args.output, rate=args.rate)
    seconds = speech.wav_seconds(path)
    print(f"已写入 / wrote {path}（{seconds:.1f} 秒 / s）")
    return 0
