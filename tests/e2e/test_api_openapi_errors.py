"""The OpenAPI document states every /api/v1 route's errors as the server answers them: ErrorOut, never
FastAPI's default 422 ``{"detail": [...]}`` (HTTPValidationError), which no route sends."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from tests.conftest import World

from peacelink.access import CENTRAL_ONLY_ROLES, Role

ERROR_OUT = {"$ref": "#/components/schemas/ErrorOut"}
A, AU, AF, ANF, AFC = (
    {"422"},
    {"401", "422"},
    {"401", "403", "422"},
    {"401", "403", "404", "422"},
    {"401", "403", "404", "409", "422"},
)
ADD = {"401", "403", "409", "422"}  # a create: a duplicate is a 409
DATABASE_ERRORS = {"503"}
V1 = "/api/v1"
# Every /api/v1 operation outside persons (test_persons_api states those) and the errors it answers, besides
# the 503 of a busy or unreachable database, which every one but /health may answer (DATABASE_ERRORS).
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("get", "/health"): A,
    ("post", "/checks/documents"): AF,
    ("post", "/checks/vehicles"): AF,
    ("post", "/checks/fingerprints"): AF,
    ("post", "/checks/dna"): AF,
    ("post", "/checks/dna/kinship"): AF,
    ("get", "/agencies"): AU,
    ("post", "/agencies"): ADD,
    ("get", "/agencies/{code}"): {"401", "404", "422"},
    ("patch", "/agencies/{code}"): ANF,
    ("get", "/me"): AU,
    ("get", "/users"): AF,
    ("post", "/users"): ADD,
    ("get", "/users/{username}"): ANF,
    ("patch", "/users/{username}"): AFC,
    ("get", "/tokens"): AF,
    ("post", "/tokens"): ADD,
    ("delete", "/tokens/{token_id}"): {"401", "404", "422"},
    ("get", "/audit/events"): AF,
    ("get", "/audit/export"): AF,
    ("get", "/audit/verify"): AF,
    ("get", "/records/due-for-review"): AF,
    ("get", "/documents"): AF,
    ("post", "/documents"): ADD,
    ("post", "/documents/import"): AF,
    ("get", "/documents/{document_id}"): ANF,
    ("patch", "/documents/{document_id}"): AFC,
    ("post", "/documents/{document_id}/cancel"): AFC,
    ("get", "/vehicles"): AF,
    ("post", "/vehicles"): ADD,
    ("post", "/vehicles/import"): AF,
    ("get", "/vehicles/{vehicle_id}"): ANF,
    ("patch", "/vehicles/{vehicle_id}"): AFC,
    ("post", "/vehicles/{vehicle_id}/cancel"): AFC,
    ("get", "/dna/profiles"): AF,
    ("get", "/dna/stored-loci-report"): AF,
    ("post", "/dna/profiles"): ADD,
    ("get", "/dna/profiles/{profile_id}"): ANF,
    ("post", "/dna/profiles/{profile_id}/cancel"): AFC,
    ("get", "/dna/frequencies"): AF,
    ("post", "/dna/frequencies"): ADD,
    ("get", "/fingerprints"): AF,
    ("post", "/fingerprints"): ADD,
    ("get", "/fingerprints/hits/{hit_id}/comparison.png"): ANF,
    ("get", "/fingerprints/{fingerprint_id}"): ANF,
    ("post", "/fingerprints/{fingerprint_id}/cancel"): AFC,
    ("get", "/hits"): AF,
    ("get", "/hits/{hit_id}"): ANF,
    ("post", "/hits/{hit_id}/confirm"): AFC,
    ("post", "/hits/{hit_id}/reject"): AFC,
    ("post", "/messages"): {"401", "409", "422"},
    ("get", "/messages"): {"401", "409", "422"},
    ("get", "/messages/outbox"): {"401", "409", "422"},
    ("get", "/messages/directory"): {"401", "404", "422"},
    ("get", "/messages/keys"): AU,
    ("post", "/messages/keys/{agency}"): AFC,
    ("post", "/messages/keys/{agency}/revoke"): AFC,
    ("get", "/messages/{message_id}"): {"401", "404", "409", "422"},
    ("get", "/messages/{message_id}/thread"): {"401", "404", "409", "422"},
    ("get", "/messages/{message_id}/attachments/{index}"): {"401", "404", "409", "422"},
    ("post", "/nodes/push"): AU,
    ("get", "/nodes/status"): AF,
}


def _operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): operation
        for path, item in spec["paths"].items()
        if path.startswith(V1 + "/")
        for method, operation in item.items()
    }


def test_openapi_states_every_routes_errors_as_they_are_answered(client: TestClient) -> None:
    # Every route outside persons documented FastAPI's 422 {"detail": [...]} (HTTPValidationError), which
    # the server never sends, and none of its 401, 403, 404 or 409.
    spec = client.get(f"{V1}/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    operations = _operations(spec)
    persons = {key for key in operations if key[1].startswith((f"{V1}/persons", f"{V1}/checks/persons"))}
    assert set(operations) - persons == {(method, V1 + path) for method, path in EXPECTED}
    for (method, path), operation in operations.items():
        responses = operation["responses"]
        assert "HTTPValidationError" not in str(responses), (method, path)
        errors = {status for status in responses if status[0] in "45"}
        if (method, path) not in persons:
            expected = EXPECTED[method, path.removeprefix(V1)]
            expected = expected if path == f"{V1}/health" else expected | DATABASE_ERRORS
            assert errors == expected, (method, path, errors)
        for status in errors:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == ERROR_OUT, (method, path, status)


# A value for each path parameter: an id no record has (an integer where the route takes one).
PATH_VALUES = {"index": "0", "token_id": "99999", "agency": "NCB-UTO", "code": "NCB-UTO"}


def _url(path: str) -> str:
    """The operation's URL, each path parameter given a value."""
    return re.sub(r"\{(\w+)\}", lambda match: PATH_VALUES.get(match[1], "missing-id"), path)


def test_the_documented_401_403_and_422_are_answered(client: TestClient, world: World) -> None:
    # What the document states is what the routes answer: 401 without a token, 403 for a role the operation
    # does not take, and 422 for a query that is not plain text (any route, before it runs).
    spec = client.get(f"{V1}/openapi.json").json()
    central = world.admin.actor.agency_code
    by_role = {role: world.user(central if role in CENTRAL_ONLY_ROLES else "NCB-UTO", role) for role in Role}
    for (method, path), operation in _operations(spec).items():
        url = _url(path)
        documented = {status for status in operation["responses"] if status[0] in "45"}
        refused = client.request(method, url + "?q=%00")
        assert refused.status_code == 422, (method, url, refused.text)
        assert refused.json()["error"] == "invalid" and refused.json()["field"] == "q"
        if "401" in documented:
            anonymous = client.request(method, url)
            assert anonymous.status_code == 401, (method, url, anonymous.text)
            assert anonymous.json()["error"] == "unauthenticated"
        roles = operation.get("x-required-roles") or []
        lacking = [role for role in Role if role.value not in roles]
        if "peer-node-signature" in roles or not roles:
            continue
        assert "403" in documented or not lacking, (method, path)
        for role in lacking:
            answer = client.request(method, url, headers=by_role[role].headers)
            assert answer.status_code == 403, (method, url, role, answer.text)
            assert answer.json()["error"] == "forbidden"
