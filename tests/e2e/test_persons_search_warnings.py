"""The persons search API and CLI say what the web search page says of a name (too common to look up alone,
initials only): the API in its X-PeaceLink-Warnings header beside the plain list, the CLI in warning lines."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.conftest import World
from tests.e2e.test_cli_checks import url  # noqa: F401 - the url fixture
from tests.e2e.test_persons_api import WANTED
from typer.testing import CliRunner

from peacelink.access import Role
from peacelink.cli.main import app
from peacelink.persons import retrieval

TOO_COMMON = (
    "the names are too common to look up on their own: add another part of the name, a date of birth or a "
    "nationality"
)
SEARCH = "/api/v1/persons/search"


@pytest.fixture
def ahmeds(client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Four Ahmeds and the wanted person, where a key held by more than 3 persons is a stop key (2,000 or 1%
    of the persons in a real database): the investigator's headers."""
    monkeypatch.setattr(retrieval, "stop_key_cap", lambda population: 3)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    for index, year in enumerate(["1970", "1978", "1985", "1990"]):
        person = {"reference": f"A-{index}", "names": [{"name": "Ahmed"}], "dates_of_birth": [year]}
        assert client.post("/api/v1/persons", headers=owner.headers, json=person).status_code == 201
    assert client.post("/api/v1/persons", headers=owner.headers, json=WANTED).status_code == 201
    return owner.headers


def _warnings(answer: httpx.Response) -> list[str]:
    warnings: list[str] = json.loads(answer.headers["X-PeaceLink-Warnings"])
    return warnings


def test_the_search_api_says_a_lone_name_is_too_common(client: TestClient, ahmeds: dict[str, str]) -> None:
    """Was a bare [] (nobody found, no reason given) where the web page said why."""
    common = client.get(SEARCH, headers=ahmeds, params={"name": "Ahmed"})
    assert common.status_code == 200 and common.json() == []
    assert _warnings(common) == [TOO_COMMON]
    initials = client.get(SEARCH, headers=ahmeds, params={"name": "M A"})
    assert initials.status_code == 200 and initials.json() == []
    initials_only = "the names hold initials only: nothing to look up; give at least one name in full"
    assert _warnings(initials) == [initials_only]
    # A search with something to look up, or no name at all: nothing to say, the answer as it always was.
    found = client.get(SEARCH, headers=ahmeds, params={"name": "Mohamed Al-Hashimi"})
    assert found.status_code == 200 and _warnings(found) == []
    assert found.json()[0]["person"]["reference"] == WANTED["reference"] and found.json()[0]["score"] > 0.9
    filtered = client.get(SEARCH, headers=ahmeds, params={"crime_area": "terrorism"})
    assert filtered.status_code == 200 and _warnings(filtered) == [] and len(filtered.json()) == 1
    # The OpenAPI description documents the header.
    operation = client.get("/api/v1/openapi.json").json()["paths"][SEARCH]["get"]
    assert "X-PeaceLink-Warnings" in operation["responses"]["200"]["headers"]
    assert "X-PeaceLink-Warnings" in operation["description"]


def test_the_search_command_says_a_lone_name_is_too_common(
    world: World,
    url: str,  # noqa: F811
    ahmeds: dict[str, str],
) -> None:
    user = world.user("NCB-UTO", Role.INVESTIGATOR).actor.username
    base = ["--database-url", url, "--user", user, "persons", "search", "--name"]
    plain = CliRunner().invoke(app, [*base, "Ahmed"])
    assert plain.exit_code == 0, plain.output
    assert plain.stdout.splitlines() == ["no person found", f"warning: {TOO_COMMON}"]
    as_json = CliRunner().invoke(app, [*base, "Ahmed", "--json"])
    assert as_json.exit_code == 0 and json.loads(as_json.stdout) == []  # stdout: the rows, as before
    assert as_json.stderr.splitlines() == [f"warning: {TOO_COMMON}"]
    found = CliRunner().invoke(app, [*base, "Mohamed Al-Hashimi"])
    assert found.exit_code == 0 and "warning:" not in found.output and "UTO-2024-001" in found.stdout
