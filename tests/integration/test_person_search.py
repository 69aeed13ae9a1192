"""The investigators' search without a name: filter keys and year indexes, checked against a plain filter."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again

from peacelink.access import Actor, Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.errors import Invalid
from peacelink.persons import search as search_module
from peacelink.persons import service
from peacelink.persons.models import PERSONS_COUNT_KEY, Person, PersonKeyCount, PersonNameKey
from peacelink.persons.schemas import NameIn, PersonCreate, PersonUpdate
from peacelink.persons.search import SearchFilters, search
from peacelink.persons.values import decode_list

NATIONALITIES = ["UTO", "CAF", "KEN", "FRA"]
AREAS = ["fugitives", "drugs", "terrorism", "corruption"]
WARNINGS = ["armed", "violent", "escape_risk"]


def _population(world: World, owner: Actor, count: int) -> None:
    rng = random.Random(5)
    with unit_of_work(world.state.sessions) as session:
        for index in range(count):
            years = rng.sample(range(1950, 2000), rng.choice([0, 1, 1, 2]))
            service.create(
                session,
                actor=owner,
                data=PersonCreate(
                    reference=f"P-{index}",
                    names=[NameIn(name=f"Person Number{index}")],
                    dates_of_birth=[str(y) for y in years],
                    nationalities=rng.sample(NATIONALITIES[:3], rng.choice([0, 1, 1, 2])),
                    crime_areas=rng.sample(AREAS[:3], rng.choice([0, 1, 2])),
                    warnings=rng.sample(WARNINGS[:2], rng.choice([0, 0, 1])),
                ),
            )


def _expected(session: object, filters: SearchFilters, limit: int) -> list[str]:
    """The plain answer: every active person tested in Python, newest first."""
    rows = session.scalars(select(Person).where(Person.status == "active"))  # type: ignore[attr-defined]
    kept = [
        p
        for p in rows
        if (filters.born_from is None or (p.birth_year_max or 0) >= filters.born_from)
        and (filters.born_to is None or (p.birth_year_min or 9999) <= filters.born_to)
        and (not filters.nationality or filters.nationality in decode_list(p.nationalities))
        and (not filters.crime_area or filters.crime_area in decode_list(p.crime_areas))
        and (not filters.warning or filters.warning in decode_list(p.warnings))
    ]
    kept.sort(key=lambda p: (p.created_at, p.id), reverse=True)
    return [p.id for p in kept[:limit]]


@pytest.mark.parametrize("drive_max", [0, 5, 20_000])
def test_search_without_a_name_matches_a_plain_filter(
    world: World, monkeypatch: pytest.MonkeyPatch, drive_max: int
) -> None:
    """Every way a search can run (driven by a filter's keys, by a year index, or walking newest first,
    as DRIVE_MAX decides) gives exactly what testing every person would."""
    monkeypatch.setattr(search_module, "DRIVE_MAX", drive_max)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    _population(world, owner, 60)
    rng = random.Random(drive_max)
    with unit_of_work(world.state.sessions) as session:
        for _ in range(60):
            born_from = rng.choice([None, 1955, 1975, 1999, 2010])
            filters = SearchFilters(
                born_from=born_from,
                born_to=rng.choice([None, 1940, 1960, 1985, 2000]),
                nationality=rng.choice(["", "", *NATIONALITIES]),
                crime_area=rng.choice(["", "", *AREAS]),
                warning=rng.choice(["", "", "", *WARNINGS]),
                limit=rng.choice([3, 50]),
            )
            if filters == SearchFilters(limit=filters.limit):
                continue
            if (
                filters.born_from is not None
                and filters.born_to is not None
                and filters.born_from > filters.born_to
            ):
                with pytest.raises(Invalid):  # a range nobody can match is refused, not searched
                    search(session, actor=owner, filters=filters)
                continue
            found = [p.id for p, score in search(session, actor=owner, filters=filters)]
            assert found == _expected(session, filters, filters.limit), filters


def test_filter_keys_follow_updates_and_cancel(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    with unit_of_work(world.state.sessions) as session:
        person = service.create(
            session,
            actor=owner,
            data=PersonCreate(reference="R-1", names=[NameIn(name="Omar Khattab")], crime_areas=["drugs"]),
        )
        person_id = person.id
    with unit_of_work(world.state.sessions) as session:
        assert [p.id for p, _ in search(session, actor=owner, filters=SearchFilters(crime_area="drugs"))] == [
            person_id
        ]
        service.update(
            session,
            actor=owner,
            person_id=person_id,
            data=PersonUpdate(version=1, crime_areas=["corruption"], warnings=["armed"]),
        )
    with unit_of_work(world.state.sessions) as session:
        assert search(session, actor=owner, filters=SearchFilters(crime_area="drugs")) == []
        both = SearchFilters(crime_area="Corruption ", warning="ARMED")  # case and spaces are forgiven
        assert [p.id for p, _ in search(session, actor=owner, filters=both)] == [person_id]
        service.cancel(session, actor=owner, person_id=person_id, version=2)
    with unit_of_work(world.state.sessions) as session:
        assert search(session, actor=owner, filters=SearchFilters(warning="armed")) == []
        keys = session.scalars(select(PersonNameKey.key).where(PersonNameKey.key.startswith("s:"))).all()
        counts = dict(session.execute(select(PersonKeyCount.key, PersonKeyCount.count)).all())
    assert keys == [] and all(v == 0 for k, v in counts.items() if k.startswith("s:"))


def test_unknown_filter_values_are_refused(world: World) -> None:
    investigator = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    with unit_of_work(world.state.sessions) as session:
        for filters, field in [
            (SearchFilters(crime_area="jaywalking"), "crime_area"),
            (SearchFilters(warning="grumpy"), "warning"),
            (SearchFilters(nationality="QQQ"), "nationality"),
            (SearchFilters(crime_area="   "), "name"),
        ]:
            with pytest.raises(Invalid) as caught:
                search(session, actor=investigator, filters=filters)
            assert caught.value.field == field


def test_migration_0009_adds_and_drops_the_filter_keys(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    _population(world, owner, 12)

    def keys_and_counts() -> tuple[set[tuple[str, str]], dict[str, int], dict[str, int]]:
        with unit_of_work(world.state.sessions) as session:
            rows = {
                (k, p)
                for k, p in session.execute(
                    select(PersonNameKey.key, Person.id).join(
                        Person, Person.number == PersonNameKey.person_number
                    )
                )
            }
            stored = {k: c for k, c in session.execute(select(PersonKeyCount.key, PersonKeyCount.count)) if c}
            grouped = select(PersonNameKey.key, func.count()).group_by(PersonNameKey.key)
            actual = {k: int(n) for k, n in session.execute(grouped)}
        return rows, stored, actual

    before, stored_before, _ = keys_and_counts()
    assert any(k.startswith("s:c:") for k, _ in before)
    engine = world.state.engine
    downgrade_to(engine, "0008")
    rows, stored, actual = keys_and_counts()
    assert rows == {r for r in before if not r[0].startswith(("s:", "y:"))}  # 0010's year keys go too
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual
    upgrade_again(engine)
    rows, stored, actual = keys_and_counts()
    assert rows == before and stored == stored_before
    assert {k: v for k, v in stored.items() if k != PERSONS_COUNT_KEY} == actual


def test_sqlite_reads_the_driving_index(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """EXPLAIN QUERY PLAN of the final statement on SQLite: each driver is an index search, never a scan of
    the persons, and only the walk of common filters uses the newest-first index."""
    if world.state.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's planner; PostgreSQL's chooses by its statistics")
    from sqlalchemy import event

    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    _population(world, owner, 30)
    seen: list[tuple[str, object]] = []

    def remember(conn: object, cursor: object, statement: str, params: object, *args: object) -> None:
        if statement.lstrip().startswith("SELECT persons."):
            seen.append((statement, params))

    event.listen(world.state.engine, "before_cursor_execute", remember)
    try:
        for filters, drive_max, expected in [
            (SearchFilters(born_to=1960), 20_000, "INDEX ix_persons_birth_year (birth_year_min<?)"),
            (SearchFilters(born_from=1990), 20_000, "INDEX ix_persons_birth_year_max (birth_year_max>?)"),
            (
                SearchFilters(born_from=1951, born_to=1956),
                20_000,
                "INDEX ix_persons_birth_year (birth_year_min<?)",
            ),
            (
                SearchFilters(born_from=1994, born_to=1999),
                20_000,
                "INDEX ix_persons_birth_year_max (birth_year_max>?)",
            ),
            (SearchFilters(crime_area="drugs", warning="armed"), 20_000, "PRIMARY KEY (key=?)"),
            (SearchFilters(crime_area="drugs"), 0, "SCAN persons USING INDEX ix_persons_created_at"),
        ]:
            monkeypatch.setattr(search_module, "DRIVE_MAX", drive_max)
            seen.clear()
            with unit_of_work(world.state.sessions) as session:
                search(session, actor=owner, filters=filters)
                statement, params = seen[-1]
                rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)  # type: ignore[arg-type]
                plan = " | ".join(str(r[-1]) for r in rows)
            assert expected in plan, (filters, plan)
            if drive_max:
                assert "SCAN persons" not in plan, (filters, plan)
    finally:
        event.remove(world.state.engine, "before_cursor_execute", remember)


def test_name_search_filters_before_it_ranks(world: World) -> None:
    """A name shared by many persons, with a filter only a few of them match: the search shortlists among
    the persons that match the filter, so they are found even when more than a page of others outrank them
    by name alone."""
    owner = world.user("NCB-UTO", Role.INVESTIGATOR).actor
    with unit_of_work(world.state.sessions) as session:
        for index in range(40):
            service.create(
                session,
                actor=owner,
                data=PersonCreate(
                    reference=f"M-{index}",
                    names=[NameIn(name="Mohamed Ali Hassan")],
                    nationalities=["UTO"],
                    crime_areas=["drugs"],
                ),
            )
        wanted = service.create(
            session,
            actor=owner,
            data=PersonCreate(
                reference="K-1",
                names=[NameIn(name="Mohamed Ali Hassan Abdallah")],
                nationalities=["KEN"],
                crime_areas=["terrorism"],
                dates_of_birth=["1970"],
            ),
        ).id
    with unit_of_work(world.state.sessions) as session:
        for filters in [
            SearchFilters(name="Mohamed Ali Hassan", nationality="KEN"),
            SearchFilters(name="Mohamed Ali Hassan", crime_area="terrorism"),
            SearchFilters(name="Mohamed Ali Hassan", born_from=1969, born_to=1971),
        ]:
            found = search(session, actor=owner, filters=filters)
            assert [p.id for p, _ in found] == [wanted], filters
        everyone = search(session, actor=owner, filters=SearchFilters(name="Mohamed Ali Hassan", limit=100))
        assert len(everyone) == 41 and all(score is not None for _, score in everyone)
