"""The owner's hit queue: every Confirm and Reject button had the same accessible name ("Confirm",
"Reject") and nothing said which hit it decides, so a screen-reader or keyboard user moving from button to
button could not tell them apart. Each button is described by its own row's record cell (the database and
the record's number), in every page language."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from tests.conftest import World
from tests.e2e.test_checks_api import _report
from tests.e2e.test_persons_api import _sign_in

from peacelink.access import Role

NUMBERS = ("L898902C3", "X12345678")
DATABASE = {"en": "Travel documents", "fr": "Documents de voyage", "es": "Documentos de viaje"}


def _element_text(page: str, element_id: str) -> str:
    """The text of the page's element ``element_id`` (one whose tag is closed before the next of its kind)."""
    found = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    assert found, f"no #{element_id} on the page"
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", found.group(2)))).strip()


def _queue(client: TestClient, world: World, language: str) -> tuple[str, dict[str, str]]:
    """The owner's hit queue page in ``language`` with a hit per number of NUMBERS, and the hits' ids."""
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR, language=language)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    hits = {}
    for number in NUMBERS:
        _report(client, owner, number=number)
        checked = client.post(
            "/api/v1/checks/documents",
            headers=officer.headers,
            json={"issuing_country": "UTO", "number": number},
        )
        hits[number] = checked.json()["hits"][0]["hit_id"]
    _sign_in(client, owner)
    page = client.get("/hits").text
    return page, hits


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_each_decision_button_names_the_hit_it_decides(
    client: TestClient, world: World, language: str
) -> None:
    page, hits = _queue(client, world, language)
    described: set[str] = set()
    for number, hit_id in hits.items():
        row = re.search(rf'<tr id="hit-{hit_id}".*?</tr>', page, re.S)
        assert row, page
        buttons = re.findall(r'<button type="submit" name="decision"[^>]*>', row.group(0))
        assert len(buttons) == 2, buttons
        for button in buttons:
            ids = re.search(r'aria-describedby="([^"]+)"', button)
            assert ids, f"the button says nothing of its hit: {button}"
            texts = [_element_text(row.group(0), element_id) for element_id in ids.group(1).split()]
            said = " ".join(texts)
            # Its own record, not the other hit's, and the database in the page's language.
            assert number in said and not any(other in said for other in NUMBERS if other != number), said
            if language in DATABASE:
                assert DATABASE[language] in said, said
            described.update(ids.group(1).split())
    # Each id names one element of the page.
    for element_id in described:
        assert page.count(f'id="{element_id}"') == 1, element_id


NOTE = {"en": "Note on", "fr": "Note sur", "es": "Nota sobre", "ar": "ملاحظة على"}


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_each_note_box_is_named_for_the_hit_it_goes_with(
    client: TestClient, world: World, language: str
) -> None:
    # Every row's note box was named "Note": a screen reader moving from box to box could not tell which hit
    # a note would go with. Its accessible name (aria-label) names its own row's record, translated.
    page, hits = _queue(client, world, language)
    names = set()
    for number, hit_id in hits.items():
        box = re.search(rf'<textarea name="note" id="note-{hit_id}"[^>]*>', page)
        assert box, page
        assert "aria-labelledby" not in box.group(0), box.group(0)
        label = re.search(r'aria-label="([^"]*)"', box.group(0))
        assert label, f"the note box has no name: {box.group(0)}"
        name = html.unescape(label.group(1))
        assert name.startswith(NOTE[language]) and number in name, name
        assert not any(other in name for other in NUMBERS if other != number), name
        if language in DATABASE:
            assert DATABASE[language] in name, name
        names.add(name)
    assert len(names) == len(NUMBERS)
