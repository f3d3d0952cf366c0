"""`dissuade doctor`: what is wrong with this workstation or hub, and how to fix it.

Qt-free: the command line (dissuade/cli/doctor.py) prints the findings, the client's
帮助 → 诊断 (Help → Diagnostics, ui/centre/doctor_dialog.py) shows the same ones, run off the UI
thread. Each check returns one `Finding`: ok, or a problem with its fix, in Chinese and English.
"""

from dissuade.doctor.checks import (
    Finding,
    Setup,
    check_database,
    check_font,
    check_gateways,
    check_hub,
    check_speech,
    run,
)

__all__ = ["Finding", "Setup", "run", "check_font", "check_speech", "check_database",
           "check_hub", "check_gateways"]
