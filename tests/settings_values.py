"""Values inside and outside a centre setting's declared limits, for property tests: what each
kind in dissuade.domain.settings must accept, and what it must refuse naming the setting."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from dissuade.domain import settings as spec

# Text a lead may type: anything but a lone surrogate (the hub refuses those before the core).
TYPED = st.characters(exclude_categories=("Cs",))
NOT_A_NUMBER = st.one_of(st.text(TYPED, max_size=5), st.booleans(), st.lists(st.integers(),
                                                                           max_size=2))


def _text(low: int, high: int) -> st.SearchStrategy[str]:
    return st.text(TYPED, min_size=low, max_size=high).filter(
        lambda t: low <= len(t.strip()) <= high)


def inside(kind: spec.Kind[Any]) -> st.SearchStrategy[Any]:
    """Values the kind accepts."""
    if isinstance(kind, spec.Whole):
        return st.integers(kind.low, kind.high) | st.integers(kind.low, kind.high).map(float)
    if isinstance(kind, spec.Number):
        floats = st.floats(kind.low, kind.high, allow_nan=False, allow_infinity=False)
        low, high = math.ceil(kind.low), math.floor(kind.high)
        return floats | st.integers(low, high) if low <= high else floats
    if isinstance(kind, spec.Flag):
        return st.booleans()
    if isinstance(kind, spec.Text):
        if kind.pattern:
            code = st.from_regex(f"(?:{kind.pattern})", fullmatch=True).filter(
                lambda t: len(t) <= kind.high)
            return code | st.just("") if not kind.low else code
        return _text(kind.low, kind.high)
    if isinstance(kind, spec.Choice):
        return st.sampled_from(kind.options)
    if isinstance(kind, spec.Levels):
        return st.lists(st.sampled_from(kind.options), max_size=2 * len(kind.options))
    if isinstance(kind, spec.Hours):
        return st.lists(st.integers(0, 23), min_size=kind.low_items, max_size=kind.high_items)
    if isinstance(kind, spec.TimeRange):
        return st.tuples(st.integers(0, 24 * 60 - 1), st.integers(1, 24 * 60)).filter(
            lambda r: r[0] < r[1]).map(lambda r: [f"{m // 60:02d}:{m % 60:02d}" for m in r])
    if isinstance(kind, spec.Table):
        return st.dictionaries(inside(kind.key), inside(kind.value), max_size=4)
    raise AssertionError(f"no values for {kind!r}")


def outside(kind: spec.Kind[Any], *, booleans: bool = True) -> st.SearchStrategy[Any]:
    """Values the kind refuses (never None: a hub takes a null as not sent). `booleans=False`
    leaves out true and false (the hub's per-level route reads them as 1 and 0)."""
    not_a_number = NOT_A_NUMBER if booleans else NOT_A_NUMBER.filter(
        lambda v: not isinstance(v, bool))
    if isinstance(kind, spec.Number | spec.Whole):
        low, high = float(kind.low), float(kind.high)
        beyond = st.floats(max_value=low, exclude_max=True, allow_nan=False,
                           allow_infinity=False) | st.floats(
            min_value=high, exclude_min=True, allow_nan=False, allow_infinity=False)
        whole_beyond = st.integers(max_value=math.ceil(low) - 1) | st.integers(
            min_value=math.floor(high) + 1)
        refused = beyond | whole_beyond | not_a_number
        if isinstance(kind, spec.Whole):
            refused |= st.floats(low, high).filter(lambda f: not f.is_integer())
        return refused
    if isinstance(kind, spec.Flag):
        return st.integers(0, 1) | st.sampled_from(["true", "false", "yes"])
    if isinstance(kind, spec.Text):
        long = st.text(st.characters(categories=("L", "N")), min_size=kind.high + 1,
                       max_size=kind.high + 20)
        refused = long | st.integers() | st.lists(st.text(max_size=2), max_size=2)
        if kind.low:
            refused |= st.sampled_from(["", "   "])
        if kind.pattern:
            refused |= st.sampled_from(["!", "_x", "-x", "中心", "a b", "x/y"])
        return refused
    if isinstance(kind, spec.Choice):
        return st.text(TYPED, max_size=12).filter(lambda t: t not in kind.options)
    if isinstance(kind, spec.Levels):
        unknown = st.text(TYPED, max_size=10).filter(lambda t: t not in kind.options)
        return st.lists(unknown, min_size=1, max_size=3) | st.sampled_from(
            ["medium", 1, {"medium": True}])
    if isinstance(kind, spec.Hours):
        return st.one_of(
            st.lists(st.integers(0, 23), min_size=kind.high_items + 1, max_size=kind.high_items + 3),
            st.just([]) if kind.low_items else st.nothing(),
            st.lists(st.integers(24, 100) | st.integers(max_value=-1), min_size=1, max_size=3),
            st.sampled_from([[8.5], ["8"], [True], "8:00", 8]))
    if isinstance(kind, spec.TimeRange):
        clock = st.tuples(st.integers(0, 24), st.integers(0, 59)).filter(
            lambda hm: hm[0] * 60 + hm[1] <= 24 * 60).map(lambda hm: f"{hm[0]:02d}:{hm[1]:02d}")
        backwards = st.tuples(clock, clock).filter(lambda r: r[0] >= r[1]).map(list)
        return backwards | st.sampled_from([["25:00", "26:00"], ["8", "9"], ["08:00"],
                                            ["08:00", "12:00", "13:00"], "08:00-21:00",
                                            ["08:60", "09:00"], ["24:30", "24:45"],
                                            ["０８:００", "０９:００"]])
    if isinstance(kind, spec.Table):
        bad_value = st.dictionaries(inside(kind.key), outside(kind.value), min_size=1, max_size=2)
        bad_key = st.dictionaries(outside(kind.key).filter(lambda k: isinstance(k, str)),
                                  inside(kind.value), min_size=1, max_size=2)
        return bad_value | bad_key | st.sampled_from(["思明区", ["思明区"], 5])
    raise AssertionError(f"no values for {kind!r}")


def kept(setting: spec.Setting[Any], sent: Any, before: Any) -> Any:
    """What the policy holds after `sent` was accepted for `setting` over `before`."""
    checked = setting.kind.check(setting.name, sent)
    if isinstance(setting.kind, spec.Table) and setting.kind.merge:
        return {**before, **checked}
    return checked
