"""The bundle's entry point: the `dissuade` command, frozen (PyInstaller or Nuitka).

A frozen executable cannot run `python -c ...`, so the speech engine's child process is this
same executable started with SPEECH_CHILD first (see dissuade/frozen.py).
"""

import sys

from dissuade.frozen import SPEECH_CHILD


def run() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == SPEECH_CHILD:
        from dissuade.playbooks.speech import main as speech_main

        return speech_main(sys.argv[2:])
    from dissuade.cli.main import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
