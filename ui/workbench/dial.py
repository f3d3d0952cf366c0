"""Dialling the open warning's person from the screen (F3, `dialButton`), through this
workstation's telephony gateway (dissuade/gateways/telephony.py), and the call's moments for
the attempt: when it was dialled and, where the gateway reports them, answered and hung up."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QPushButton

from dissuade.domain import timeutil
from dissuade.domain.errors import DissuadeError
from dissuade.domain.models import Warning
from dissuade.gateways import telephony
from dissuade.gateways.telephony import Telephony

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    return QCoreApplication.translate("Dial", text)


@dataclass
class Call:
    """One call dialled for a warning, as the gateway reported it."""

    warning_id: int
    dialled_at: float
    ringing_at: float | None = None
    answered_at: float | None = None
    hung_up_at: float | None = None
    reported: bool = False  # the gateway said how it ended (answered or not)
    moments: list[str] = field(default_factory=list)

    @property
    def live(self) -> bool:
        return self.hung_up_at is None

    @property
    def seconds(self) -> float | None:
        """The conversation's length: from answer to hang-up."""
        if self.answered_at is None or self.hung_up_at is None:
            return None
        return max(0.0, self.hung_up_at - self.answered_at)


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


class _Relay(QObject):
    """Carries the gateway's moments and its end from the dialling thread to the UI thread
    (queued across threads by Qt)."""

    moment = Signal(int, int, str, float)  # (ticket, warning id, what, when)
    finished = Signal(int, object)  # (ticket, the exception or None)


class Dialler(QObject):
    """The dial button, its status line and the calls made for the open warning.

    The gateway is set by the window (`gateway`, the environment's or the workstation's
    choice). A command or a softphone's control port runs on a thread of its own, so a claim
    or an outcome never waits behind a call, and closing the window never waits for a call to
    end (the call goes on in the phone); a URI is handed to the desktop at once.
    """

    call_did_change = Signal(object)  # Call
    dial_did_fail = Signal(str)
    dial_did_finish = Signal()  # the gateway returned (a command ended, a call was hung up)
    message_did_change = Signal(str)

    def __init__(self, *, parent: Any = None) -> None:
        super().__init__(parent)
        # The centre's zone for the times shown (the window's policy snapshot sets it).
        self.timezone: Callable[[], str] = lambda: timeutil.DEFAULT_TZ
        self.gateway: Telephony = Telephony()
        self.gateway_error = ""  # set when the environment's gateway is wrong
        self.warning: Warning | None = None
        self.calls: dict[int, list[Call]] = {}
        self._relay = _Relay()
        self._relay.moment.connect(self._moment)
        self._relay.finished.connect(self._finished)
        self._thread: threading.Thread | None = None
        self._calling: Call | None = None  # the call the thread follows
        self._ticket = 0
        self._stopping = False
        self.button = QPushButton(objectName="dialButton")
        self.button.clicked.connect(self.dial)
        self.status = QLabel(objectName="dialStatus")
        self._tick = QTimer(self, interval=1_000, timeout=self._show_status)
        self.retranslate()

    # -- what is shown --------------------------------------------------------------------

    def set_gateway(self, gateway: Telephony, error: str = "") -> None:
        self.gateway, self.gateway_error = gateway, error
        self._refresh()

    def show_warning(self, warning: Warning | None) -> None:
        """The open warning changed (None: none open). Calls of other warnings are forgotten
        when one opens; the same warning given back after a failed outcome keeps its calls."""
        if warning is not None:
            self.calls = {k: v for k, v in self.calls.items() if k == int(warning.id)}
        self.warning = warning
        self._refresh()

    def retranslate(self) -> None:
        self.button.setText(tr("Dial (F3)"))
        self._refresh()

    def why_not(self) -> str:
        """Why the open warning cannot be dialled now; empty when it can."""
        w = self.warning
        if w is None:
            return tr("No warning open.")
        if w.synthetic:
            return tr("Synthetic (demo or rehearsal) warnings are never dialled.")
        if self.gateway_error:
            return self.gateway_error
        if self.gateway.kind == "none":
            return tr("No telephony gateway: choose one under File → Telephony gateway, or "
                      "set DISSUADE_DIAL_COMMAND, DISSUADE_DIAL_URI or DISSUADE_DIAL_SIP.")
        if self.in_call:
            return tr("A call is in progress.")
        return ""

    @property
    def in_call(self) -> bool:
        """A call dialled from this screen has not ended (the idle lock never comes then)."""
        return self._thread is not None

    def _refresh(self) -> None:
        why = self.why_not()
        self.button.setEnabled(not why)
        self.button.setToolTip(why or tr("Dial %1 through %2").replace(
            "%1", self.warning.phone if self.warning else "").replace("%2", self._via()))
        self._show_status()

    def _via(self) -> str:
        names = {"command": tr("the dial command"), "uri": tr("the desktop's phone handler"),
                 "sip": tr("the softphone at %1").replace("%1", self.gateway.target)}
        via = names.get(self.gateway.kind, "")
        if self.gateway.variable:
            via += " (" + self.gateway.variable + ")"
        return via

    def _show_status(self) -> None:
        call = self.last_call()
        text = ""
        if call is not None:
            now = time.time()
            if call.hung_up_at is not None:
                text = tr("Call ended, %1 talking").replace("%1", clock(call.seconds)) \
                    if call.seconds is not None else tr("Not answered")
            elif call.answered_at is not None:
                text = tr("Talking %1").replace("%1", clock(now - call.answered_at))
            elif call.ringing_at is not None:
                text = tr("Ringing %1").replace("%1", clock(now - call.ringing_at))
            elif self.gateway.kind == "uri" or not call.reported and not self.in_call:
                text = tr("Dialled at %1").replace("%1", timeutil.local_text(
                    call.dialled_at, self.timezone(), fmt="%H:%M:%S"))
            else:
                text = tr("Dialling...")
        self.status.setText(text)
        live = call is not None and call.live and self.in_call
        if live and not self._tick.isActive():
            self._tick.start()
        elif not live:
            self._tick.stop()

    def last_call(self) -> Call | None:
        if self.warning is None:
            return None
        calls = self.calls.get(int(self.warning.id))
        return calls[-1] if calls else None

    # -- dialling -------------------------------------------------------------------------

    def dial(self) -> None:
        """Dial the open warning's person (F3); says why not when it cannot."""
        why = self.why_not()
        warning, gateway = self.warning, self.gateway
        if why or warning is None:
            self.dial_did_fail.emit(tr("Not dialled: %1").replace("%1", why))
            return
        try:
            gateway.check()
            if gateway.kind == "uri":
                self._open_uri(warning, gateway)
                return
        except DissuadeError as exc:
            self.dial_did_fail.emit(tr("Not dialled: %1").replace("%1", str(exc)))
            return
        self._ticket += 1
        ticket, wid = self._ticket, int(warning.id)
        call = Call(wid, dialled_at=time.time())
        self.calls.setdefault(wid, []).append(call)
        self._calling = call
        relay = self._relay

        def report(what: str, at: float) -> None:
            relay.moment.emit(ticket, wid, what, at)

        def run() -> None:
            try:
                telephony.dial(gateway, warning, report, stop=lambda: self._stopping)
            except Exception as exc:  # noqa: BLE001 - handed to the UI thread, never lost
                relay.finished.emit(ticket, exc)
            else:
                relay.finished.emit(ticket, None)

        # A daemon thread: a call may last an hour, and quitting must not wait for it.
        self._thread = threading.Thread(target=run, name=f"dial-{wid}", daemon=True)
        self._thread.start()
        self.message_did_change.emit(tr("Dialling %1...").replace("%1", _shown(warning)))
        self._refresh()

    def _open_uri(self, warning: Warning, gateway: Telephony) -> None:
        text = telephony.uri(gateway, warning)
        call = Call(int(warning.id), dialled_at=time.time())
        if not QDesktopServices.openUrl(QUrl(text)):
            self.dial_did_fail.emit(tr("Not dialled: nothing on this computer opens %1 links.")
                                    .replace("%1", text.split(":", 1)[0]))
            return
        self.calls.setdefault(int(warning.id), []).append(call)
        self.message_did_change.emit(tr("Handed %1 to the phone program.").replace(
            "%1", _shown(warning)))
        self.call_did_change.emit(call)
        self._refresh()

    def _moment(self, _ticket: int, warning_id: int, what: str, at: float) -> None:
        calls = self.calls.get(warning_id) or []
        call = calls[-1] if calls else None
        if call is None:
            return
        if what == "dialled":
            call.dialled_at = min(call.dialled_at, at)
        elif what == "ringing" and call.ringing_at is None:
            call.ringing_at = at
        elif what == "answered":
            call.answered_at = at
            call.reported = True
        elif what == "hung_up":
            call.hung_up_at = at
            call.reported = True
        call.moments.append(what)
        self.call_did_change.emit(call)
        self._refresh()

    def _finished(self, ticket: int, exc: Exception | None) -> None:
        if ticket != self._ticket:
            return
        self._thread = None
        call, self._calling = self._calling, None
        if exc is not None:
            if not isinstance(exc, DissuadeError):
                log.error("dialling failed", exc_info=exc)
            kept = self.calls.get(call.warning_id, []) if call is not None else []
            if call in kept and call.ringing_at is None and call.answered_at is None:
                kept.remove(call)  # it never rang: nothing to record
            self.dial_did_fail.emit(tr("Not dialled: %1").replace("%1", str(exc)))
        self._refresh()
        if call is not None:
            self.call_did_change.emit(call)
        self.dial_did_finish.emit()

    # -- what the attempt records ---------------------------------------------------------

    def attempt_times(self, warning_id: int, opened: float | None) -> dict[str, float | None]:
        """started_at, ended_at and dialled_at for the outcome of `warning_id`, now.

        Not dialled from the screen: the warning's time on screen, as before. Dialled through
        a gateway that reported the call: answered and hung up (both None when not answered;
        no hang-up yet when the call goes on). Dialled with no report: from dialling to now.
        """
        now = time.time()
        calls = self.calls.get(warning_id) or []
        if not calls:
            return {"started_at": opened, "ended_at": now, "dialled_at": None}
        answered = [c for c in calls if c.answered_at is not None]
        call = answered[-1] if answered else calls[-1]
        if call.reported:
            return {"started_at": call.answered_at,
                    "ended_at": call.hung_up_at if call.answered_at is not None else None,
                    "dialled_at": call.dialled_at}
        return {"started_at": call.dialled_at, "ended_at": now, "dialled_at": call.dialled_at}

    def shutdown(self) -> None:
        """The window closes: stop following calls (the softphone keeps its call)."""
        self._stopping = True
        self._tick.stop()


def _shown(warning: Warning) -> str:
    from dissuade.domain import phones

    return phones.describe(warning.phone).national
