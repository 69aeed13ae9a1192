"""Fuzzes the API from its own OpenAPI document: bad input must never produce a 500."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from tests.conftest import World


@pytest.mark.slow
def test_no_server_errors_from_openapi(client: TestClient, world: World) -> None:
    app = client.app
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    calls: list[int] = []
    operations = list(schema.get_all_operations())
    assert len(operations) >= 10
    for result in operations:
        operation = result.ok()

        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=world.admin.headers)
            calls.append(response.status_code)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"
                )

        check()
    assert not failures, "\n".join(failures[:10])
    assert len(calls) >= 5 * len(operations), "the fuzzer barely ran"
