"""The hub's robot: a thread per robot line, each taking the next robot call due from the
database (store/robot.py), making it through the robot's dialer and recording its answer, and a
ticker that keeps this hub's lines seen (the robot is on while they are).

Lines are independent: a call that rings for two minutes holds only its own line. Whatever a
dialer does (hangs past `dialer_timeout_seconds`, crashes, refuses, answers garbage) is a
failed call, recorded and retried within the policy; nothing a dialer does ends a line.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from dissuade.domain.errors import DissuadeError
from dissuade.domain.models import Warning
from dissuade.gateways.robot_dialer import RobotDialer, Voice, make_voice
from dissuade.store import Store

log = logging.getLogger(__name__)

TICK_EVERY = 5.0  # seconds between a hub's "my lines are alive" (store.robot.LINE_STALE_SECONDS: 30)
LOOK_EVERY = 1.0  # seconds an idle line waits before looking for a call due again
VOICE_LANG = "zh"
STOP_SECONDS = 10.0  # the longest a stopping hub waits for its lines' calls, all together


class Robot:
    """The robot's lines on this hub. `clock` is the policy's clock (tests move it on);
    `voice` makes a warning's audio (default: its type's spoken warning, made once)."""

    def __init__(self, store: Callable[[], Store], dialer: RobotDialer, *, folder: Path,
                 every: float = LOOK_EVERY, clock: Callable[[], float] = time.time,
                 voice: Callable[[Warning], Voice] | None = None) -> None:
        self.store, self.dialer, self.every, self.clock = store, dialer, every, clock
        self.folder = folder
        self.voice = voice or self._spoken
        self.hub = f"hub-{uuid.uuid4().hex[:8]}"
        self._stop = threading.Event()
        self._lines: list[threading.Thread] = []
        self._ticker = threading.Thread(target=self._tick_loop, name="dissuade-robot-tick",
                                        daemon=True)
        self._voices: dict[str, Voice] = {}
        self._voice_lock = threading.Lock()

    def start(self) -> None:
        self._grow()
        self._tick()
        self._ticker.start()

    def stop(self) -> None:
        self._stop.set()
        deadline = time.monotonic() + STOP_SECONDS
        for thread in [self._ticker, *self._lines]:
            if thread.is_alive():  # a line in a call ends with it (daemon threads otherwise)
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
        try:
            self.store().robot_lines_off(self.hub)
        except DissuadeError as exc:
            log.warning("robot lines off: %s", exc)

    @property
    def lines(self) -> int:
        return len(self._lines)

    def _grow(self) -> None:
        """One thread per line: one per control port with baresip, else the policy's lines
        (started as the policy raises them; a line above the policy takes no call)."""
        wanted = self.dialer.lines(self.store().policy().robot_lines)
        while len(self._lines) < wanted:
            number = len(self._lines) + 1
            thread = threading.Thread(target=self._line_loop, args=(number,), daemon=True,
                                      name=f"dissuade-robot-line-{number}")
            self._lines.append(thread)
            thread.start()

    def _tick(self) -> None:
        self.store().robot_tick(hub=self.hub, lines=len(self._lines), now=self.clock())

    def _tick_loop(self) -> None:
        while not self._stop.wait(TICK_EVERY):
            try:
                self._grow()
                self._tick()
            except DissuadeError as exc:
                log.warning("robot tick: %s", exc)
            except Exception:  # noqa: BLE001 - the ticker must outlive one bad moment
                log.exception("robot tick failed")

    def _line_loop(self, number: int) -> None:
        while not self._stop.is_set():
            try:
                busy = self.call_once(number)
            except DissuadeError as exc:
                log.warning("robot line %d: %s", number, exc)
                busy = False
            except Exception:  # noqa: BLE001 - a line must outlive one bad call
                log.exception("robot line %d failed", number)
                busy = False
            if not busy:
                self._stop.wait(self.every)

    def call_once(self, number: int) -> bool:
        """Make the next robot call due on line `number`, if any; whether one was made."""
        store = self.store()
        timeout = float(store.policy().dialer_timeout_seconds)
        job = store.robot_take(hub=self.hub, line_no=number, timeout=timeout, now=self.clock())
        if job is None:
            return False
        answer, detail = None, ""
        voice = Voice(Path(), "", 0.0)
        try:
            voice = self.voice(job.warning)
            answer = self.dialer.call(number, job.warning, voice, timeout=timeout)
        except DissuadeError as exc:  # refused, timed out, garbage, no voice: a failed call
            detail = str(exc)
        except Exception as exc:  # noqa: BLE001 - a dialer's bug is a failed call too
            log.exception("robot call %d failed", job.call_id)
            detail = f"外呼出错 / the call failed: {type(exc).__name__}"
        result = store.robot_finish(job, answer, hub=self.hub, line_no=number, detail=detail,
                                    voice=voice.text, voice_seconds=voice.seconds,
                                    now=self.clock())
        log.info("robot call %d (warning %d, #%d) on line %d: %s", job.call_id,
                 job.warning.id, job.number, number, result)
        return True

    def _spoken(self, warning: Warning) -> Voice:
        with self._voice_lock:  # one synthesis per type, whichever line asks first
            voice = self._voices.get(warning.scam_type)
            if voice is None:
                voice = make_voice(warning.scam_type, VOICE_LANG, self.folder)
                self._voices[warning.scam_type] = voice
            return voice
