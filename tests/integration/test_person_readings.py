"""Names read another way on a real database (Somali orthography; Cyrillic х as h; Ethiopic digraphs): keyed
under their readings, found by the English and French spellings (and the other way round), and migrations
0011, 0012 and 0013, which bring a database keyed before them up to date."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again

from peacelink.access import Actor, Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import HIT_THRESHOLD
from peacelink.matching.names.parts import READINGS
from peacelink.persons import service
from peacelink.persons.keys import resync_persons
from peacelink.persons.lookup import check_person
from peacelink.persons.models import PERSONS_COUNT_KEY, Person, PersonKeyCount, PersonName, PersonNameKey
from peacelink.persons.schemas import NameIn, PersonCheck, PersonCreate


def _create(session: Session, actor: Actor, reference: str, *names: str) -> str:
    data = PersonCreate(reference=reference, names=[NameIn(name=n) for n in names], nationalities=["SOM"])
    return service.create(session, actor=actor, data=data).id


def _setup(world: World) -> tuple[Actor, dict[str, str]]:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    with unit_of_work(world.state.sessions) as session:
        ids = {
            "somali": _create(session, owner, "SOM-1", "Maxamed Cali Faarax"),
            "english": _create(session, owner, "SOM-2", "Hassan Hussein Adan"),
            "other": _create(session, owner, "SOM-3", "Mohamed Ali Warsame"),
            "nasab": _create(session, owner, "MRT-1", "محمد ولد عبد الله"),
            "cyrillic": _create(session, owner, "RUS-1", "Мохаммед аль-Хашими"),
        }
    return officer, ids


def _hits(world: World, officer: Actor, name: str) -> list[tuple[str, float]]:
    with unit_of_work(world.state.sessions) as session:
        found = check_person(session, actor=officer, data=PersonCheck(names=[name]))
    return [(c.record_id, c.score) for c in found.candidates or [] if c.score >= HIT_THRESHOLD]


def _best(world: World, officer: Actor, name: str) -> str | None:
    """The first candidate's id, if any."""
    with unit_of_work(world.state.sessions) as session:
        found = check_person(session, actor=officer, data=PersonCheck(names=[name]))
    return found.candidates[0].record_id if found.candidates else None


def _keys(session: Session) -> tuple[set[tuple[str, str]], dict[str, int], dict[str, int]]:
    rows = {
        (k, p)
        for k, p in session.execute(
            select(PersonNameKey.key, Person.id).join(Person, Person.number == PersonNameKey.person_number)
        )
    }
    stored = {k: c for k, c in session.execute(select(PersonKeyCount.key, PersonKeyCount.count)) if c}
    grouped = select(PersonNameKey.key, func.count()).group_by(PersonNameKey.key)
    return rows, stored, {k: int(n) for k, n in session.execute(grouped)}


def _parts(session: Session, person_id: str) -> str | None:
    return session.scalar(select(PersonName.parts).where(PersonName.person_id == person_id))


def test_somali_spellings_and_english_spellings_find_each_other(world: World) -> None:
    officer, ids = _setup(world)
    # The English spelling finds the record written in Somali orthography, first and as a hit...
    assert [pid for pid, _ in _hits(world, officer, "Mohamed Ali Farah")] == [ids["somali"]]
    # ...and the Somali spelling finds the record written in English.
    assert [pid for pid, _ in _hits(world, officer, "Xassaan Xuseen Adan")] == [ids["english"]]
    with unit_of_work(world.state.sessions) as session:
        found = check_person(session, actor=officer, data=PersonCheck(names=["Mohamed Ali Farah"]))
    explanation = (found.candidates or [])[0].explanation
    assert explanation["name"]["candidate_name"] == "Maxamed Cali Faarax (read as Somali spelling)"


def test_migration_0011_adds_and_removes_the_reading_keys(world: World) -> None:
    """Down to 0010 the readings' keys go; up again they come back, and a name stored with the particle
    the previous normaliser kept (ولد -> wld) is normalised and keyed again."""
    officer, ids = _setup(world)
    with unit_of_work(world.state.sessions) as session:
        before, stored_before, _ = _keys(session)
    reading = {r for r in before if r[1] == ids["somali"] and r[0] == "2:l|mhmd"}  # ali x mohamed, read
    assert reading, "the record is keyed under its reading (mahamed ali farah)"
    engine = world.state.engine
    downgrade_to(engine, "0010")
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys(session)
    assert rows < before and not rows & reading
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    # Keyed as before the readings, the record in Somali orthography is not found by the English spelling.
    assert ids["somali"] not in [pid for pid, _ in _hits(world, officer, "Mohamed Ali Farah")]
    with unit_of_work(world.state.sessions) as session:
        assert _parts(session, ids["nasab"]) == "mhmd abdlah"
        session.execute(
            update(PersonName).where(PersonName.person_id == ids["nasab"]).values(parts="mhmd wld abdlah")
        )
    upgrade_again(engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys(session)
        assert _parts(session, ids["nasab"]) == "mhmd abdlah"
    assert rows == before and stored == stored_before
    assert [pid for pid, _ in _hits(world, officer, "Mohamed Ali Farah")] == [ids["somali"]]


def test_a_cyrillic_name_is_found_by_its_latin_spelling_and_0012_keys_it(world: World) -> None:
    officer, ids = _setup(world)
    # Мохаммед аль-Хашими romanises as mokhammed khashimi; read with х as h it is Mohammed Hashimi.
    assert [pid for pid, _ in _hits(world, officer, "Mohamed Al-Hashimi")] == [ids["cyrillic"]]
    with unit_of_work(world.state.sessions) as session:
        before, stored_before, _ = _keys(session)
    downgrade_to(world.state.engine, "0011")
    with unit_of_work(world.state.sessions) as session:
        rows, stored, actual = _keys(session)
    assert before - rows and all(pid == ids["cyrillic"] for _key, pid in before - rows)
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    assert ids["somali"] in {pid for _key, pid in rows}  # the Somali readings stay at 0011
    upgrade_again(world.state.engine)
    with unit_of_work(world.state.sessions) as session:
        rows, stored, _ = _keys(session)
    assert rows == before and stored == stored_before


def test_an_ethiopic_name_meets_its_latin_spelling_and_0013_rekeys_the_old_one(world: World) -> None:
    """ቸርነት አበበ was romanised "carnat ababa" (ቸ's č folded to c) and scored 0.46 against Chernet Abebe;
    it is now "chernet abebe" (ቸ ch since 0013, the first vowel order e since 0015), the best candidate.
    Migrations 0013 and 0015 re-normalise and re-key a record stored before."""
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    with unit_of_work(world.state.sessions) as session:
        ethiopic = _create(session, owner, "ETH-1", "ቸርነት አበበ")
        _create(session, owner, "ETH-2", "Girma Tesfaye")  # no Ethiopic letters: left alone by 0013
        assert _parts(session, ethiopic) == "chernet abebe"
        before, stored_before, _ = _keys(session)
    assert _best(world, officer, "Chernet Abebe") == ethiopic
    # The record as the previous code stored it: its old parts and the keys made from them.
    downgrade_to(world.state.engine, "0012")
    with unit_of_work(world.state.sessions) as session:
        session.execute(
            update(PersonName).where(PersonName.person_id == ethiopic).values(parts="carnat ababa")
        )
        resync_persons(session.connection(), ("carnat",), readings=READINGS, renormalise=False)
        rows, stored, actual = _keys(session)
    assert rows != before and {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    assert _best(world, officer, "Chernet Abebe") is None
    upgrade_again(world.state.engine)
    with unit_of_work(world.state.sessions) as session:
        assert _parts(session, ethiopic) == "chernet abebe"
        rows, stored, _ = _keys(session)
    assert rows == before and stored == stored_before
    assert _best(world, officer, "Chernet Abebe") == ethiopic
