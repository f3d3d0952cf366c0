"""Property-based fuzz over the hub's own /openapi.json: no request, however malformed, gets a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.conftest import warning_data
from tests.hubs import ThreadHub, make_users


@pytest.fixture(scope="module")
def fuzz_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadHub]:
    db = Path(tmp_path_factory.mktemp("fuzz")) / "centre.db"
    hub = ThreadHub(db, make_users(db)).start()
    import httpx

    with httpx.Client(base_url=hub.url,
                      headers={"Authorization": f"Bearer {hub.tokens['lead-1']}"}) as c:
        for n in range(5):  # something for ids 1..5 to hit
            w = c.post("/api/v1/warnings", json=warning_data(n)).json()["id"]
            c.post(f"/api/v1/warnings/{w}/claim")
    yield hub
    hub.stop()


def operations(url: str) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


def test_no_request_gets_a_server_error(fuzz_hub: ThreadHub) -> None:
    """Every operation, with generated paths, queries and bodies, valid and not."""
    auth = {"Authorization": f"Bearer {fuzz_hub.tokens['lead-1']}"}
    ops = operations(fuzz_hub.url)
    assert len(ops) >= 17
    failures: list[str] = []
    calls: list[int] = []
    for op in ops:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=op.as_strategy(generation_mode=mode))
            @settings(max_examples=20, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case: schemathesis.Case) -> None:
                if case.path == "/api/v1/events":
                    case.query = {**(case.query or {}), "timeout": 0}  # no waiting in a fuzz
                response = case.call(base_url=fuzz_hub.url, headers=auth)
                calls.append(response.status_code)
                if response.status_code >= 500 and not (
                        response.status_code == 503 and "retry-after" in response.headers):
                    failures.append(f"{response.status_code} {case.as_curl_command()}")

            try:
                run()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to get wrong (no parameters)
    assert failures == []
    assert len(calls) > 300 and {200, 404, 422} <= set(calls)  # it reached deep and wide
