"""Two DNA leftovers of 7a5282c: a machine-readable ``searched`` on DNA check answers, and profiles stored
before the known-locus rule that still hold a locus name PeaceLink does not know (or an old spelling)."""

from __future__ import annotations

import random
import zlib

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from tests.conftest import World
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture
from tests.integration.test_dna_service import LOCI, child_of, enrol, load_table, random_loci
from typer.testing import CliRunner

from peacelink.access import Role
from peacelink.audit.models import AuditEvent
from peacelink.cli.main import app
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna import checks, family_models, index, snapshots
from peacelink.dna.models import DNAFamily, DNAFamilyModel, DNAFrequencyTable, DNAIndexSnapshot, DNAProfile
from peacelink.dna.schemas import DirectCheck
from peacelink.matching.dna import DirectSearchIndex, KinshipHit, Profile, ProfileKind, Relationship

FEW = {"D8S1179": ["12", "13"]}


def test_a_dna_check_answer_says_whether_the_database_was_searched(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    few = client.post("/api/v1/checks/dna", headers=officer.headers, json={"loci": FEW})
    assert few.status_code == 200, few.text
    assert few.json()["searched"] is False and few.json()["result"] == "no_hit"
    enough = client.post(
        "/api/v1/checks/dna", headers=officer.headers, json={"loci": random_loci(random.Random(3))}
    )
    assert enough.status_code == 200 and enough.json()["searched"] is True
    load_table(world)
    kin = client.post(
        "/api/v1/checks/dna/kinship", headers=officer.headers, json={"loci": random_loci(random.Random(4))}
    )
    assert kin.status_code == 200 and kin.json()["searched"] is True
    # The OpenAPI description names the field, and says when it is false.
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["DNACheckOut"]
    assert "searched" in schema["required"]
    assert schema["properties"]["searched"]["type"] == "boolean"
    assert "min_loci" in schema["properties"]["searched"]["description"]


def test_the_cli_json_answer_carries_searched(world: World, url: str) -> None:  # noqa: F811
    officer = world.user("MINUSCA", Role.FIELD_OFFICER).actor.username
    answer = run(url, officer, "dna", "check", "--locus=TH01=6,9", "--locus=FGA=21,22")
    assert isinstance(answer, dict) and answer["searched"] is False


# --- profiles stored before the known-locus rule -------------------------------------------------------


def _stored_before_the_rule(world: World, profile_id: str, loci: dict[str, list[str]]) -> None:
    """Rewrite a profile's loci as a PeaceLink before 7a5282c kept them: unknown names as spelled."""
    with unit_of_work(world.state.sessions) as session:
        generation = index.bump_generation(session)
        session.execute(
            update(DNAProfile)
            .where(DNAProfile.id == profile_id)
            .values(loci=loci, locus_count=len(loci), index_generation=generation)
        )


def _old_loci(source: dict[str, list[str]]) -> dict[str, list[str]]:
    """TH01 under its GenBank name (kept as spelled before 7a5282c), a made-up locus and an old Y-STR."""
    old = {locus: alleles for locus, alleles in source.items() if locus != "TH01"}
    return {**old, "HUMTH01": source["TH01"], "FOO": ["1", "2"], "DYS19": ["14"]}


def test_a_profile_stored_with_an_old_spelling_is_compared_at_its_canonical_locus(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    source = random_loci(random.Random(11))
    stored = enrol(owner, world, kind="stain", reference="OLD-1", loci=source)
    _stored_before_the_rule(world, stored.id, _old_loci(source))
    # Eight loci typed by the query, TH01 among them: the stored HUMTH01 is TH01, so all eight compare.
    query = {locus: source[locus] for locus in LOCI[:7]} | {"TH01": source["TH01"]}
    assert len(query) == 8
    answer = client.post("/api/v1/checks/dna", headers=officer.headers, json={"loci": query})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["result"] == "hit", body
    candidate = body["candidates"][0]
    assert candidate["reference"] == "OLD-1" and candidate["compared_loci"] == 8
    # The loci PeaceLink does not know take part in no comparison.
    assert {row["locus"] for row in candidate["comparison"]} == set(query)


def test_a_stored_unknown_locus_is_not_counted_as_a_comparable_locus(
    client: TestClient, world: World
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    source = random_loci(random.Random(12), LOCI[:7])
    stored = enrol(owner, world, kind="reference", reference="OLD-2", loci=source)
    _stored_before_the_rule(world, stored.id, {**source, "FOO": ["1", "2"], "DYS19": ["14"]})
    shown = client.get(f"/api/v1/dna/profiles/{stored.id}", headers=owner.headers)
    assert shown.status_code == 200, shown.text
    # Seven loci PeaceLink compares: "locus_count 9" promised a profile that min_loci=8 could hit.
    assert shown.json()["locus_count"] == 7
    assert shown.json()["ignored_loci"] == ["DYS19", "FOO"]
    assert shown.json()["loci"]["FOO"] == ["1", "2"]  # the owner's data is shown as stored


def test_a_snapshot_built_with_an_old_spelling_is_rebuilt_from_the_rows(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    source = random_loci(random.Random(13))
    stored = enrol(owner, world, kind="stain", reference="OLD-3", loci=source)
    old = _old_loci(source)
    _stored_before_the_rule(world, stored.id, old)
    # A snapshot as a process before the fix saved it: the row's TH01 under the column "HUMTH01".
    saved = DirectSearchIndex()
    saved.add(stored.id, Profile(loci={k: tuple(v) for k, v in old.items()}, kind=ProfileKind.STAIN))
    with unit_of_work(world.state.sessions) as session:
        epoch, generation = index.current_key(session)
        assert snapshots.save(session, saved, epoch=epoch, generation=generation)
        blob = session.get(DNAIndexSnapshot, snapshots.SNAPSHOT_ID)
        assert blob is not None and "HUMTH01" in DirectSearchIndex.from_bytes(
            zlib.decompress(blob.data)
        ).genotypes(stored.id)
    engine = world.state.engine
    index.cache_for(engine).invalidate()  # a cold process
    query = {locus: source[locus] for locus in LOCI[:7]} | {"TH01": source["TH01"]}
    with unit_of_work(world.state.sessions) as session:
        result = checks.check_direct(session, actor=officer.actor, data=DirectCheck(loci=query)).to_dict()
    assert result["result"] == "hit", result
    assert "HUMTH01" not in index.cache_for(engine).direct.genotypes(stored.id)


def test_the_owner_finds_its_profiles_with_loci_peacelink_does_not_compare(
    client: TestClient,
    world: World,
    url: str,  # noqa: F811
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    source = random_loci(random.Random(14))
    affected = enrol(owner, world, kind="stain", reference="OLD-4", loci=source)
    enrol(owner, world, kind="stain", reference="NEW-4", loci=random_loci(random.Random(15)))
    _stored_before_the_rule(world, affected.id, _old_loci(source))
    other = world.user("NCB-CAF", Role.INVESTIGATOR)
    enrol(other, world, kind="stain", reference="CAF-OLD", loci=random_loci(random.Random(16)))

    report = client.get("/api/v1/dna/stored-loci-report", headers=owner.headers)
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["checked"] == 2 and body["affected"] == 1
    (row,) = body["profiles"]
    assert row["id"] == affected.id and row["reference"] == "OLD-4"
    assert row["ignored_loci"] == ["DYS19", "FOO"]
    assert row["respelled_loci"] == {"HUMTH01": "TH01"}
    assert row["comparable_loci"] == 20
    # Owner only: another agency sees none of NCB-UTO's profiles, even the one it could see in a check.
    theirs = client.get("/api/v1/dna/stored-loci-report", headers=other.headers).json()
    assert theirs["checked"] == 1 and theirs["profiles"] == []
    # Roles: operational roles; no token is 401, an admin without an operational role is 403.
    assert client.get("/api/v1/dna/stored-loci-report").status_code == 401
    assert client.get("/api/v1/dna/stored-loci-report", headers=world.admin.headers).status_code == 403
    bad = client.get("/api/v1/dna/stored-loci-report?limit=0", headers=owner.headers)
    assert bad.status_code == 422 and "limit" in bad.text
    documented = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/dna/stored-loci-report"]["get"]
    assert documented["x-required-roles"] and "dna" in documented["tags"]
    # The CLI says the same.
    cli = run(url, owner.actor.username, "dna", "stored-loci-report")
    assert isinstance(cli, dict) and [p["reference"] for p in cli["profiles"]] == ["OLD-4"]
    text = CliRunner().invoke(
        app, ["--database-url", url, "--user", owner.actor.username, "dna", "stored-loci-report"]
    )
    assert text.exit_code == 0, text.output
    assert "OLD-4" in text.output and "FOO" in text.output and "HUMTH01 -> TH01" in text.output


def test_a_relative_stored_with_old_names_is_modelled_at_its_known_loci_only(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    source = random_loci(random.Random(17))
    relative = enrol(
        owner, world, kind="relative", reference="OLD-P", relationship="parent", family="MP-OLD", loci=source
    )
    _stored_before_the_rule(world, relative.id, _old_loci(source))
    with unit_of_work(world.state.sessions) as session:
        (members,) = family_models.relatives_of(session, None).values()
    (profile,) = members
    # TH01 is weighed (it was left out as "HUMTH01"); FOO and DYS19 are no locus of the pedigree.
    assert set(profile.loci) == set(LOCI) and profile.loci["TH01"] == tuple(source["TH01"])


def _family_hits(world: World, query: dict[str, list[str]]) -> tuple[dict[str, KinshipHit], index.DNACache]:
    """A kinship search on a new, empty cache (a new process), by family case reference."""
    cache = index.DNACache()
    with unit_of_work(world.state.sessions) as session:
        key = cache.refresh(session)
        hits = cache.family_index(session, "GEN", key).search(Profile.from_mapping(query), limit=None)
        cases = {
            row.id: row.case_reference
            for row in session.execute(select(DNAFamily.id, DNAFamily.case_reference))
        }
    return {cases[hit.family_id]: hit for hit in hits}, cache


def test_a_family_model_stored_without_the_mark_is_rebuilt_not_read(world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    rng = random.Random(18)
    load_table(world)
    father, mother = random_loci(rng), random_loci(rng)
    missing = child_of(rng, father, mother)
    enrolled = {
        case: enrol(
            owner,
            world,
            kind="relative",
            reference=f"{case}-F",
            relationship="parent",
            family=case,
            loci=father,
        )
        for case in ("OLD", "PLAIN", "NEW")
    }
    _stored_before_the_rule(world, enrolled["OLD"].id, _old_loci(father))
    # Rows without the mark, written after migration 0034 deleted them all (current table token, current
    # generation): OLD's model as a PeaceLink before 92de44f built it, from the loci as stored (so "HUMTH01",
    # which no table weighs, and no TH01); PLAIN's from its loci as searches read them, which the code
    # before 0034 kept once it found no old name among the family's relatives. Neither is read now.
    with unit_of_work(world.state.sessions) as session:
        row = session.execute(select(DNAFrequencyTable.id, DNAFrequencyTable.token)).one()
        table = index.frequency_table(session, "GEN")
        assert table is not None
        for case, loci in (("OLD", _old_loci(father)), ("PLAIN", father)):
            relative = Profile(
                loci={k: tuple(v) for k, v in loci.items()},
                kind=ProfileKind.RELATIVE,
                relationship=Relationship.PARENT,
            )
            unmarked = family_models.build_model([relative], table)
            assert ("TH01" in unmarked.loci) is (case == "PLAIN")
            session.execute(
                update(DNAFamilyModel)
                .where(
                    DNAFamilyModel.family_id == enrolled[case].family_id,
                    DNAFamilyModel.frequency_table_id == row.id,
                )
                .values(token=row.token, generation=index.current_key(session)[1], model=unmarked.to_bytes())
            )
    hits, cache = _family_hits(world, missing)
    # The same relative stored under TH01 or HUMTH01: the same evidence, TH01 weighed in all three.
    assert "TH01" in dict(hits["NEW"].loci)
    assert hits["OLD"].loci == hits["PLAIN"].loci == hits["NEW"].loci and hits["OLD"].lr == hits["NEW"].lr
    assert cache.models_built == 2  # both rows without the mark were rebuilt, as missing ones are
    # ... and written back with the mark: the next process reads them as stored.
    with unit_of_work(world.state.sessions) as session:
        blobs = session.scalars(select(DNAFamilyModel.model)).all()
    assert len(blobs) == 3 and all(bytes(blob).startswith(family_models._READ_MARK) for blob in blobs)
    again, cache = _family_hits(world, missing)
    assert cache.models_built == 0 and again["OLD"].lr == hits["NEW"].lr


def test_the_report_names_frequency_tables_with_rows_no_check_reads(
    client: TestClient,
    world: World,
    url: str,  # noqa: F811
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    load_table(world, "GEN")
    load_table(world, "CLEAN")
    source = random_loci(random.Random(19))
    enrol(owner, world, kind="stain", reference="NEW-5", loci=source)
    # GEN as an import before the known-locus rule kept it: TH01's row under "HUMTH01", and a made-up locus.
    with unit_of_work(world.state.sessions) as session:
        row = session.execute(
            select(DNAFrequencyTable).where(DNAFrequencyTable.population == "GEN")
        ).scalar_one()
        data = dict(row.data)
        data["HUMTH01"] = data.pop("TH01")
        data["FOO"] = data["FGA"]
        session.execute(
            update(DNAFrequencyTable).where(DNAFrequencyTable.id == row.id).values(data=data, locus_count=21)
        )
        index.bump_generation(session)

    report = client.get("/api/v1/dna/stored-loci-report", headers=owner.headers)
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["checked"] == 1 and body["affected"] == 0 and body["profiles"] == []
    assert body["frequency_tables_checked"] == 2
    assert body["frequency_tables"] == [
        {
            "population": "GEN",
            "is_default": True,
            "ignored_loci": ["FOO", "HUMTH01"],
            "old_spellings": {"HUMTH01": "TH01"},
            "unweighed_loci": ["TH01"],
        }
    ]
    # What the report says is what a check does: TH01 is weighed without frequencies from GEN.
    answer = client.post("/api/v1/checks/dna", headers=officer.headers, json={"loci": source})
    (th01,) = [r for r in answer.json()["candidates"][0]["comparison"] if r["locus"] == "TH01"]
    assert th01["outcome"] == "match" and th01["method"] == "no_frequencies"
    # Shared reference data: another agency's report names the table too; audited with the tables named.
    other = client.get("/api/v1/dna/stored-loci-report", headers=officer.headers).json()
    assert [t["population"] for t in other["frequency_tables"]] == ["GEN"]
    with unit_of_work(world.state.sessions) as session:
        queries = session.scalars(
            select(AuditEvent.query).where(AuditEvent.action == "dna.profile.stored_loci_report")
        ).all()
    assert [q["frequency_tables"] for q in queries] == [["GEN"], ["GEN"]]
    # The same authorisation: operational roles only.
    assert client.get("/api/v1/dna/stored-loci-report", headers=world.admin.headers).status_code == 403
    # The OpenAPI description and the CLI's --help say so.
    documented = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/dna/stored-loci-report"]["get"]
    assert "frequency tables" in documented["description"] and "unweighed_loci" in documented["description"]
    runner = CliRunner()
    helped = runner.invoke(app, ["dna", "stored-loci-report", "--help"])
    assert helped.exit_code == 0 and "frequency tables" in " ".join(helped.output.split())
    cli = run(url, owner.actor.username, "dna", "stored-loci-report")
    assert isinstance(cli, dict) and cli["frequency_tables"] == body["frequency_tables"]
    text = runner.invoke(
        app, ["--database-url", url, "--user", owner.actor.username, "dna", "stored-loci-report"]
    )
    assert text.exit_code == 0, text.output
    assert "1 of 2 frequency tables hold rows no check reads" in text.output
    assert "GEN (default)  ignored: FOO, HUMTH01  old spellings: HUMTH01 -> TH01" in text.output
    assert "no frequencies for: TH01" in text.output
