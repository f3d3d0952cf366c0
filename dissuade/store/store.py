"""The store: one database, every responsibility's methods together.

Each part lives beside its SQL, one module per responsibility (a `...Store` class at the end of
each); `StoreBase` (base.py) holds the connection and the policy in force. What each does:

    ingest.py         warnings coming in (a feed, an import, the demo)
    queue.py          the queue's one definition, its pages, breaches, the next time it changes
    cases.py          who holds a person now: claims, releases, reassignment
    warning_edits.py  a warning's scam type and level changed by hand
    attempts.py       calls recorded and the escalations they propose
    undo.py           an outcome undone within seconds, a closed warning reopened, draft notes
    escalations.py    a lead's decisions and the steps after them
    chase.py          chase calls due, made and answered
    sending.py        an approved card lock taken for sending once
    arrival_sms.py    the SMS at arrival, taken once per person per case
    detail.py         a warning or escalation read whole; why it is or is not in the queue
    review.py         the lead's review, quality marks, revealing masked fields
    training.py       SMS sent to victims, rehearsal results
    report.py         /stats and the shift report
    forecast.py       the history the staffing forecast reads, and the forecast of a shift
    policy_edit.py    the centre policy changed by a lead
    users.py          users, roles and tokens
    presence.py       officers' states, the lead's room, an officer's callbacks
    sessions.py       passwords, and the sessions signing in opens
    audit.py          the audit trail: read, verify, record
    centres.py        a province hub's centres: routing, a person's case in one centre, transfers
    robot.py          the robot's first pass: its lines, calls, and hand-overs to people
"""

from __future__ import annotations

from dissuade.store.arrival_sms import ArrivalSmsStore
from dissuade.store.attempts import AttemptsStore
from dissuade.store.audit import AuditStore
from dissuade.store.centres import CentresStore
from dissuade.store.chase import ChaseStore
from dissuade.store.detail import DetailStore
from dissuade.store.escalations import EscalationsStore
from dissuade.store.forecast import ForecastStore
from dissuade.store.ingest import IngestStore
from dissuade.store.policy_edit import PolicyStore
from dissuade.store.presence import PresenceStore
from dissuade.store.queue import QueueStore
from dissuade.store.report import ReportStore
from dissuade.store.review import ReviewStore
from dissuade.store.robot import RobotStore
from dissuade.store.sending import SendingStore
from dissuade.store.sessions import SessionsStore
from dissuade.store.training import TrainingStore
from dissuade.store.undo import UndoStore
from dissuade.store.users import UsersStore
from dissuade.store.warning_edits import WarningEditsStore


class Store(IngestStore, QueueStore, WarningEditsStore, AttemptsStore, EscalationsStore,
            ChaseStore, SendingStore, DetailStore, ReviewStore, TrainingStore, ReportStore,
            PolicyStore, UsersStore, SessionsStore, AuditStore, PresenceStore, UndoStore,
            CentresStore, ArrivalSmsStore, ForecastStore, RobotStore):
    """One database file (or ``:memory:``). Methods that change data take keyword arguments;
    `now` (where taken) defaults to the clock."""


__all__ = ["Store"]
