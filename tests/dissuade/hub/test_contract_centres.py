"""A province hub's centres, on all four sources: routing by district (a feed's valid centre
first), each officer's queue their centre's, a lead with no centre seeing every centre with
figures by centre, a person's case kept in one centre, transfers audited, a changed map
re-routing open warnings, and one centre as before when the policy names none."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from dissuade import open_source
from dissuade.domain.errors import Conflict, InvalidInput
from dissuade.reports import render_report
from dissuade.sources import Source
from dissuade.sources.http import HttpSource
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import SharedHub

CENTRES = {"思明区": "XM", "湖里区": "XM", "渝北区": "CQ"}


@pytest.fixture
def province(request: pytest.FixtureRequest, sources: Callable[[str], Source],
             hub: SharedHub, tmp_path) -> Iterator[Callable[[str], Source]]:
    """`as_(name)`: a source for a user placed in a centre (xm-officer, cq-officer, xm-lead),
    a province lead (lead, no centre) or an officer with no centre yet (new-officer)."""
    store = Store(hub.db)
    placed = {"xm-officer": ("officer", "XM"), "cq-officer": ("officer", "CQ"),
              "xm-lead": ("lead", "XM"), "new-officer": ("officer", None)}
    tokens = {n: store.add_user(n, role=r, centre=c) for n, (r, c) in placed.items()}
    store.close()
    hub.tokens.update(tokens)
    kind = request.node.callspec.params["sources"]
    made: list[Source] = []

    def as_(name: str) -> Source:
        if name not in placed:
            return sources(name)
        source: Source = open_source(hub.db, user=name) if kind.startswith("local") else \
            HttpSource(hub.url, token=tokens[name], outbox_path=str(tmp_path / f"ob-{name}.db"))
        made.append(source)
        return source

    yield as_
    for source in made:
        source.close()


def _set_centres(lead: Source, centres: dict[str, str], default: str = "") -> None:
    lead.update_settings({"centres": centres, "default_centre": default})


def test_each_officer_works_their_own_centres_warnings(province: Callable[[str], Source]
                                                       ) -> None:
    lead, feed = province("lead-1"), province("feed-1")
    _set_centres(lead, CENTRES, default="XM")
    xm = feed.add_warning(warning_data(1, district="思明区")).id
    cq = feed.add_warning(warning_data(2, district="渝北区")).id
    elsewhere = feed.add_warning(warning_data(3, district="鼓楼区")).id  # unmapped: default
    told = feed.add_warning(warning_data(4, district="思明区", centre="CQ")).id  # feed's wins
    bogus = feed.add_warning(warning_data(5, district="渝北区", centre="ZZ")).id  # not a centre

    def ids(source: Source) -> set[int]:
        return {int(w.id) for w in source.queue(limit=50)}

    assert ids(province("xm-officer")) == {xm, elsewhere}
    assert ids(province("cq-officer")) == {cq, told, bogus}
    assert ids(province("xm-lead")) == {xm, elsewhere}
    assert ids(lead) == {xm, cq, elsewhere, told, bogus}  # a province lead sees every centre
    assert ids(province("new-officer")) == set()  # no centre yet: nothing
    assert province("new-officer").claim_next() is None
    claimed = province("cq-officer").claim_next()
    assert claimed is not None and claimed.centre == "CQ"
    stats = lead.stats()
    assert stats["by_centre"]["XM"]["received"] == 2
    assert stats["by_centre"]["CQ"]["received"] == 3
    # The handover report has a table by centre, first, in every format.
    data = lead.shift_report()
    assert [(r["centre"], r["received"]) for r in data["by_centre"]] == [("CQ", 3), ("XM", 2)]
    csv = render_report(data, "csv").decode("utf-8-sig")
    assert "按中心" in csv and "CQ" in csv
    assert render_report(data, "pdf").startswith(b"%PDF")


def test_a_transfer_moves_the_persons_case_ends_the_claim_and_is_audited(
        province: Callable[[str], Source]) -> None:
    lead, feed = province("lead-1"), province("feed-1")
    _set_centres(lead, CENTRES)
    first = feed.add_warning(warning_data(1, district="思明区")).id
    # The same person reported again from a Chongqing district: the case stays in Xiamen.
    second = feed.add_warning(warning_data(2, district="渝北区", phone="13900000001")).id
    xm = province("xm-officer")
    held = xm.claim_next()
    assert held is not None and held.id == first
    with pytest.raises(InvalidInput):
        lead.transfer(first, centre="ZZ", reason="不存在")
    moved = lead.transfer(first, centre="CQ", reason="受害人已回重庆")
    assert moved.centre == "CQ" and moved.claimed_by is None
    cq = province("cq-officer")
    rows = cq.queue(limit=10)  # one person, listed once with the other warning linked
    assert [(int(w.id), w.linked) for w in rows] == [(first, 1)]
    taken = cq.claim_next()
    assert taken is not None and taken.id == first
    assert cq.get(second).warning.claimed_by == "cq-officer"
    assert province("xm-officer").queue(limit=10) == []
    with pytest.raises(Conflict):
        lead.transfer(first, centre="CQ", reason="again")
    actions = [e.action for e in lead.audit_entries(limit=100)]
    assert actions.count("warning.transfer") >= 3  # the automatic one, then both warnings


def test_changing_the_map_reroutes_open_warnings(province: Callable[[str], Source]) -> None:
    lead, feed = province("lead-1"), province("feed-1")
    _set_centres(lead, {"思明区": "XM", "渝北区": "CQ"})
    wid = feed.add_warning(warning_data(1, district="渝北区")).id
    assert [w.id for w in province("cq-officer").queue(limit=5)] == [wid]
    _set_centres(lead, {"思明区": "XM", "渝北区": "XM"})
    assert province("cq-officer").queue(limit=5) == []
    assert [w.id for w in province("xm-officer").queue(limit=5)] == [wid]


def test_with_no_centres_everyone_sees_everything(province: Callable[[str], Source]) -> None:
    feed = province("feed-1")
    wid = feed.add_warning(warning_data(1, district="渝北区")).id
    for who in ("xm-officer", "cq-officer", "new-officer", "officer-a"):
        assert [w.id for w in province(who).queue(limit=5)] == [wid]
    with pytest.raises(Conflict):
        province("lead-1").transfer(wid, centre="CQ", reason="no centres")
