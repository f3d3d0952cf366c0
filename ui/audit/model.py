"""The audit log as a lean table model (paged back by id) and the words for its codes."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontDatabase

from dissuade.domain import codes, timeutil
from dissuade.domain.models import Entry
from dissuade.sources import Source
from ui.common.ops import Runner
from ui.common.table_model import PagedRowsModel

PAGE = 200
HASH_CHARS = 12
Index = QModelIndex | QPersistentModelIndex
COLUMNS = ["id", "at", "actor", "action", "entity", "detail", "hash"]
COL = {key: i for i, key in enumerate(COLUMNS)}
EntryIdRole = Qt.ItemDataRole.UserRole + 1
# Seeing personal data or failing a call is what an auditor looks for first.
NOTABLE = {"warning.reveal": QColor("#8a1c1c"), "review.fail": QColor("#8a1c1c"),
           "escalation.request_pdf": QColor("#8a1c1c")}


def tr(text: str) -> str:
    return QCoreApplication.translate("Audit", text)


def action_labels() -> dict[str, str]:
    """What each audited action is called on screen (the codes stay in the tooltip)."""
    return {
        "warning.create": tr("Warning received"),
        "warning.import": tr("Warnings imported"),
        "warning.claim": tr("Claimed a warning"),
        "warning.renew": tr("Renewed a claim"),
        "warning.release": tr("Put a warning back"),
        "warning.retype": tr("Changed the scam type"),
        "warning.raise_level": tr("Raised the level"),
        "warning.reveal": tr("Revealed sensitive data"),
        "warning.view": tr("Opened the full history"),
        "attempt.create": tr("Recorded an outcome"),
        "escalation.create": tr("Proposed an escalation"),
        "escalation.approve": tr("Approved an escalation"),
        "escalation.reject": tr("Rejected an escalation"),
        "escalation.status": tr("Escalation moved on"),
        "escalation.extend_hold": tr("Extended a stop-payment hold"),
        "escalation.request_pdf": tr("Made a bank request PDF"),
        "chase.claim": tr("Chase call started"),
        "chase.call": tr("Chase call made"),
        "message.sms": tr("SMS warning sent"),
        "review.pass": tr("Call reviewed: pass"),
        "review.fail": tr("Call reviewed: fail"),
        "policy.update": tr("Changed level policy"),
        "policy.settings": tr("Changed centre settings"),
        "user.create": tr("Added a user"),
        "user.rotate": tr("Issued a new token"),
        "user.revoke": tr("Revoked a user"),
        "user.password": tr("Set a password"),
        "session.start": tr("Signed in"),
        "session.end": tr("Signed out"),
        "rehearsal.finish": tr("Finished a rehearsal"),
        "rehearsal.turns": tr("Rehearsal turns"),
        "demo.generate": tr("Made demo data"),
        "demo.db": tr("Made a demo database"),
    }


def action_text(action: str) -> str:
    return action_labels().get(action, action)


def action_filters() -> list[tuple[str, str]]:
    """(label, prefix) of the actions a lead most often looks for; "escalation" finds all."""
    return [
        (tr("All actions"), ""),
        (tr("Claimed a warning"), "warning.claim"),
        (tr("Recorded an outcome"), "attempt.create"),
        (tr("Escalations (all)"), "escalation"),
        (tr("Approved an escalation"), "escalation.approve"),
        (tr("Revealed sensitive data"), "warning.reveal"),
        (tr("Opened the full history"), "warning.view"),
        (tr("Quality reviews"), "review"),
        (tr("Changed the scam type"), "warning.retype"),
        (tr("Raised the level"), "warning.raise_level"),
        (tr("SMS warning sent"), "message.sms"),
        (tr("Chase calls"), "chase"),
        (tr("Policy changes"), "policy"),
        (tr("Users and tokens"), "user"),
        (tr("Warnings received"), "warning.create"),
        (tr("Warnings imported"), "warning.import"),
    ]


def entity_labels() -> dict[str, str]:
    return {"warning": tr("Warning"), "escalation": tr("Escalation"), "user": tr("User"),
            "policy": tr("Policy"), "rehearsal": tr("Rehearsal")}


def entity_text(entity: str, entity_id: int | None) -> str:
    name = entity_labels().get(entity, entity)
    return name if entity_id is None else f"{name} #{entity_id}"


def state_labels() -> dict[str, str]:
    """The steps of an escalation (docs/architecture.md, "Escalations")."""
    return {
        "proposed": tr("Proposed"), "approved": tr("Approved"), "rejected": tr("Rejected"),
        "sent": tr("Sent to the bank"), "locked": tr("Card locked"),
        "explained": tr("Explained to the person"), "unlocked": tr("Card unlocked"),
        "dispatched": tr("Officers dispatched"), "visited": tr("Visited"),
        "scheduled": tr("Calls scheduled"), "done": tr("Calls done"),
        "hold_extended": tr("Hold extended"),
    }


def state_text(status: str) -> str:
    return state_labels().get(status, status)


def _key_labels() -> dict[str, str]:
    return {
        "reason": tr("reason"), "field": tr("field"), "outcome": tr("outcome"),
        "status": tr("status"), "note": tr("note"), "comment": tr("comment"),
        "officer": tr("officer"), "attempt_id": tr("call"), "warning_id": tr("warning"),
        "kind": tr("kind"), "automatic": tr("automatic"), "lease_until": tr("lease until"),
        "from": tr("from"), "to": tr("to"), "purpose": tr("purpose"), "via": tr("via"),
        "result": tr("result"), "source": tr("source"), "external_id": tr("feed id"),
        "created": tr("created"), "first_id": tr("first id"), "rejected": tr("rejected"),
        "name": tr("name"), "role": tr("role"), "level": tr("level"), "number": tr("call no."),
        "ok": tr("answered"), "score": tr("score"), "scam_type": tr("scam type"),
        "reveals": tr("reveals"), "warnings": tr("warnings"),
    }


def _value_text(action: str, key: str, value: Any, lang: str, tz: str) -> str:
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if value is None:
        return "—"
    if key == "lease_until" and isinstance(value, int | float):
        return timeutil.local_text(value, tz, fmt="%m-%d %H:%M")
    if isinstance(value, str):
        if key in ("field", "reveals"):
            return {"cards": tr("bank cards"), "id_number": tr("ID number")}.get(value, value)
        if key == "purpose":
            return {"history": tr("full history")}.get(value, value)
        if key == "status":
            return state_text(value) if action.startswith("escalation") \
                else codes.label(codes.STATUS_LABELS, value, lang)
        for table in (codes.OUTCOME_LABELS, codes.SCAM_LABELS, codes.LEVEL_LABELS,
                      codes.ESCALATION_LABELS, codes.ROLE_LABELS):
            if key in ("outcome", "kind", "scam_type", "level", "role", "from", "to") \
                    and value in table:
                return codes.label(table, value, lang)
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def detail_text(action: str, detail: dict[str, Any], *, lang: str = "zh",
                tz: str = timeutil.DEFAULT_TZ) -> str:
    """The detail dict in one line, keys in the interface language where known."""
    keys = _key_labels()
    sep, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    return sep.join(f"{keys.get(k, k)}{colon}{_value_text(action, k, v, lang, tz)}"
                    for k, v in detail.items() if v not in ("", None) or k == "reason")


class AuditModel(PagedRowsModel):
    """Audit rows newest first. A query loads one page; scrolling to the end pages back with
    `before_id`, through the runner, so the UI thread never waits on the source."""

    entries_did_load = Signal(int)  # how many rows are loaded now

    def __init__(self, source: Source, runner: Runner, *, lang: str = "zh",
                 tz: str = timeutil.DEFAULT_TZ, parent: Any = None) -> None:
        super().__init__(source, runner, COLUMNS, _headers, parent)
        self._rows: list[Entry] = []
        self._exhausted = True
        self.lang = lang
        self.tz = tz
        self._mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

    # -- loading ----------------------------------------------------------------------------

    def load(self, filters: dict[str, Any]) -> None:
        """Start a new query (newest first); earlier answers still on their way are dropped."""
        source, query = self._source, self._new_query(filters)

        def done(rows: list[Entry]) -> None:
            self._exhausted = len(rows) < PAGE
            self._replace_rows(rows)
            self.entries_did_load.emit(len(self._rows))

        self._fetch(lambda: source.audit_entries(**query, limit=PAGE), done)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._rows) and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._fetching or not self.canFetchMore(parent):
            return
        source, query, before = self._source, dict(self._filters), self._rows[-1].id

        def done(more: list[Entry]) -> None:
            self._exhausted = len(more) < PAGE
            self._append_rows(more)
            self.entries_did_load.emit(len(self._rows))

        self._fetch(lambda: source.audit_entries(**query, before_id=before, limit=PAGE), done)

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def entry_at(self, row: int) -> Entry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def actors(self) -> list[str]:
        return sorted({e.actor for e in self._rows})

    # -- Qt model ---------------------------------------------------------------------------

    def cell(self, e: Entry, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(e, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "action":
                return e.action
            if key == "detail" and e.detail:
                return json.dumps(e.detail, ensure_ascii=False, indent=1)
            if key == "hash":
                return e.hash
            return None
        if role == Qt.ItemDataRole.ForegroundRole and key == "action":
            return NOTABLE.get(e.action)
        if role == Qt.ItemDataRole.FontRole and key == "hash":
            return QFont(self._mono)
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "id":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == EntryIdRole:
            return e.id
        return None

    def _display(self, e: Entry, key: str) -> str:
        if key == "id":
            return str(e.id)
        if key == "at":
            return timeutil.local_text(e.at, self.tz, fmt="%Y-%m-%d %H:%M:%S")
        if key == "actor":
            return e.actor
        if key == "action":
            return action_text(e.action)
        if key == "entity":
            return entity_text(e.entity, e.entity_id)
        if key == "detail":
            return detail_text(e.action, e.detail, lang=self.lang, tz=self.tz)
        if key == "hash":
            return e.hash[:HASH_CHARS]
        return ""


def _headers() -> dict[str, str]:
    return {"id": tr("No."), "at": tr("Time"), "actor": tr("Actor"), "action": tr("Action"),
            "entity": tr("Record"), "detail": tr("Detail"), "hash": tr("Hash")}
