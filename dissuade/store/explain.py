"""Why a warning is, or is not, in the queue: in words an officer reads at a glance."""

from __future__ import annotations

from dissuade.domain import codes, timeutil
from dissuade.domain.models import WarningDetail
from dissuade.domain.rules import ENDED

# How each state of an escalation reads in the answer; "proposed" says who must act.
STATES = {**codes.ESCALATION_STATE_LABELS,
          "proposed": ("等待值班长审批", "waiting for a lead's decision")}


IN_QUEUE = ("在队列中，可立即领取。", "In the queue now: it can be claimed.")
# Never said when the words below cover every way out of the queue (the property test in
# tests/dissuade/test_queue_why.py drives the store and checks it).
NOT_IN_QUEUE = ("当前不在您的队列中。", "Not in your queue now.")


def why(detail: WarningDetail, *, queued: bool, user: str, now: float, tz: str,
        lang: str = "zh") -> str:
    """One or two sentences: in the queue now (`queued`, by the queue's one definition in
    queue.py), or why not: claimed by whom until when, retry at what time, escalated and waiting
    for what, closed by whom with what outcome, reserved for whom."""
    w = detail.warning
    zh = not lang.startswith("en")
    if queued:
        return IN_QUEUE[0] if zh else IN_QUEUE[1]

    def t(epoch: float | None) -> str:
        return timeutil.local_text(epoch, tz, fmt="%m-%d %H:%M")

    def label(table: dict[str, tuple[str, str]], code: str | None) -> str:
        return codes.label(table, code or "", lang)

    if w.status == "closed":
        last = detail.attempts[-1] if detail.attempts else None
        who = last.officer if last else "?"
        when = t(last.recorded_at) if last else ""
        outcome = label(codes.OUTCOME_LABELS, w.last_outcome)
        return (f"已办结：{who} 于 {when} 记录“{outcome}”。" if zh
                else f"Closed: {who} recorded “{outcome}” at {when}.")
    if w.status == "escalated":
        open_ones = [e for e in detail.escalations if e.status not in ENDED]
        parts = []
        for e in open_ones:
            kind = label(codes.ESCALATION_LABELS, e.kind)
            state = label(STATES, e.status)
            parts.append(f"{kind}（{state}）" if zh else f"{kind} ({state})")
        listed = "、".join(parts) if zh else ", ".join(parts)
        return (f"已升级，不在队列中：{listed}。升级处置到“已解释/已上门/追呼结束/驳回”后回到"
                "队列，由跟进民警记录最终结果。" if zh
                else f"Escalated, out of the queue: {listed}. Once the person is told, visited "
                     "or called (or the lead rejects it) it returns for its final outcome, "
                     "first to the officer following it up.")
    held = next((x for x in (w, *detail.linked) if x.status == "claimed" and x.claimed_by
                   and (x.lease_until or 0) > now and x.claimed_by != user), None)
    if held is not None and held.id != w.id:
        return (f"当事人正由 {held.claimed_by} 处置（关联预警 {held.id}，至 "
                f"{t(held.lease_until)}）；同一人的预警一起处置。" if zh
                else f"The person is being handled by {held.claimed_by} (linked warning "
                     f"{held.id}, until {t(held.lease_until)}): one person's warnings are "
                     "handled together.")
    if w.status == "claimed" and w.lease_until is not None and w.lease_until > now:
        mine = w.claimed_by == user
        holder = ("您" if zh else "you") if mine else (w.claimed_by or "?")
        return (f"正由{holder}处置，领取有效至 {t(w.lease_until)}；过期未处置将回到队列。" if zh
                else f"Claimed by {holder} until {t(w.lease_until)}; back in the queue if the "
                     "claim runs out.")
    reserved = w.reserved_for if w.reserved_for and w.reserved_for != user else None
    until = ""
    if reserved and w.reserved_until is not None:
        until = (f"（{t(w.reserved_until)} 后如其不在岗则任何人可处置，值班长可改派）" if zh
                 else f" (anyone's after {t(w.reserved_until)} if they are off shift; a lead "
                      "can reassign it)")
    if w.status == "retry" and w.available_at > now:
        only = w.reserved_for
        who = (f"，约定仅由 {only} 回访{until}" if zh else f", reserved for {only}{until}") \
            if only else ""
        previous = label(codes.OUTCOME_LABELS, w.last_outcome)
        return (f"等待重拨：上次“{previous}”，{t(w.available_at)} 回到队列{who}。" if zh
                else f"Waiting to retry: last “{previous}”; back in the queue at "
                     f"{t(w.available_at)}{who}.")
    if reserved:
        return (f"约定由 {reserved} 处置{until}。" if zh
                else f"Reserved for {reserved}{until}.")
    return NOT_IN_QUEUE[0] if zh else NOT_IN_QUEUE[1]
