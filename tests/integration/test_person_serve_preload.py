"""``peacelink serve`` builds the name-form tagger before it takes requests when the database holds persons
(a first check waited 5-10 s for it), and in the background, a minute after start-up, for a database without
persons (the first person stored on a new node waited 5-10 s for it, its keys need it); on both engines."""

from __future__ import annotations

import threading

import pytest
from tests.conftest import World

from peacelink.access import Role
from peacelink.cli import server
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import forms
from peacelink.persons import service
from peacelink.persons.schemas import NameIn, PersonCreate


def test_the_tagger_is_built_at_start_up_or_in_the_background_without_persons(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    monkeypatch.setattr(forms, "preload", lambda: built.append(threading.current_thread().name))
    monkeypatch.setattr(server, "BACKGROUND_TAGGER_DELAY", 0.01)
    builder = server.preload_name_forms(world.state.sessions)
    assert builder is not None and builder.daemon  # the server answers meanwhile; it never holds up exit
    builder.join(timeout=10)
    assert built == ["name-form-preload"]
    built.clear()
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    with unit_of_work(world.state.sessions) as session:
        service.create(
            session,
            actor=owner,
            data=PersonCreate(reference="P-1", names=[NameIn(name="Iosif Dzhugashvili")]),
        )
    assert server.preload_name_forms(world.state.sessions) is None
    assert built == [threading.current_thread().name]  # before the server takes requests
