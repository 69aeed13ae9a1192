"""Service texts (errors, check warnings, explanation details) keyed for the web pages: each keyed text's
English catalogue entry, filled with its values, is the text itself, every language has the entry, and a page
renders it translated with the values isolated and escaped (``Translatable``, ``i18n.localise``)."""

from __future__ import annotations

import copy
import pickle
import re
import string
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from tests.conftest import passport_mrz
from tests.unit.matching.names.test_reading_labels import READ_PAIRS

import peacelink
from peacelink.access import Actor, AgencyKind, Role, require_role
from peacelink.documents.lookup import normalise as document_query
from peacelink.documents.lookup import read_mrz
from peacelink.documents.schemas import DocumentCheck
from peacelink.errors import PeacelinkError
from peacelink.identifiers.checkdigits import icao_check_digit
from peacelink.matching.names import PersonCandidate, PersonQuery, Scorer, fact_keys
from peacelink.matching.names.factors import compare_dates, compare_nationalities, compare_sex
from peacelink.matching.names.scoring import POOLED_NAME
from peacelink.persons import service as persons
from peacelink.persons.check_input import normalise as person_query
from peacelink.persons.schemas import IdentifierIn, PersonCheck
from peacelink.persons.values import check_names
from peacelink.request_body import refusal
from peacelink.translatable import Translatable
from peacelink.vehicles.lookup import normalise as vehicle_query
from peacelink.vehicles.schemas import VehicleCheck
from peacelink.web import i18n
from peacelink.web.form_errors import form_error
from peacelink.web.form_input import not_utf8, repeated

DATES = [
    ("1978", "1979"),
    ("1978", "1985"),
    ("1978", "1978-05-02"),
    ("1978-02-05", "1978-05-02"),
    ("1978-04", "1978-05-02"),
]
DATES += [("1978-05", "1978-05-02"), ("1978-05-03", "1978-05-02"), ("1978-05-02", "1978-05-02")]


def _refused(action: Callable[[], object]) -> str:
    """The message of the error ``action`` raises (a service error or a request shape's refusal)."""
    with pytest.raises((PeacelinkError, ValidationError)) as raised:
        action()
    message, _ = form_error(raised.value)
    return message


def _details() -> Iterator[str]:
    """Every kind of factor detail of a person candidate's explanation, and its names' reading labels."""
    for query, candidate in DATES:
        found = compare_dates([query], [candidate])
        assert found is not None
        yield found.detail
    for query_codes, candidate_codes in ((["UTO"], ["UTO", "CAF"]), (["UTO"], ["CAF"])):
        found = compare_nationalities(query_codes, candidate_codes)
        assert found is not None
        yield found.detail
    for query_sex, candidate_sex in (("male", "male"), ("female", "male")):
        found = compare_sex(query_sex, candidate_sex)
        assert found is not None
        yield found.detail
    yield POOLED_NAME
    # The name a candidate matched through, read another way: "Maxamed Cali Faarax (read as Somali spelling)".
    for _, _, name, other in READ_PAIRS:
        explained = Scorer(PersonQuery(names=[other])).score(PersonCandidate(names=[name])).explanation
        yield explained["name"]["candidate_name"]
    facts = dict.fromkeys(fact_keys(["1978-05-02"], ["UTO"]), 1)
    counts = {**facts, "1:hmd": 900}
    for names, born in (
        (["Zorglub"], ["1978-05-02"]),
        (["Ahmed Zorglub"], ["1978-05-02"]),
        (["Ahmed"], []),
        (["Ahmed"], ["1978"]),
    ):
        scorer = Scorer(
            PersonQuery(names=names, dates_of_birth=born, nationalities=["UTO"]),
            key_counts=counts,
            population=1000,
        )
        result = scorer.score(
            PersonCandidate(names=["Ahmed"], dates_of_birth=["1978-05-02"], nationalities=["UTO"])
        )
        yield from (factor["detail"] for factor in result.explanation["factors"])
    # A father and his son across a nasab link (nasab_order).
    crossed = Scorer(PersonQuery(names=["Ahmed Ould Mohamed Lemine"])).score(
        PersonCandidate(names=["Mohamed Lemine Ould Ahmed"])
    )
    yield from (factor["detail"] for factor in crossed.explanation["factors"])


def _warnings() -> Iterator[str]:
    """Warnings of person, document and vehicle checks."""
    yield from person_query(PersonCheck(names=["Dr"])).warnings
    scanned = PersonCheck(mrz=passport_mrz(), date_of_birth="1979", nationality="CAF", sex="female")
    yield from person_query(scanned).warnings
    long_names = passport_mrz(given_names="ABDULLAHMOHAMMEDIBRAHIM ABDULRAHMAN")
    yield from person_query(PersonCheck(mrz=long_names)).warnings
    broken = passport_mrz()
    broken[1] = broken[1][:9] + "0" + broken[1][10:]
    yield from read_mrz(broken)[1]
    for fields in ({"nationality": "D"}, {"nationality": "QQQ"}):
        yield from read_mrz(passport_mrz(**fields))[1]
    # TD3 line 2: birth date at 13-18 and its check digit at 19; the personal number's check digit at 42.
    line = passport_mrz()[1]
    for birth in ("78O502", "78XX02", "781302"):  # an O the check digit proves a 0; no date; no calendar date
        digit = str(icao_check_digit(birth.replace("O", "0")))
        yield from read_mrz([passport_mrz()[0], line[:13] + birth + digit + line[20:]])[1]
    yield from read_mrz([passport_mrz()[0], line[:42] + "<" + line[43:]])[1]
    yield from vehicle_query(VehicleCheck(vin="1M8GDM9AXKP04278O")).warnings
    yield from vehicle_query(VehicleCheck(vin="1M8GDM9AXKP04278Ä")).warnings  # a letter no VIN holds
    yield from vehicle_query(VehicleCheck(vin="1M8GDM9A6UP042788")).warnings  # U: no model year
    yield refusal("surrogate", "U+D800")


def _errors() -> Iterator[str]:
    """Errors an officer meets on the check forms."""
    for fields in (
        {"names": []},
        {"names": ["!!!"]},
        {"names": [" ".join(["Abc"] * 20)]},
        {"names": [" ".join(f"Abcde{c}" for c in "abcdefg")] * 6},
        {"names": ["Ali"], "document": "!"},
        {"names": ["Ali"], "document": {"number": "A"}},
        {"names": ["Ali"], "document": {"number": "", "country": "UTO"}},
        {"names": ["Ali"], "nationality": "XYZ"},
        {"names": ["Ali"], "date_of_birth": "02/05/1978"},
        {"names": ["Ali"], "date_of_birth": "1700"},
        {"names": ["Ali"], "date_of_birth": "1978-13"},
        {"names": ["Ali"], "date_of_birth": "2999"},
        {"mrz": ["P<UTO"]},
        {"mrz": ["1" + "<" * 43, "<" * 44]},
        {"mrz": ["P<UTO" + "é" * 39, "<" * 44]},
        {"mrz": passport_mrz(surname="", given_names="")},
        {"mrz": passport_mrz(), "names": [f"Name {n} Other" for n in "ABCDEFGHIJ"]},
        {"mrz": [passport_mrz()[0], passport_mrz()[1][:20] + "Z" + passport_mrz()[1][21:]]},
    ):
        yield _refused(lambda fields=fields: person_query(PersonCheck.model_validate(fields)))
    for shape in (
        {"names": ["Ali"], "date_of_birth": "12345678901"},
        {"names": ["Ali"], "sex": "x"},
        {"names": ["Ali"] * 11},
        {"names": ["Ali\u202e"]},
        {"names": ["Ali\x07"]},
        {"mrz": ["P<UTO"] * 5},
        {"mrz": ["P" * 101, "<"]},
        {"mrz": "P" * 301},
    ):
        yield _refused(lambda shape=shape: PersonCheck.model_validate(shape))
    yield _refused(lambda: DocumentCheck(number="\u202eAB", issuing_country="UTO"))
    # A value too short (a record's identity document number): the person check's document number is the
    # check's own refusal, no longer a request shape's.
    yield _refused(lambda: IdentifierIn.model_validate({"number": "A"}))
    for document in ({"issuing_country": "UTO"}, {"issuing_country": "UTO", "number": "!!"}):
        yield _refused(lambda document=document: document_query(DocumentCheck.model_validate(document)))
    for vehicle in (
        {},
        {"vin": "123"},
        {"plate": "AB"},
        {"plate": "!!", "country": "UTO"},
    ):
        yield _refused(lambda vehicle=vehicle: vehicle_query(VehicleCheck.model_validate(vehicle)))
    yield _refused(lambda: vehicle_query(VehicleCheck(plate="A" * 13, country="UTO")))
    yield _refused(lambda: check_names(["X Y", "A. B."]))
    actor = Actor(
        user_id=1,
        username="u",
        agency_id=1,
        agency_code="MINUSCA",
        agency_kind=AgencyKind.MISSION,
        agency_country=None,
        roles=frozenset({Role.ANALYST}),
    )
    yield _refused(lambda: require_role(actor, Role.FIELD_OFFICER))
    yield _refused(lambda: persons.read(_NoSession(), actor=actor, person_id="nope"))  # type: ignore[arg-type]
    # A page's form refused before it is read (web/form_input.py).
    yield not_utf8(0xE9)
    yield repeated(2)


class _NoSession:
    """A session that holds no record."""

    def get(self, *_: object) -> None:
        return None


def _keyed(texts: Iterator[str]) -> Iterator[Translatable]:
    """The texts and the texts inside them (their Translatable values), each checked to carry a key."""
    for text in texts:
        assert isinstance(text, Translatable), f"not keyed for the pages: {text!r}"
        yield text
        yield from _keyed(iter(v for v in text.params.values() if isinstance(v, Translatable)))


@pytest.mark.parametrize("sample", [_details, _warnings, _errors], ids=["details", "warnings", "errors"])
def test_each_keyed_text_is_its_english_entry_and_every_language_has_it(
    sample: Callable[[], Iterator[str]],
) -> None:
    seen: set[str] = set()
    for text in _keyed(sample()):
        seen.add(text.key)
        english = i18n.own_catalogue("en").get(text.key)
        assert english is not None, f"{text.key} is in no catalogue"
        # A code inside a text (value.sex.male for M) has its label there, not its English text.
        assert text.key.startswith("value.") or english.format(**text.params) == text, text.key
        for language in ("fr", "es", "ar"):
            entry = i18n.own_catalogue(language)[text.key]
            assert entry != english, f"{language} copies the English of {text.key}"
            assert _names(entry) <= set(text.params), f"{language} {text.key} names a value the text lacks"
    # Every kind the samples give is keyed (factor details, warnings, form errors).
    assert len(seen) >= {"details": 29, "warnings": 26, "errors": 36}[sample.__name__.strip("_")]


def _names(entry: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(entry) if name}


def test_no_translation_names_a_value_the_english_lacks() -> None:
    english = i18n.own_catalogue("en")
    for language in ("fr", "es", "ar"):
        for key, entry in i18n.own_catalogue(language).items():
            assert _names(entry) <= _names(english[key]), f"{language} {key}"


def test_a_page_fills_in_the_values_isolated_and_escaped() -> None:
    reason = Translatable("same year", "persons.factor.date_of_birth.same_year")
    detail = Translatable(
        "<b> vs 1978: same year", "persons.factor.date_of_birth", query="<b>", candidate="1978", reason=reason
    )
    assert (
        i18n.localise("fr", detail)
        == "<bdi>&lt;b&gt;</bdi> (vérification) / <bdi>1978</bdi> (fiche) : même année"
    )
    assert (
        i18n.localise("ar", detail) == "<bdi>&lt;b&gt;</bdi> (التحقق) / <bdi>1978</bdi> (السجل): السنة نفسها"
    )
    # An English page, a text without a key, a key no catalogue has: the text as given, in one <bdi>.
    assert i18n.localise("en", detail) == "<bdi>&lt;b&gt; vs 1978: same year</bdi>"
    assert i18n.localise("fr", "a <plain> text") == "<bdi>a &lt;plain&gt; text</bdi>"
    assert i18n.localise("es", Translatable("new words", "no.such.key")) == "<bdi>new words</bdi>"
    # A number is shown as it is; an empty value is nothing; a value the entry lacks falls back to English.
    parts = Translatable("x", "persons.check.error.check_parts", parts=42, most=32)
    assert i18n.localise("fr", parts).startswith(
        "Les noms comptent 42 parties en tout ; une vérification en compare au plus 32"
    )
    note = Translatable(
        "holds the presented document AB12", "persons.factor.identity_document", number="AB12", note=""
    )
    assert i18n.localise("es", note) == "tiene el documento presentado <bdi>AB12</bdi>"
    assert (
        i18n.localise("fr", Translatable("no person x", "persons.error.not_found"))
        == "<bdi>no person x</bdi>"
    )


def test_a_keyed_text_is_its_english_text_everywhere_else() -> None:
    text = Translatable("'IRQX' is not a code", "checks.error.country_code", code="IRQX")
    assert text == "'IRQX' is not a code" and repr(text) == repr("'IRQX' is not a code")
    for kept in (copy.copy(text), copy.deepcopy(text), pickle.loads(pickle.dumps(text))):  # noqa: S301
        assert isinstance(kept, Translatable) and (kept, kept.key, kept.params) == (
            text,
            text.key,
            text.params,
        )
    assert type(text + "!") is str and type(f"{text}") is str


def test_every_factor_the_scorer_names_has_its_label_in_every_language() -> None:
    # The result pages show a factor's name through ``value.factor.<name>``; without an entry the page showed
    # the code (nasab_order). The names are read from the source, so a new factor cannot be forgotten.
    source = Path(peacelink.__file__).parent
    pattern = re.compile(r'Factor\(\s*"([a-z_]+)"|"factor": "([a-z_]+)"')
    names = {
        a or b for path in source.rglob("*.py") for a, b in pattern.findall(path.read_text(encoding="utf-8"))
    }
    assert {"nasab_order", "facts_lead", "identity_document", "date_of_birth"} <= names
    for language in ("en", "fr", "es", "ar"):
        catalogue = i18n.own_catalogue(language)
        assert not [n for n in sorted(names) if f"value.factor.{n}" not in catalogue], language
