"""The DNA bulk enrolment's refusals (a profile of the batch refused, a reference given twice, references
already enrolled) and the frequency table import's (too large, several populations, a bad name or source, a
table already there, a bad line of the file) were English only: they are keyed (``Translatable``) and said
in fr, es and ar on a page (``i18n.localise``); the API's English is unchanged, byte for byte."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests.conftest import World
from tests.integration.test_dna_service import frequency_csv, random_loci
from tests.unit.matching.dna.test_keyed_refusals import _names

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.dna import frequencies, service
from peacelink.dna.schemas import ProfileCreate
from peacelink.errors import PeacelinkError
from peacelink.translatable import Translatable
from peacelink.web import i18n

V1 = "/api/v1"
POPULATIONS = "population,locus,allele,frequency\nA,TH01,6,0.5\nB,TH01,6,0.4\n"


def _keyed(error: PeacelinkError, english: str) -> None:
    """``error`` says ``english`` (the API's text), keyed, with its own entry in fr, es and ar, none of which
    shows the English on a page."""
    text = error.message
    assert text == english, text
    assert isinstance(text, Translatable), f"not keyed for the pages: {text!r}"
    entry = i18n.own_catalogue("en")[text.key]
    assert entry.format(**text.params) == english, (entry, text.params)
    for language in ("fr", "es", "ar"):
        translated = i18n.own_catalogue(language)[text.key]
        assert translated != entry and _names(translated) <= set(text.params), (language, text.key)
        said = i18n.localise(language, text)
        assert english not in said, (language, said)


def _enrol_many(world: World, items: list[ProfileCreate]) -> PeacelinkError:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    with pytest.raises(PeacelinkError) as raised, unit_of_work(world.state.sessions) as session:
        service.create_many(session, actor=owner.actor, items=items)
    return raised.value


def test_the_bulk_enrolment_refusals_are_keyed(world: World) -> None:
    rng = random.Random(3)
    good = ProfileCreate(kind="reference", reference="B-1", loci=random_loci(rng))
    bad = ProfileCreate(kind="reference", reference="B-2", loci={"AMEL": ["X", "Y"]})
    error = _enrol_many(world, [good, bad])
    _keyed(error, "profile 2 (B-2): a profile needs at least one typed autosomal locus")
    # The reason inside is said in the page's language too.
    assert "autosomique" in i18n.localise("fr", error.message), i18n.localise("fr", error.message)
    _keyed(_enrol_many(world, [good, good]), "the same reference is given twice")
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    with unit_of_work(world.state.sessions) as session:
        service.create_many(session, actor=owner.actor, items=[good])
    _keyed(_enrol_many(world, [good]), "already enrolled: B-1")


def _import(world: World, **given: object) -> Callable[[], object]:
    def run() -> object:
        values: dict[str, object] = {"population": "GEN", "text": frequency_csv(), **given}
        with unit_of_work(world.state.sessions) as session:
            return frequencies.import_table(session, actor=world.admin.actor, **values)  # type: ignore[arg-type]

    return run


def test_the_frequency_import_refusals_are_keyed(world: World) -> None:
    _import(world)()
    refused = [
        (_import(world), "population GEN already has a table; replace it explicitly"),
        (_import(world, population="P" * 65), "population: 1 to 64 characters"),
        (_import(world, population="NEW", source="s" * 201), "source: at most 200 characters"),
        (
            _import(world, population="NEW", source="a\x07b"),
            "source: text may not contain control characters (U+0007)",
        ),
        (
            _import(world, population="NEW", text=POPULATIONS),
            "the file holds several populations (A, B): name one",
        ),
        (
            _import(world, population="NEW", text="x" * (frequencies.MAX_BYTES + 1)),
            f"a frequency file is at most {frequencies.MAX_BYTES} bytes",
        ),
        (
            _import(world, population="NEW", text="locus,allele,frequency\nTH01,6,x\n"),
            "line 2: frequency 'x' is not a number",
        ),
    ]
    for run, english in refused:
        with pytest.raises(PeacelinkError) as raised:
            run()
        _keyed(raised.value, english)


def test_the_api_says_the_frequency_refusals_in_english_as_before(client: TestClient, world: World) -> None:
    headers = {**world.admin.headers, "Content-Type": "text/csv"}
    for body, query, said in (
        (POPULATIONS, "population=NEW", "the file holds several populations (A, B): name one"),
        ("locus,allele,frequency\nTH01,6,x\n", "population=NEW", "line 2: frequency 'x' is not a number"),
        ("locus,allele,frequency\n", "population=NEW", "the frequency file is empty"),
    ):
        answer = client.post(f"{V1}/dna/frequencies?{query}", headers=headers, content=body)
        assert answer.status_code == 422 and answer.json()["message"] == said, answer.text
