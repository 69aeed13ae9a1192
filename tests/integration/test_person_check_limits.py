"""What a person check cannot look up is said, and names no person bears are refused (both engines)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests.conftest import World

from peacelink.access import Actor, Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.errors import Invalid
from peacelink.persons import retrieval, service
from peacelink.persons.lookup import check_person
from peacelink.persons.schemas import PersonCheck, PersonCreate


@pytest.fixture
def actors(world: World) -> dict[str, Actor]:
    return {
        "owner": world.user("NCB-UTO", Role.INVESTIGATOR).actor,
        "officer": world.user("MINUSCA", Role.FIELD_OFFICER).actor,
    }


def _create(session: Session, owner: Actor, reference: str, *names: str, **fields: object) -> None:
    data = PersonCreate.model_validate(
        {"reference": reference, "names": [{"name": n} for n in names], **fields}
    )
    service.create(session, actor=owner, data=data)


def test_a_name_too_common_to_look_up_alone_is_said(
    world: World, actors: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four Ahmeds where a key held by more than 3 persons is a stop key (2,000 or 1% of the persons in a
    real database): "Ahmed" alone looks up nothing, and the answer says so instead of a silent no_hit."""
    monkeypatch.setattr(retrieval, "stop_key_cap", lambda population: 3)
    with unit_of_work(world.state.sessions) as session:
        for index, year in enumerate(["1970", "1978", "1985", "1990"]):
            _create(session, actors["owner"], f"A-{index}", "Ahmed", dates_of_birth=[year])
    with unit_of_work(world.state.sessions) as session:
        alone = check_person(session, actor=actors["officer"], data=PersonCheck(names=["Ahmed"]))
        arabic = check_person(session, actor=actors["officer"], data=PersonCheck(names=["أحمد"]))
        born = check_person(
            session, actor=actors["officer"], data=PersonCheck(names=["Ahmed"], date_of_birth="1978")
        )
        initials = check_person(session, actor=actors["officer"], data=PersonCheck(names=["X. Y."]))
    for answer in (alone, arabic):
        assert answer.result == "no_hit" and not answer.candidates
        assert answer.warnings == [
            "the names are too common to look up on their own: add another part of the name, a date of "
            "birth or a nationality"
        ]
    # With a year of birth the year key ("Ahmed born 1978") is specific: looked up, no warning.
    assert born.warnings == [] and [c.fields["person"]["reference"] for c in born.candidates or []] == ["A-1"]
    assert initials.warnings == [
        "the names hold initials only: nothing to look up; give at least one name in full"
    ]


def test_names_no_person_bears_are_refused(world: World, actors: dict[str, Actor]) -> None:
    seventeen = " ".join(f"Name{chr(97 + i)}" for i in range(17))
    eleven = " ".join(f"Part{chr(97 + i)}" for i in range(11))
    with unit_of_work(world.state.sessions) as session:
        with pytest.raises(Invalid) as refused:
            check_person(session, actor=actors["officer"], data=PersonCheck(names=[seventeen]))
        assert refused.value.field == "names" and "has 17 parts" in refused.value.message
        with pytest.raises(Invalid) as refused:
            check_person(session, actor=actors["officer"], data=PersonCheck(names=[eleven] * 3))
        assert refused.value.field == "names" and "33 parts in all" in refused.value.message
        check_person(session, actor=actors["officer"], data=PersonCheck(names=[eleven, eleven]))  # 22: fine
    cases = [
        (["Kamal", seventeen], "names.1.name", "has 17 parts"),
        (["ش" * 250], "names.0.name", "characters once written in Latin letters"),  # 500 letters: sh x 250
        (["X Y", "A. B."], "names", "initials only"),
    ]
    for names, field, message in cases:
        with pytest.raises(Invalid) as refused, unit_of_work(world.state.sessions) as session:
            _create(session, actors["owner"], "BAD-1", *names)
        assert refused.value.field == field and message in refused.value.message
    with unit_of_work(world.state.sessions) as session:
        _create(session, actors["owner"], "OK-1", "X. Yusuf", "A B")  # one name in full is enough


def test_several_spellings_in_one_name_field_are_several_names(
    world: World, actors: dict[str, Actor]
) -> None:
    """A list's "Husain Salimi; Hosain Salimi; ..." (ten spellings, 20 parts) is stored as given and matched
    spelling by spelling: before, the stored parts were scored as one name of all its parts (0.80 for
    "Hossein Salimi" with three spellings, not a hit; 0.725 for this one, then refused by the part limit)."""
    spellings = "; ".join(
        f"{given} {family}"
        for given in ("Husain", "Hosain", "Hussain", "Hossein", "Husayn")
        for family in ("Salimi", "Saleemi")
    )
    with unit_of_work(world.state.sessions) as session:
        _create(session, actors["owner"], "SAL-1", spellings, dates_of_birth=["1960"])
    with unit_of_work(world.state.sessions) as session:
        answer = check_person(session, actor=actors["officer"], data=PersonCheck(names=["Hossein Salimi"]))
    [best] = answer.candidates or []
    assert best.fields["person"]["names"][0]["name"] == spellings
    assert best.score >= 0.9 and answer.result == "hit"
    assert best.explanation["name"]["candidate_name"] == "Hossein Salimi"
