"""Migration 0015's rules on a real database: the Arabic ث, ذ and ض read th/dh/d (Arabic) or s/z/z (Persian,
Urdu, Turkish), so the Latin spellings of both traditions find each other and the Arabic script finds the
Persian-style spellings; Ethiopic names romanised with the first vowel order as e (ከበደ Kebede); and the
migration, which brings a database keyed before them up to date."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again
from tests.integration.test_person_readings import _create, _keys, _parts

from peacelink.access import Actor, Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import HIT_THRESHOLD, arabic_reading, parts
from peacelink.persons import keys as person_keys
from peacelink.persons.keys import resync_persons
from peacelink.persons.lookup import check_person
from peacelink.persons.models import PERSONS_COUNT_KEY, PersonName
from peacelink.persons.schemas import PersonCheck


def _setup(world: World) -> tuple[Actor, dict[str, str]]:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    with unit_of_work(world.state.sessions) as session:
        ids = {
            "uthman": _create(session, owner, "AFG-1", "Uthman Ghani Khan"),
            "zakir": _create(session, owner, "AFG-2", "Zakir Hussain Bhatti"),
            "arabic": _create(session, owner, "AFG-3", "عثمان رضا"),
            "other": _create(session, owner, "AFG-4", "Usman Tariq Malik"),
            "ethiopic": _create(session, owner, "ETH-1", "ከበደ በቀለ ደስታ"),
        }
        unrelated_persons(session, owner)
    return officer, ids


def unrelated_persons(session: Session, owner: Actor) -> None:
    """Thirty unrelated persons, so that no part of the tested records is common in the population."""
    given = ("Ivan", "Jean", "Amadou", "Grace", "Pedro", "Lina")
    family = ("Petrov", "Dupont", "Diallo", "Mensah", "Garcia")
    for number, name in enumerate(f"{g} {f}" for g in given for f in family):
        _create(session, owner, f"OTH-{number}", name)


def create_records(world: World, records: dict[str, tuple[str, str, str]]) -> tuple[Actor, dict[str, str]]:
    """Store each ``kind: (reference, name, query)`` record and the unrelated persons beside them; return a
    field officer of another agency and the records' ids by kind."""
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    with unit_of_work(world.state.sessions) as session:
        ids = {kind: _create(session, owner, ref, name) for kind, (ref, name, _query) in records.items()}
        unrelated_persons(session, owner)
    return officer, ids


def _hits(world: World, officer: Actor, name: str) -> list[str]:
    with unit_of_work(world.state.sessions) as session:
        found = check_person(session, actor=officer, data=PersonCheck(names=[name]))
    return [c.record_id for c in found.candidates or [] if c.score >= HIT_THRESHOLD]


def test_arabic_and_persian_style_latin_spellings_find_each_other(world: World) -> None:
    officer, ids = _setup(world)
    # Usman/Uthman and Zakir/Dhakir scored 0 as parts: these were candidates at best, never hits.
    assert _hits(world, officer, "Usman Ghani Khan") == [ids["uthman"]]
    assert _hits(world, officer, "Osman Ghani Khan") == [ids["uthman"]]
    assert _hits(world, officer, "Dhakir Husayn Bhatti") == [ids["zakir"]]
    # The Arabic script read the Persian way: عثمان رضا is Usman Reza (it romanises as athman rda).
    assert _hits(world, officer, "Usman Reza") == [ids["arabic"]]
    with unit_of_work(world.state.sessions) as session:
        found = check_person(session, actor=officer, data=PersonCheck(names=["Usman Reza"]))
    explanation = (found.candidates or [])[0].explanation
    assert explanation["name"]["candidate_name"] == "عثمان رضا (read as in Persian, Urdu or Turkish)"
    # A different first name is not made alike: Tariq is not Ghani.
    assert ids["other"] not in _hits(world, officer, "Uthman Ghani Khan")
    # ከበደ በቀለ ደስታ read "kabada baqala dasta": no name part met Kebede Bekele Desta.
    assert _hits(world, officer, "Kebede Bekele Desta") == [ids["ethiopic"]]


def _clear_caches() -> None:
    parts._part.cache_clear()
    arabic_reading.persian_reading.cache_clear()
    person_keys._prepared_name.cache_clear()
    person_keys._from_stored.cache_clear()


def test_migration_0015_rekeys_persons_keyed_before_it(world: World) -> None:
    officer, ids = _setup(world)
    with unit_of_work(world.state.sessions) as session:
        before, stored_before, _ = _keys(session)
    assert ("1:smn", ids["uthman"]) in before  # Uthman keyed as Usman too
    downgrade_to(world.state.engine, "0014")
    # The persons keyed as the code before 0015 keyed them: no th/dh alternative, no Persian reading, the
    # Ethiopic first vowel order written a.
    with unit_of_work(world.state.sessions) as session:
        assert _parts(session, ids["ethiopic"]) == "kebede beqele desta"
        session.execute(
            update(PersonName)
            .where(PersonName.person_id == ids["ethiopic"])
            .values(parts="kabada baqala dasta")
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parts, "coarse_alternative", lambda _text: "")
        patch.setattr(parts, "persian_reading", lambda _original: None)
        _clear_caches()
        try:
            with unit_of_work(world.state.sessions) as session:
                resync_persons(
                    session.connection(),
                    ("th", "dh"),
                    readings={"somali", "cyrillic"},
                    renormalise=False,
                    written=re.compile("[ثذض\u1200-\u139f]"),
                )
                rows, stored, actual = _keys(session)
            assert ("1:smn", ids["uthman"]) not in rows and rows < before
            assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
            assert _hits(world, officer, "Usman Ghani Khan") == []
            assert _hits(world, officer, "Kebede Bekele Desta") == []
        finally:
            _clear_caches()
    upgrade_again(world.state.engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, _ = _keys(session)
        assert _parts(session, ids["ethiopic"]) == "kebede beqele desta"
    assert rows == before and stored == stored_before
    assert _hits(world, officer, "Usman Ghani Khan") == [ids["uthman"]]
    assert _hits(world, officer, "Kebede Bekele Desta") == [ids["ethiopic"]]
