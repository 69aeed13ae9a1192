"""``peacelink serve`` builds the name-form tagger before it takes requests when the database holds persons
(a first check waited 5-10 s for it), and not for a database without persons (a documents-only server does not
carry its 270 MB); on both engines."""

from __future__ import annotations

import pytest
from tests.conftest import World

from peacelink.access import Role
from peacelink.cli import server
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import forms
from peacelink.persons import service
from peacelink.persons.schemas import NameIn, PersonCreate


def test_the_tagger_is_built_at_start_up_only_with_persons(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[bool] = []
    monkeypatch.setattr(forms, "preload", lambda: built.append(True))
    assert server.preload_name_forms(world.state.sessions) is False
    assert built == []
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    with unit_of_work(world.state.sessions) as session:
        service.create(
            session,
            actor=owner,
            data=PersonCreate(reference="P-1", names=[NameIn(name="Iosif Dzhugashvili")]),
        )
    assert server.preload_name_forms(world.state.sessions) is True
    assert built == [True]
