"""The words feeds and officers use for scam types and risk levels, mapped to the stable codes.

A feed or a spreadsheet may send the code (``romance_investment``), its label (网络婚恋交友,
Romance scam) or the word the trade uses (杀猪盘); all mean one code. Whitespace, case and
full-width forms do not matter, nor a trailing 诈骗 / 类 / 案 (刷单类诈骗 is 刷单).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from dissuade.domain.codes import LEVEL_LABELS, SCAM_LABELS

# Common names of each type in feeds' exports and officers' notes, beyond the labels of codes.py.
SCAM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "order_brushing": ("刷单", "兼职刷单", "网络刷单", "刷单返利", "点赞返利", "刷单兼职", "兼职",
                       "做任务", "刷信誉", "order brushing", "task scam"),
    "fake_investment": ("投资理财", "虚假投资理财", "虚假投资", "网络投资理财", "荐股", "股票",
                        "炒股", "理财", "虚假理财", "投资", "数字货币", "虚拟货币", "investment"),
    "fake_loan": ("网贷", "贷款诈骗", "虚假贷款", "网络贷款", "贷款", "虚假网贷", "网络贷款诈骗",
                  "loan"),
    "fake_customer_service": ("冒充客服", "退款", "客服退款", "冒充电商客服", "冒充物流客服",
                              "冒充电商物流客服", "快递理赔", "理赔", "冒充快递客服",
                              "冒充购物客服", "customer service"),
    "fake_credit_repair": ("征信", "虚假征信", "注销校园贷", "校园贷", "注销账户", "修复征信",
                           "消除不良征信", "征信修复", "credit repair"),
    "impersonating_authority": ("冒充公检法", "冒充警察", "冒充公安", "公检法", "冒充政府机关",
                                "冒充检察院", "冒充法院", "安全账户", "police impersonation"),
    "impersonating_boss": ("冒充领导", "冒充熟人", "冒充领导熟人", "冒充亲友", "冒充老板",
                           "冒充领导、熟人", "冒充熟人领导", "冒充同学", "boss impersonation"),
    "fake_game_trade": ("游戏交易", "游戏", "网络游戏", "游戏装备", "游戏账号", "虚假游戏交易",
                        "网络游戏虚假交易", "游戏币", "game trade"),
    "romance_investment": ("杀猪盘", "婚恋", "交友", "网络婚恋", "婚恋交友", "网恋", "网络交友",
                           "网络婚恋交友诈骗", "pig butchering", "romance"),
    "fake_shopping": ("网购", "虚假购物", "购物", "虚假服务", "网络购物", "虚假购物服务",
                      "shopping"),
    "impersonating_military_purchase": ("冒充军警", "冒充军人", "冒充军警购物", "军警采购",
                                        "冒充部队采购", "冒充军人购物"),
    # Taken once codes.py has the code (settled for issue 10; added by the playbooks' work).
    "medical_insurance": ("冒充医保", "冒充社保", "医保", "社保", "医保卡", "社保卡", "冒充医保社保",
                          "医保诈骗"),
    "unknown": ("其他", "未知", "其它", "其他类型", "other"),
}

# Colour grades (红色预警 is the most severe) and numbered grades (一级 / I级 first) as well.
LEVEL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "emergency": ("紧急", "特急", "加急", "特别紧急", "红色", "红色预警", "红", "一级", "1级",
                  "I级", "极高", "极高风险", "urgent", "critical"),
    "high": ("高", "高风险", "高危", "橙色", "橙色预警", "橙", "二级", "2级", "II级"),
    "medium": ("中", "中风险", "中危", "黄色", "黄色预警", "黄", "三级", "3级", "III级", "一般",
               "normal"),
    "low": ("低", "低风险", "低危", "蓝色", "蓝色预警", "蓝", "四级", "4级", "IV级"),
}

# Compared after NFKC (full-width to half-width, Ⅱ to II), without whitespace, "_" or "-",
# case-folded; 诈骗, 类 and 案 at the end are left out.
_IGNORED = re.compile(r"[\s_\-\u200b\ufeff·・]+")
_SUFFIX = re.compile(r"(?:类?诈骗|类|案件?|预警|风险|scam|fraud)+$")


def key(text: str) -> str:
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _table(labels: dict[str, tuple[str, str]],
           synonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for code, pair in labels.items():  # every code, also one without synonyms of its own
        for word in (code, *pair, *synonyms.get(code, ())):
            found.setdefault(key(word), code)
            found.setdefault(_SUFFIX.sub("", key(word)), code)
    found.pop("", None)
    return found


SCAM_BY_WORD = _table(SCAM_LABELS, SCAM_SYNONYMS)
LEVEL_BY_WORD = _table(LEVEL_LABELS, LEVEL_SYNONYMS)


@lru_cache(maxsize=4096)
def scam_code(text: str) -> str | None:
    """The scam-type code a word names, or None."""
    k = key(text)
    return SCAM_BY_WORD.get(k) or SCAM_BY_WORD.get(_SUFFIX.sub("", k))


@lru_cache(maxsize=1024)
def level_code(text: str) -> str | None:
    """The risk-level code a word names, or None."""
    k = key(text)
    return LEVEL_BY_WORD.get(k) or LEVEL_BY_WORD.get(_SUFFIX.sub("", k))


def accepted_scam_types() -> str:
    """The codes with their Chinese labels, for a message that says what is accepted."""
    return "、".join(f"{code} {zh}" for code, (zh, _en) in SCAM_LABELS.items())


def accepted_levels() -> str:
    return "、".join(f"{code} {zh}" for code, (zh, _en) in LEVEL_LABELS.items())
