"""Property-based fuzz over the hub's own /openapi.json: no request, however malformed, gets a
5xx other than 503 with Retry-After (and a 503 from a bug would log an error, which fails the
test too). Every operation is fuzzed as every role it admits, with schemathesis' cases, valid and
not, and with hostile values put into them: lone surrogates, NUL, right-to-left overrides,
10,000-character strings, card numbers, nesting 300 deep, huge numbers, NaN and Infinity."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core import NotSet

from tests.conftest import warning_data
from tests.hubs import USERS, ThreadHub, make_users

EXAMPLES = 10  # per operation, role and mode: about 1,700 requests in all
BUDGET_SECONDS = 60


def nested(depth: int) -> Any:
    node: Any = "底"
    for i in range(depth):
        node = [node] if i % 2 else {"n": node}
    return node


HOSTILE_TEXT = ["\ud800", "a\udfffb", "\x00", "nul\x00in the middle", "\u202e\u2066txt.exe",
                "\ufeff\u200b", "x" * 10_000, "卡" * 10_000, "6222020202020202026",
                "11010519491231002X", "' OR 1=1 --", "%s%n{0}", "../../etc/passwd", "", " "]
HOSTILE_OTHER: list[Any] = [nested(300), 10**400, -(2**63) - 1, 2**64, 1e308, -1e308,
                            float("nan"), float("inf"), float("-inf"), True, None, [], {},
                            [None] * 1000]
HOSTILE_QUERY = ["\x00", "nul\x00x", "\u202e", "x" * 10_000, "6222020202020202026", "NaN",
                 "Infinity", "-1e400", "9" * 40, "0001-01-01T00:00:00+14:00", "卡"]
# A path's variables for the role probe: an id that exists, a level that exists.
PROBE = {"warning_id": 1, "escalation_id": 1, "attempt_id": 1, "level": "low"}


@pytest.fixture(scope="module")
def fuzz_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadHub]:
    db = Path(tmp_path_factory.mktemp("fuzz")) / "centre.db"
    hub = ThreadHub(db, make_users(db)).start()
    lead = {"Authorization": f"Bearer {hub.tokens['lead-1']}"}
    with httpx.Client(base_url=hub.url, headers=lead) as c:
        for n in range(5):  # something for ids 1..5 to hit
            w = c.post("/api/v1/warnings", json=warning_data(
                n, cards=["6222020202020202026"], notes=f"卡号 622202020202020202{n}")).json()["id"]
            c.post(f"/api/v1/warnings/{w}/claim")
            c.post(f"/api/v1/warnings/{w}/escalations", json={
                "client_id": f"e{n}", "kind": "card_lock" if n % 2 else "door_visit",
                "reason": "仍在转账"})
        c.post("/api/v1/escalations/2/decision", json={"decision": "approve", "note": "同意"})
    yield hub
    hub.stop()


def operations(url: str) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


def admitted_roles(hub: ThreadHub, op: schemathesis.APIOperation) -> list[str]:
    """A user of each role the operation lets past its rights check (403 says it does not)."""
    path = op.path.format(**PROBE)
    roles = []
    for user in USERS:
        if user == "officer-b":  # an officer is officer-a's role already
            continue
        response = httpx.request(op.method.upper(), hub.url + path, timeout=30,
                                 params={"timeout": 0} if path.endswith("/events") else None,
                                 json={} if op.method.upper() in ("POST", "PUT") else None,
                                 headers={"Authorization": f"Bearer {hub.tokens[user]}"})
        if response.status_code != 403:
            roles.append(user)
    return roles


def leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list) and node:
        for i, value in enumerate(node):
            yield from leaves(value, (*path, i))
    else:
        yield path


def replaced(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[path[0]] = replaced(copy[path[0]], path[1:], value)
    return copy


def hostile(case: schemathesis.Case, data: st.DataObject) -> tuple[Any, dict[str, Any]]:
    """The case's body and query, with a hostile value put in somewhere (or not)."""
    body = None if isinstance(case.body, NotSet) else case.body
    query = dict(case.query or {})
    how = data.draw(st.sampled_from(["as generated", "one value", "every text", "query"]))
    if isinstance(body, bytes):
        pass  # a raw body (negative mode): sent as it is
    elif how == "one value" and body is not None:
        spots = list(leaves(body))
        spot = spots[data.draw(st.integers(0, len(spots) - 1))]
        body = replaced(body, spot, data.draw(st.sampled_from(HOSTILE_TEXT + HOSTILE_OTHER)))
    elif how == "every text" and body is not None:
        text = data.draw(st.sampled_from(HOSTILE_TEXT))
        for spot in list(leaves(body)):
            current: Any = body
            for key in spot:
                current = current[key]
            if isinstance(current, str):
                body = replaced(body, spot, text)
    elif how == "query" and query:
        key = data.draw(st.sampled_from(sorted(query)))
        query[key] = data.draw(st.sampled_from(HOSTILE_QUERY))
    return body, query


def fuzz(client: httpx.Client, op: schemathesis.APIOperation, mode: GenerationMode,
         user: str, token: str, failures: list[str], calls: list[int]) -> None:
    """Up to EXAMPLES cases of `op` in `mode`, sent as `user`."""

    @given(case=op.as_strategy(generation_mode=mode), data=st.data())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case, data: st.DataObject) -> None:
        body, query = hostile(case, data)
        if case.path == "/api/v1/events":
            query["timeout"] = 0  # no waiting in a fuzz
        payload = body if isinstance(body, bytes) or body is None else json.dumps(
            body, ensure_ascii=True, allow_nan=True, default=str).encode("ascii")
        headers = {"Authorization": f"Bearer {token}"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        what = f"{user}: {case.method} {case.formatted_path} {query!r:.200} " \
               f"{(payload or b'')[:300]!r}"
        try:
            response = client.request(case.method, case.formatted_path, params=query,
                                      content=payload, headers=headers)
        except httpx.TransportError as exc:
            failures.append(f"connection dropped ({exc!r}) {what}")
            return
        calls.append(response.status_code)
        if response.status_code >= 500 and not (
                response.status_code == 503 and "retry-after" in response.headers):
            failures.append(f"{response.status_code} {what}")

    try:
        run()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE  # nothing to get wrong (no parameters)


def test_no_request_gets_a_server_error(fuzz_hub: ThreadHub) -> None:
    """Every operation, as every role it admits, with generated and hostile input."""
    ops = operations(fuzz_hub.url)
    assert len(ops) >= 42
    failures: list[str] = []
    calls: list[int] = []
    started = time.monotonic()
    with httpx.Client(base_url=fuzz_hub.url, timeout=60) as client:
        for op in ops:
            users = admitted_roles(fuzz_hub, op)
            assert users, f"{op.method} {op.path}: nobody may call it"
            for user in users:
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    fuzz(client, op, mode, user, fuzz_hub.tokens[user], failures, calls)
    took = time.monotonic() - started
    assert failures == []
    assert len(calls) > 1000 and {200, 403, 404, 409, 422} <= set(calls), sorted(set(calls))
    assert took < BUDGET_SECONDS * 1.5, f"the fuzz took {took:.0f} s"
