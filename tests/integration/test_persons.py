"""Person records and the scored person check on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from tests.conftest import World, passport_mrz

from peacelink.access import Actor, Role
from peacelink.audit.models import AuditEvent
from peacelink.db.unit_of_work import unit_of_work
from peacelink.errors import Conflict, Forbidden, Invalid, NotFound
from peacelink.hits.models import Hit
from peacelink.matching.names import PersonQuery
from peacelink.persons import keys as person_keys
from peacelink.persons import service
from peacelink.persons.check_input import normalise
from peacelink.persons.lookup import check_person
from peacelink.persons.models import PERSONS_COUNT_KEY, PersonKeyCount, PersonNameKey
from peacelink.persons.retrieval import retrieve, shortlist_statement
from peacelink.persons.schemas import NameIn, PersonCheck, PersonCreate, PersonUpdate
from peacelink.persons.search import SearchFilters, search
from peacelink.persons.values import person_values


def _create(session: Session, actor: Actor, reference: str, *names: str, **fields: object) -> str:
    data = PersonCreate(reference=reference, names=[NameIn(name=n) for n in names], **fields)  # type: ignore[arg-type]
    return service.create(session, actor=actor, data=data).id


def _counts(session: Session) -> dict[str, int]:
    stored = dict(session.execute(select(PersonKeyCount.key, PersonKeyCount.count)).all())
    actual = dict(session.execute(select(PersonNameKey.key, func.count()).group_by(PersonNameKey.key)).all())
    return {k: v for k, v in stored.items() if v and k != PERSONS_COUNT_KEY} | {
        "_actual_equal": int({k: v for k, v in stored.items() if v and k != PERSONS_COUNT_KEY} == actual),
        PERSONS_COUNT_KEY: stored.get(PERSONS_COUNT_KEY, 0),
    }


@pytest.fixture
def people(world: World) -> dict[str, Actor]:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor
    other = world.user("NCB-CAF", Role.INVESTIGATOR).actor
    with unit_of_work(world.state.sessions) as session:
        _create(
            session,
            owner,
            "UTO-1",
            "Mohamed Al-Hashimi",
            "محمد الهاشمي",
            dates_of_birth=["1978-05-02"],
            nationalities=["UTO"],
            sex="male",
            crime_areas=["terrorism"],
            warnings=["armed"],
            identifiers=[{"type": "passport", "number": "X 1234-567"}],
            action="Do not approach; call NCB Utopia",
        )
        _create(session, owner, "UTO-2", "Ahmed Hassan Ali", dates_of_birth=["1990"])
        _create(session, owner, "UTO-3", "Ivan Petrov", "Иван Петров", dates_of_birth=["1966-11"])
        _create(
            session,
            owner,
            "UTO-4",
            "Fatima Zahra Benali",
            visibility="all_except",
            visibility_agencies=["MINUSCA"],
            dates_of_birth=["1985"],
        )
    return {"owner": owner, "officer": officer, "other": other}


def test_cross_script_hit_with_explanation_and_audit(world: World, people: dict[str, Actor]) -> None:
    with unit_of_work(world.state.sessions) as session:
        answer = check_person(
            session,
            actor=people["officer"],
            data=PersonCheck(names=["Muhammad al Hashemi"], date_of_birth="1978", nationality="uto"),
        ).to_dict()
    assert answer["result"] == "hit" and answer["database"] == "persons"
    best = answer["candidates"][0]
    assert best["person"]["names"][0]["name"] == "Mohamed Al-Hashimi"
    assert best["person"]["names"][1]["script"] == "Arab"
    assert best["score"] >= 0.9 and best["hit_id"] == answer["hits"][0]["hit_id"]
    methods = {p["method"] for p in best["explanation"]["name"]["parts"]}
    assert methods and {f["factor"] for f in best["explanation"]["factors"]} >= {
        "date_of_birth",
        "nationality",
    }
    assert answer["hits"][0]["action"] == "Do not approach; call NCB Utopia"
    scores = [c["score"] for c in answer["candidates"]]
    assert scores == sorted(scores, reverse=True)
    with unit_of_work(world.state.sessions) as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert event is not None and event.action == "check.persons"
        assert event.query["names"] == ["Muhammad al Hashemi"]
        assert session.scalar(select(func.count()).select_from(Hit)) == 1


def test_arabic_query_and_cyrillic_query(world: World, people: dict[str, Actor]) -> None:
    with unit_of_work(world.state.sessions) as session:
        arabic = check_person(session, actor=people["officer"], data=PersonCheck(names=["محمد الهاشمي"]))
        cyrillic = check_person(session, actor=people["officer"], data=PersonCheck(names=["Петров Иван"]))
    assert (
        arabic.candidates
        and arabic.candidates[0].fields["person"]["names"][0]["name"] == "Mohamed Al-Hashimi"
    )
    assert (
        cyrillic.candidates and cyrillic.candidates[0].fields["person"]["names"][0]["name"] == "Ivan Petrov"
    )


def test_document_number_and_no_candidate(world: World, people: dict[str, Actor]) -> None:
    with unit_of_work(world.state.sessions) as session:
        answer = check_person(
            session, actor=people["officer"], data=PersonCheck(names=["M. Hashimi"], document="x1234567")
        ).to_dict()
        nobody = check_person(session, actor=people["officer"], data=PersonCheck(names=["Zebulon Quagmire"]))
    factors = {f["factor"] for f in answer["candidates"][0]["explanation"]["factors"]}
    assert "identity_document" in factors
    assert nobody.result == "no_hit" and nobody.candidates in (None, [])


def test_a_presented_document_shows_its_holder_whatever_the_name(
    world: World, people: dict[str, Actor]
) -> None:
    """The holder of the presented document is a candidate even under another name (a lead, never a hit on
    the document alone); a document of another issuing country with the same number gives no credit."""
    with unit_of_work(world.state.sessions) as session:
        _create(
            session,
            people["owner"],
            "UTO-5",
            "Sidi Mohamed Ould Cheikh",
            identifiers=[{"type": "passport", "number": "B 987-654", "country": "MRT"}],
        )

        def check(document: object) -> list[tuple[str, float, dict[str, object]]]:
            data = PersonCheck(names=["Totally Different"], document=document)  # type: ignore[arg-type]
            answer = check_person(session, actor=people["officer"], data=data)
            return [
                (c.fields["person"]["names"][0]["name"], c.score, c.explanation["factors"][-1])
                for c in answer.candidates or []
            ]

        for document in ("B987654", {"number": "b 987654", "country": "mrt"}):
            [(name, score, factor)] = check(document)
            assert name == "Sidi Mohamed Ould Cheikh" and score == 0.6
            assert factor["factor"] == "identity_document"
            assert factor["detail"] == (
                "holds the presented document B987654 issued by MRT; the name does not match it well"
            )
        assert check({"number": "B987654", "country": "SDN"}) == []  # another country's document
        # The document of a record that gives no issuer counts whatever the country presented.
        [(name, _score, _factor)] = check({"number": "X1234567", "country": "IRQ"})
        assert name == "Mohamed Al-Hashimi"
        assert check("") == []  # a blank document field is no document
        # A number typed on a Cyrillic keyboard (В) or in full-width digits is the number it looks like.
        [(name, _score, _factor)] = check("В987654")
        assert name == "Sidi Mohamed Ould Cheikh"
        [(name, _score, _factor)] = check("B９８７６５４")
        assert name == "Sidi Mohamed Ould Cheikh"
        for bad, field in [("A", "document"), ("---", "document"), ({"number": "--"}, "document.number")]:
            with pytest.raises(Invalid) as refused:
                check(bad)
            assert refused.value.field == field
        with pytest.raises(Invalid) as refused:
            check({"number": "B987654", "country": "QQQ"})
        assert refused.value.field == "document.country"


def test_a_scanned_mrz_checks_its_holder(world: World, people: dict[str, Actor]) -> None:
    """The passport's machine-readable zone gives the name, date of birth, nationality, sex and document."""
    with unit_of_work(world.state.sessions) as session:
        answer = check_person(
            session, actor=people["officer"], data=PersonCheck(mrz=passport_mrz(document_number="X1234567"))
        ).to_dict()
        factors = {f["factor"] for f in answer["candidates"][0]["explanation"]["factors"]}
        assert answer["result"] == "hit" and answer["warnings"] == []
        # The name, date of birth and nationality already give 1.0: the document adds nothing, and says why.
        [document] = [
            f for f in answer["candidates"][0]["explanation"]["factors"] if f["factor"] == "identity_document"
        ]
        assert answer["candidates"][0]["score"] == 1.0 and document["weight"] == 0.0
        assert document["detail"].endswith("; the score was already at or near its maximum of 1.0")
        assert answer["candidates"][0]["person"]["names"][0]["name"] == "Mohamed Al-Hashimi"
        assert {"date_of_birth", "nationality", "sex", "identity_document"} <= factors
        # A field given beside the MRZ wins over it: another date of birth counts against.
        other = check_person(
            session,
            actor=people["officer"],
            data=PersonCheck(mrz=passport_mrz(document_number="X1234567"), date_of_birth="1990"),
        ).to_dict()
        assert other["candidates"][0]["score"] < answer["candidates"][0]["score"]
        # Check digits that do not compute are said, and the holder is still checked.
        forged = passport_mrz(document_number="X1234567")
        forged[1] = forged[1][:13] + "1" + forged[1][14:]  # the date of birth 780502 -> 180502
        warned = check_person(session, actor=people["officer"], data=PersonCheck(mrz=forged)).to_dict()
        assert any("check digits do not compute" in w for w in warned["warnings"])
        with pytest.raises(Invalid) as refused:
            check_person(session, actor=people["officer"], data=PersonCheck(mrz=["P<UTO"]))
        assert refused.value.field == "mrz"
        with pytest.raises(Invalid) as nothing:
            check_person(session, actor=people["officer"], data=PersonCheck())
        assert nothing.value.field == "names"
        # An OCR slip in a code without a check digit leaves that code out, with a word; the check runs.
        slipped = check_person(
            session, actor=people["officer"], data=PersonCheck(mrz=passport_mrz(nationality="C0L"))
        ).to_dict()
        assert slipped["result"] == "hit" and any("'C0L'" in w for w in slipped["warnings"])
        # A last given name cut short by the zone is left out rather than counted as a name not matched.
        long = passport_mrz(given_names="MOHAMED ABDULRAHMAN SALEH IBRAHIM", surname="AL HASHIMI")
        cut = check_person(session, actor=people["officer"], data=PersonCheck(mrz=long)).to_dict()
        assert any("may be cut short" in w for w in cut["warnings"])
        assert "ibra" not in str(cut["candidates"][0]["explanation"]["name"]["unmatched_query_parts"])
        # What the officer typed wins over the MRZ, and the answer says where they differ.
        typed = check_person(
            session, actor=people["officer"], data=PersonCheck(mrz=passport_mrz(), sex="female")
        ).to_dict()
        assert "sex: the MRZ reads male, the check uses the female given" in typed["warnings"]
        with pytest.raises(Invalid) as nameless:
            check_person(
                session,
                actor=people["officer"],
                data=PersonCheck(mrz=passport_mrz(surname="", given_names="")),
            )
        assert nameless.value.message == "the MRZ holds no name: give the name as read"


def test_a_name_of_only_a_title_or_particle_is_warned_about(world: World, people: dict[str, Actor]) -> None:
    with unit_of_work(world.state.sessions) as session:
        answer = check_person(session, actor=people["officer"], data=PersonCheck(names=["Mr."]))
        plain = check_person(session, actor=people["officer"], data=PersonCheck(names=["Ivan Petrov"]))
    assert answer.warnings == ["'Mr.' holds only a title or a particle: it matches few records, if any"]
    assert plain.warnings == []


def test_visibility_hides_and_tells_owner(world: World, people: dict[str, Actor]) -> None:
    with unit_of_work(world.state.sessions) as session:
        answer = check_person(
            session,
            actor=people["officer"],
            data=PersonCheck(names=["Fatima Zahra Benali"], date_of_birth="1985"),
        ).to_dict()
        seen = check_person(
            session,
            actor=people["other"],
            data=PersonCheck(names=["Fatima Zahra Benali"], date_of_birth="1985"),
        ).to_dict()
    assert "Benali" not in str(answer) and answer["result"] == "no_hit"
    assert seen["result"] == "hit"
    with unit_of_work(world.state.sessions) as session:
        hidden = session.scalars(select(Hit).where(Hit.excluded_agency.is_(True))).all()
        assert len(hidden) == 1


def test_counts_follow_create_update_cancel(world: World, people: dict[str, Actor]) -> None:
    owner = people["owner"]
    with unit_of_work(world.state.sessions) as session:
        counts = _counts(session)
        assert counts["_actual_equal"] == 1 and counts[PERSONS_COUNT_KEY] == 4
        person_id = _create(session, owner, "UTO-5", "Omar Khattab")
    with unit_of_work(world.state.sessions) as session:
        person = service.update(
            session,
            actor=owner,
            person_id=person_id,
            data=PersonUpdate(
                version=1, names=[NameIn(name="Omar Khattab"), NameIn(name="Abu Hafs", kind="alias")]
            ),
        )
        assert person.version == 2
        assert _counts(session)["_actual_equal"] == 1
    with unit_of_work(world.state.sessions) as session, pytest.raises(Conflict):
        service.update(session, actor=owner, person_id=person_id, data=PersonUpdate(version=1, sex="male"))
    with unit_of_work(world.state.sessions) as session:
        service.cancel(session, actor=owner, person_id=person_id, version=2)
    with unit_of_work(world.state.sessions) as session:
        counts = _counts(session)
        assert counts["_actual_equal"] == 1 and counts[PERSONS_COUNT_KEY] == 4
        answer = check_person(session, actor=people["officer"], data=PersonCheck(names=["Abu Hafs"]))
        assert not any(c.record_id == person_id for c in answer.candidates or [])


def test_owner_only_edits_and_bad_input(world: World, people: dict[str, Actor]) -> None:
    with unit_of_work(world.state.sessions) as session:
        [(person, _)] = search(session, actor=people["owner"], filters=SearchFilters(name="Ivan Petrov"))
        with pytest.raises(Forbidden):
            service.update(session, actor=people["other"], person_id=person.id, data=PersonUpdate(version=1))
        with pytest.raises(NotFound):
            service.read(session, actor=people["officer"], person_id="nope")
        with pytest.raises(Conflict):
            _create(session, people["owner"], "UTO-1", "Someone Else")
    for row, field in [
        ({"reference": "r", "names": []}, "names"),
        ({"reference": "r", "names": ["Ali Bakr"], "dates_of_birth": ["1978-13"]}, "dates_of_birth.0"),
        ({"reference": "r", "names": ["Ali Bakr"], "nationalities": ["QQQ"]}, "nationalities.0"),
        ({"reference": "r", "names": ["Ali Bakr"], "crime_areas": ["jaywalking"]}, "crime_areas.0"),
        ({"reference": "r", "names": [{"name": "Ali Bakr", "kind": "nickname"}]}, "names.0.kind"),
        ({"reference": "", "names": ["Ali Bakr"]}, "reference"),
    ]:
        with pytest.raises(Invalid) as caught:
            person_values(row)
        assert caught.value.field == field


def test_search_filters(world: World, people: dict[str, Actor]) -> None:
    with unit_of_work(world.state.sessions) as session:
        investigator = people["other"]
        by_area = search(session, actor=investigator, filters=SearchFilters(crime_area="terrorism"))
        assert [p.reference for p, _ in by_area] == ["UTO-1"]
        by_years = search(session, actor=investigator, filters=SearchFilters(born_from=1960, born_to=1970))
        assert [p.reference for p, _ in by_years] == ["UTO-3"]
        by_name = search(
            session, actor=investigator, filters=SearchFilters(name="Hashimi Mohammed", warning="armed")
        )
        assert [p.reference for p, _ in by_name] == ["UTO-1"] and by_name[0][1] is not None
        with pytest.raises(Invalid):
            search(session, actor=investigator, filters=SearchFilters())
        with pytest.raises(Forbidden):
            search(session, actor=people["officer"], filters=SearchFilters(name="x"))


def test_check_reads_only_its_keys(world: World, people: dict[str, Actor]) -> None:
    """EXPLAIN of the shortlist and count queries: index searches, never a full scan of the key table."""
    with unit_of_work(world.state.sessions) as session:
        connection = session.connection()
        query = PersonQuery(names=["Mohamed Al-Hashimi"])
        found = retrieve(connection, query)
        assert found.person_numbers and found.weights
        compiled = shortlist_statement(found.weights).compile(
            connection, compile_kwargs={"literal_binds": True}
        )
        if connection.dialect.name == "sqlite":
            plan = " ".join(str(r[-1]) for r in connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "SEARCH person_name_keys USING PRIMARY KEY (key=?)" in plan, plan
            assert "SCAN person_name_keys" not in plan
        else:
            connection.execute(text("SET LOCAL enable_seqscan = off"))  # tiny tables: ask what it can use
            plan = " ".join(r[0] for r in connection.execute(text(f"EXPLAIN {compiled}")))
            assert "Index" in plan and "Seq Scan on person_name_keys" not in plan, plan
        assert person_keys.population(connection) == 4


_CROWD_PARTS = [
    "Mohamed",
    "Muhammad",
    "Ahmed",
    "Hamid",
    "Ali",
    "Hashimi",
    "Hashemi",
    "Jamal",
    "Gamal",
    "Abu",
    "Abdallah",
    "Rahman",
    "Kaka",
    "Zada",
]


def _generated_crowd(world: World, owner: Actor, rng: random.Random) -> list[PersonCheck]:
    """120 persons sharing a few name parts (born 1970-1989, or every fourth of unknown birth, of Utopia or
    Bangui) and 25 queries, some with a year of birth, some with a nationality."""
    with unit_of_work(world.state.sessions) as session:
        for i in range(120):
            count = rng.randint(1, 2)
            names = [" ".join(rng.sample(_CROWD_PARTS, rng.randint(2, 3))) for _ in range(count)]
            born = [] if i % 4 == 0 else [f"19{70 + i % 20}"]
            nationality = ["UTO"] if i % 3 else ["CAF"]
            _create(session, owner, f"GEN-{i}", *names, dates_of_birth=born, nationalities=nationality)
    return [
        PersonCheck(
            names=[" ".join(rng.sample(_CROWD_PARTS, rng.randint(1, 3)))],
            date_of_birth=rng.choice([None, "1975"]),
            nationality=rng.choice([None, "UTO"]),
        )
        for _ in range(25)
    ]


def test_skipping_by_the_bound_changes_no_answer(
    world: World, people: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The look-up skips the persons whose score bound is below the threshold (Scorer.may_reach); the
    answers (candidates, scores, explanations) are those of scoring every shortlisted person."""
    from peacelink.matching.names import Scorer
    from peacelink.persons import lookup

    rng = random.Random(3)
    queries = _generated_crowd(world, people["owner"], rng)
    skipped = 0
    original = Scorer.may_reach

    def counting(self: Scorer, candidate: object, threshold: float) -> bool:
        nonlocal skipped
        passed = original(self, candidate, threshold)  # type: ignore[arg-type]
        skipped += not passed
        return passed

    def answers() -> list[list[tuple[str, float, object]]]:
        out = []
        with unit_of_work(world.state.sessions) as session:
            for query in queries:
                found = lookup.PERSONS.look_up(session, normalise(query))
                out.append([(c.record.id, c.score, c.explanation) for c in found])
        return out

    monkeypatch.setattr(Scorer, "may_reach", counting)
    pruned = answers()
    monkeypatch.setattr(Scorer, "may_reach", lambda self, candidate, threshold: True)
    assert answers() == pruned
    assert skipped > 0 and any(pruned)


def test_beyond_the_head_only_persons_whose_facts_agree_are_scored(
    world: World, people: dict[str, Actor]
) -> None:
    """The shortlist's first ``scored_head`` persons are scored; after them, only those whose date of
    birth agrees with the query's, or, for a record without one, whose nationality does
    (blocking.scored_positions): the answer is scoring all of them, less the others."""
    from peacelink.checks.pipeline import Query
    from peacelink.persons import lookup
    from peacelink.persons.values import decode_list

    queries = _generated_crowd(world, people["owner"], random.Random(5))
    head, shortlist = 4, lookup.SHORTLIST
    kept_deep = dropped_deep = kept_by_nationality = 0
    with unit_of_work(world.state.sessions) as session:
        for check in queries:
            query = normalise(check)
            everyone = lookup.PERSONS.look_up(
                session,
                Query(
                    values={**query.values, "scored_head": shortlist, "max_candidates": shortlist}, summary={}
                ),
            )
            some = lookup.PERSONS.look_up(
                session, Query(values={**query.values, "scored_head": head}, summary={})
            )
            numbers = retrieve(session.connection(), query.values["query"]).person_numbers
            loaded = lookup.load_facts(session.connection(), numbers)
            order = [loaded[n][0] for n in numbers]
            years = dict(loaded.values())
            allowed = set(order[:head])
            if check.date_of_birth:
                allowed |= {
                    p for p in order[head:] if decode_list(years[p].dates_of_birth) == [check.date_of_birth]
                }
            if check.nationality:
                unborn = {
                    p
                    for p in order[head:]
                    if not decode_list(years[p].dates_of_birth)
                    and decode_list(years[p].nationalities) == [check.nationality]
                }
                allowed |= unborn
                kept_by_nationality += sum(c.record.id in unborn for c in everyone)
            # The same ranking, scores and explanations, less the deep persons no fact backs.
            expected = [c for c in everyone if c.record.id in allowed][: lookup.MAX_CANDIDATES]
            assert [(c.record.id, c.score, c.explanation) for c in some] == [
                (c.record.id, c.score, c.explanation) for c in expected
            ]
            deep = [c.record.id for c in everyone if c.record.id in order[head:]]
            kept_deep += sum(p in allowed for p in deep)
            dropped_deep += sum(p not in allowed for p in deep)
    assert kept_deep > 0 and dropped_deep > 0 and kept_by_nationality > 0  # every side of the rule ran


def test_import_skips_the_owners_references_in_the_insert_and_keys_only_what_went_in(
    world: World, people: dict[str, Actor]
) -> None:
    import json

    from peacelink.persons.importer import import_stream
    from peacelink.persons.models import Person, PersonName

    def lines(*rows: tuple[str, str]) -> list[str]:
        return [
            json.dumps({"reference": r, "names": [{"name": n}], "dates_of_birth": ["1981"]}) for r, n in rows
        ]

    def run(actor: Actor, *rows: tuple[str, str]) -> tuple[int, int]:
        report = import_stream(
            world.state.sessions, actor=actor, stream=lines(*rows), fmt="jsonl", source="t"
        )
        return report.inserted, report.duplicates

    owner, other = people["owner"], people["other"]
    # UTO-2 is the owner's already (the fixture); P-1 twice in one file: the first wins.
    assert (
        run(
            owner,
            ("P-1", "Karim Osman"),
            ("P-1", "Other Name"),
            ("P-2", "Lina Haddad"),
            ("UTO-2", "Xavier Yusuf"),
        )[0]
        == 2
    )
    assert run(owner, ("P-1", "Karim Osman"), ("P-2", "Lina Haddad"), ("P-3", "Omar Sleiman")) == (1, 2)
    # References are unique per owner: another agency's P-1 is another record.
    assert run(other, ("P-1", "Karim Osman")) == (1, 0)
    with world.state.sessions() as session:
        names = session.execute(
            select(Person.reference, PersonName.name)
            .join(PersonName, PersonName.person_id == Person.id)
            .where(Person.owner_agency_id == owner.agency_id, Person.reference.like("P-%"))
            .order_by(Person.reference)
        ).all()
        assert [tuple(n) for n in names] == [
            ("P-1", "Karim Osman"),
            ("P-2", "Lina Haddad"),
            ("P-3", "Omar Sleiman"),
        ]
        counts = _counts(session)
        assert counts["_actual_equal"] == 1
        assert counts[PERSONS_COUNT_KEY] == session.scalar(select(func.count()).select_from(Person)) == 8


def test_an_mrz_with_ten_typed_names_is_refused_not_cut(world: World, people: dict[str, Actor]) -> None:
    # The holder's name came first and the tenth typed name was dropped without a word.
    typed = [f"Person {letter} Unrelated" for letter in "ABCDEFGHIJ"]
    with unit_of_work(world.state.sessions) as session:
        with pytest.raises(Invalid) as refused:
            check_person(session, actor=people["officer"], data=PersonCheck(mrz=passport_mrz(), names=typed))
        assert refused.value.field == "names"
        assert refused.value.message == "with an mrz, give at most 9 names: its holder's name is one more"
        # Nine typed names and the holder: all ten are checked (the holder is still found).
        nine = check_person(
            session, actor=people["officer"], data=PersonCheck(mrz=passport_mrz(), names=typed[:9])
        )
        assert nine.to_dict()["result"] == "hit"
        # The holder's name typed as well counts once.
        same = ["MOHAMED AL HASHIMI", *typed[:9]]
        again = check_person(
            session, actor=people["officer"], data=PersonCheck(mrz=passport_mrz(), names=same)
        )
        assert again.to_dict()["result"] == "hit"
