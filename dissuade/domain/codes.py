"""The stable codes (levels, statuses, outcomes, scam types; docs/architecture.md, "Fixed points")
and their labels."""

from __future__ import annotations

from enum import StrEnum


class RiskLevel(StrEnum):
    EMERGENCY = "emergency"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 is the most urgent; queue order sorts on this."""
        return _LEVEL_ORDER.index(self)


_LEVEL_ORDER = [RiskLevel.EMERGENCY, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW]
LEVELS: tuple[RiskLevel, ...] = tuple(_LEVEL_ORDER)


class Status(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    RETRY = "retry"
    ESCALATED = "escalated"
    CLOSED = "closed"


OPEN_STATUSES = (Status.NEW, Status.RETRY, Status.CLAIMED)


class Outcome(StrEnum):
    DISSUADED = "dissuaded"
    ALREADY_LOST = "already_lost"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    POWERED_OFF = "powered_off"
    INVALID_NUMBER = "invalid_number"
    BRAINWASHED = "brainwashed"
    NOT_FRAUD = "not_fraud"
    WRONG_PERSON = "wrong_person"
    CALLBACK = "callback"


CLOSING_OUTCOMES = frozenset(
    {
        Outcome.DISSUADED,
        Outcome.NOT_FRAUD,
        Outcome.ALREADY_LOST,
        Outcome.INVALID_NUMBER,
        Outcome.WRONG_PERSON,
    }
)
FAILED_OUTCOMES = frozenset({Outcome.NO_ANSWER, Outcome.BUSY, Outcome.POWERED_OFF})


class ScamType(StrEnum):
    ORDER_BRUSHING = "order_brushing"
    FAKE_INVESTMENT = "fake_investment"
    FAKE_LOAN = "fake_loan"
    FAKE_CUSTOMER_SERVICE = "fake_customer_service"
    FAKE_CREDIT_REPAIR = "fake_credit_repair"
    IMPERSONATING_AUTHORITY = "impersonating_authority"
    IMPERSONATING_BOSS = "impersonating_boss"
    FAKE_GAME_TRADE = "fake_game_trade"
    ROMANCE_INVESTMENT = "romance_investment"
    FAKE_SHOPPING = "fake_shopping"
    IMPERSONATING_MILITARY_PURCHASE = "impersonating_military_purchase"
    MEDICAL_INSURANCE = "medical_insurance"
    UNKNOWN = "unknown"


class EscalationKind(StrEnum):
    CARD_LOCK = "card_lock"
    DOOR_VISIT = "door_visit"
    CHASE_CALL = "chase_call"


class Role(StrEnum):
    OFFICER = "officer"
    LEAD = "lead"
    TRAINER = "trainer"
    ADMIN = "admin"
    FEED = "feed"
    METRICS = "metrics"  # a scraper: reads GET /metrics and nothing else


# Chinese first, English second: (zh, en).
LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "emergency": ("紧急", "Emergency"),
    "high": ("高", "High"),
    "medium": ("中", "Medium"),
    "low": ("低", "Low"),
}
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "new": ("待处置", "New"),
    "claimed": ("处置中", "Claimed"),
    "retry": ("待重拨", "Retry"),
    "escalated": ("已升级", "Escalated"),
    "closed": ("已办结", "Closed"),
}
OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "dissuaded": ("劝阻成功", "Dissuaded"),
    "already_lost": ("已被骗", "Already lost"),
    "no_answer": ("无人接听", "No answer"),
    "busy": ("占线", "Busy"),
    "powered_off": ("关机/停机", "Powered off"),
    "invalid_number": ("空号", "Invalid number"),
    "brainwashed": ("拒不听劝/疑似被洗脑", "Refuses / brainwashed"),
    "not_fraud": ("非诈骗", "Not fraud"),
    "wrong_person": ("非本人", "Wrong person"),
    "callback": ("约定回访", "Call back"),
}
SCAM_LABELS: dict[str, tuple[str, str]] = {
    "order_brushing": ("刷单返利", "Order-brushing rebate"),
    "fake_investment": ("虚假网络投资理财", "Fake investment"),
    "fake_loan": ("虚假网络贷款", "Fake online loan"),
    "fake_customer_service": ("冒充电商物流客服", "Fake customer service"),
    "fake_credit_repair": ("虚假征信", "Fake credit-record repair"),
    "impersonating_authority": ("冒充公检法", "Impersonating police/prosecutor/court"),
    "impersonating_boss": ("冒充领导熟人", "Impersonating a boss or acquaintance"),
    "fake_game_trade": ("网络游戏产品虚假交易", "Fake game-item trading"),
    "romance_investment": ("网络婚恋交友", "Romance scam (pig butchering)"),
    "fake_shopping": ("虚假购物服务", "Fake shopping or services"),
    "impersonating_military_purchase": ("冒充军警购物", "Impersonating military/police buyers"),
    "medical_insurance": ("冒充医保/社保", "Impersonating medical insurance / social security"),
    "unknown": ("其他/未知", "Other / unknown"),
}
ESCALATION_LABELS: dict[str, tuple[str, str]] = {
    "card_lock": ("止付锁卡", "Card lock / stop payment"),
    "door_visit": ("上门劝阻", "Door visit"),
    "chase_call": ("智能追呼", "Chase call"),
}

# The states an escalation goes through (docs/architecture.md, "Escalations"), and its hold's
# extension.
ESCALATION_STATE_LABELS: dict[str, tuple[str, str]] = {
    "proposed": ("待审批", "waiting for a lead"),
    "approved": ("已批准", "approved"),
    "rejected": ("已驳回", "rejected"),
    "withdrawn": ("已撤回（结果撤销）", "withdrawn (outcome undone)"),
    "sent": ("已发送银行", "sent to the bank"),
    "locked": ("已止付/锁卡", "locked"),
    "explained": ("已解释", "explained"),
    "unlocked": ("已解卡", "unlocked"),
    "dispatched": ("已派警", "dispatched"),
    "visited": ("已上门", "visited"),
    "scheduled": ("追呼中", "calling"),
    "done": ("追呼结束", "done"),
    "hold_extended": ("已延长止付", "hold extended"),
}

ROLE_LABELS: dict[str, tuple[str, str]] = {
    "officer": ("劝阻民警", "Officer"),
    "lead": ("值班长", "Shift lead"),
    "trainer": ("教员", "Trainer"),
    "admin": ("管理员", "Administrator"),
    "feed": ("数据接入", "Feed"),
    "metrics": ("监控采集", "Metrics scraper"),
}


# What the audit chain's verification may find, in Chinese and English; `problem` adds the row numbers.
AUDIT_PROBLEMS: dict[str, tuple[str, str]] = {
    "out_of_sequence": ("行号不连续", "a row is out of sequence"),
    "missing": ("有记录被删除", "rows are missing"),
    "changed": ("记录被修改，或其前面的记录被删除", "the row was changed, or a row before it removed"),
    "no_hash": ("记录没有哈希（绕过系统写入）", "the row has no hash (written around dissuade)"),
    "cut": ("末尾的记录被删除", "rows after the head are missing"),
    "head_mismatch": ("与交班报告中的链头不符", "the row is not the one the head named"),
}


def label(table: dict[str, tuple[str, str]], code: str, lang: str = "zh") -> str:
    """The label of `code` in `lang` ("zh" or "en"); the code itself when unknown."""
    pair = table.get(code)
    if pair is None:
        return code
    return pair[1] if lang.startswith("en") else pair[0]
