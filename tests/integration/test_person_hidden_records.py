"""Records hidden from the asking agency take no visible record's place in a person check or search, and
change nothing it is shown (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import World

from peacelink.access import Actor, Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.hits.models import Hit
from peacelink.matching.names import SHORTLIST
from peacelink.persons import retrieval, service
from peacelink.persons.lookup import check_person
from peacelink.persons.schemas import PersonCheck, PersonCreate
from peacelink.persons.search import SearchFilters, search


@pytest.fixture
def actors(world: World) -> dict[str, Actor]:
    return {
        "owner": world.user("NCB-UTO", Role.INVESTIGATOR).actor,
        "officer": world.user("MINUSCA", Role.FIELD_OFFICER, Role.INVESTIGATOR).actor,
        "caf": world.user("NCB-CAF", Role.INVESTIGATOR).actor,
    }


def _load(session: Session, owner: Actor, rows: list[dict[str, object]]) -> None:
    for row in rows:
        service.create(session, actor=owner, data=PersonCreate.model_validate(row))


def _hidden(count: int, name: str, **fields: object) -> list[dict[str, object]]:
    """Records the owner shows to NCB-CAF only: MINUSCA may not see them (their hits go to the owner)."""
    return [
        {
            "reference": f"HID-{index}",
            "names": [{"name": name}],
            "visibility": "only",
            "visibility_agencies": ["NCB-CAF"],
            **fields,
        }
        for index in range(count)
    ]


def _names(answer: object) -> list[str]:
    return [c.fields["person"]["reference"] for c in answer.candidates or []]  # type: ignore[attr-defined]


@pytest.mark.parametrize("hidden", [25, SHORTLIST + 10])
def test_hidden_namesakes_take_no_place_of_a_visible_hit(
    world: World, actors: dict[str, Actor], hidden: int
) -> None:
    """25 hidden namesakes would fill the 20 shown places; SHORTLIST + 10 fill the whole shortlist, which
    is then read wider. Either way the visible person is shown, in the check and the search."""
    born = {"dates_of_birth": ["1970-01-01"], "nationalities": ["UTO"]}
    with unit_of_work(world.state.sessions) as session:
        _load(session, actors["owner"], _hidden(hidden, "Kamal Yusuf Mansour", **born))
        _load(session, actors["owner"], [{"reference": "OPEN-1", "names": [{"name": "Kamal Yusef Mansoor"}]}])
    with unit_of_work(world.state.sessions) as session:
        answer = check_person(
            session, actor=actors["officer"], data=PersonCheck(names=["Kamal Yusuf Mansour"])
        )
        # Shown (in this small database its name is common, so it scores below a hit: the key counts
        # include the hidden namesakes, docs/persons.md "Known limits").
        assert _names(answer) == ["OPEN-1"] and answer.candidates[0].score >= 0.5
        found = search(
            session, actor=actors["officer"], filters=SearchFilters(name="Kamal Yusuf Mansour", limit=1)
        )
        assert [p.reference for p, _score in found] == ["OPEN-1"]
        # NCB-CAF sees them all; its page of 5 is 5 of the hidden namesakes (they match exactly).
        page = search(
            session, actor=actors["caf"], filters=SearchFilters(name="Kamal Yusuf Mansour", limit=5)
        )
        assert len(page) == 5 and all(p.reference.startswith("HID-") for p, _score in page)
    with unit_of_work(world.state.sessions) as session:
        dated = PersonCheck(names=["Kamal Yusuf Mansour"], date_of_birth="1970-01-01", nationality="UTO")
        answer = check_person(session, actor=actors["officer"], data=dated)
        assert _names(answer) == ["OPEN-1"] and answer.hits == []
    with unit_of_work(world.state.sessions) as session:
        told = session.scalars(select(Hit).where(Hit.excluded_agency.is_(True))).all()
    # Each hidden record is a hit with the date of birth: its owner alone is told, of every one.
    assert len(told) == hidden and all(h.owner_agency_id == actors["owner"].agency_id for h in told)


def test_hidden_holders_of_the_same_facts_do_not_take_the_facts_lead_away(
    world: World, actors: dict[str, Actor]
) -> None:
    """A facts lead needs a date of birth and nationality that few persons share: counted over the records
    the asking agency may see, so six hidden holders change nothing."""
    facts = {"dates_of_birth": ["1985-05-05"], "nationalities": ["TCD"]}
    with unit_of_work(world.state.sessions) as session:
        _load(
            session,
            actors["owner"],
            [{"reference": "LEAD-V", "names": [{"name": "Idriss Mahamat Saleh"}], **facts}],
        )
    query = PersonCheck(names=["Qwerty Zxcvb"], date_of_birth="1985-05-05", nationality="TCD")
    with unit_of_work(world.state.sessions) as session:
        before = check_person(session, actor=actors["officer"], data=query)
    with unit_of_work(world.state.sessions) as session:
        _load(session, actors["owner"], _hidden(6, "Abakar Ousmane Brahim", **facts))
    with unit_of_work(world.state.sessions) as session:
        after = check_person(session, actor=actors["officer"], data=query)
        seen_by_caf = check_person(session, actor=actors["caf"], data=query)
    assert _names(before) == _names(after) == ["LEAD-V"]
    assert [c.score for c in after.candidates or []] == [c.score for c in before.candidates or []]
    # NCB-CAF sees seven holders: the date and nationality are not specific for it, and it gets no lead.
    assert _names(seen_by_caf) == []


def test_a_key_only_hidden_records_hold_does_not_silence_the_warning(
    world: World, actors: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Initials beside a document number or a date of birth and nationality, or a name too common alone
    beside a year, look up a key. When only records hidden from the asking agency hold it, the answer
    still says why nothing was found, as it did before they were stored: its silence told the officer
    that somebody holds the passport or was born that day."""
    monkeypatch.setattr(retrieval, "stop_key_cap", lambda population: 3)
    initials = "the names hold initials only: nothing to look up; give at least one name in full"
    common = (
        "the names are too common to look up on their own: add another part of the name, a date of birth "
        "or a nationality"
    )
    queries = [
        (PersonCheck(names=["M. H."], document="AB1234567"), initials),
        (PersonCheck(names=["M. H."], date_of_birth="1978-05-02", nationality="UTO"), initials),
        (PersonCheck(names=["Ahmed"], date_of_birth="1978"), common),
    ]
    with unit_of_work(world.state.sessions) as session:
        _load(
            session,
            actors["caf"],
            [
                {"reference": f"A-{year}", "names": [{"name": "Ahmed"}], "dates_of_birth": [year]}
                for year in ["1960", "1965", "1970", "1975"]
            ],
        )
    with unit_of_work(world.state.sessions) as session:
        before = [check_person(session, actor=actors["officer"], data=query) for query, _ in queries]
    assert [answer.warnings for answer in before] == [[said] for _, said in queries]
    with unit_of_work(world.state.sessions) as session:
        _load(
            session,
            actors["owner"],
            _hidden(
                1,
                "Mohamed Ahmed",
                identifiers=[{"type": "passport", "number": "AB1234567"}],
                dates_of_birth=["1978-05-02"],
                nationalities=["UTO"],
            ),
        )
    with unit_of_work(world.state.sessions) as session:
        after = [check_person(session, actor=actors["officer"], data=query) for query, _ in queries]
        seen_by_caf = [check_person(session, actor=actors["caf"], data=query) for query, _ in queries]
    for answer_before, answer_after in zip(before, after, strict=True):
        assert answer_after.warnings == answer_before.warnings and not answer_after.candidates
    # NCB-CAF may see the record: its checks find it, and say nothing of the names.
    assert all(_names(answer) == ["HID-0"] and answer.warnings == [] for answer in seen_by_caf)
