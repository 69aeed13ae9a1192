"""The names a name is also read as (``parts.with_readings``) are shown with their label's catalogue key
(``parts.shown_name``): the explanation says "Xasan Cali (read as Somali spelling)" to the API, the CLI and
the audit log, and a web page says the label in its language (``persons.reading.<kind>``, the name as given
its value). All names are made up."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path

import pytest

from peacelink.matching.names import PersonCandidate, PersonQuery, score
from peacelink.matching.names.parts import (
    CARON_READING,
    CYRILLIC_READING,
    FINAL_H_READING,
    GERMAN_READING,
    MAGHREBI_READING,
    PERSIAN_READING,
    POLISH_READING,
    READINGS,
    RUSSIAN_READING,
    SEPARATE_H_READING,
    SOMALI_READING,
    UKRAINIAN_READING,
    prepare,
    shown_name,
)
from peacelink.translatable import Translatable
from peacelink.web import i18n

CATALOGUES = Path(i18n.__file__).with_name("i18n")

# (kind, its label, a name read so, a spelling that meets the name through that reading).
READ_PAIRS = [
    ("somali", SOMALI_READING, "Maxamed Cali Faarax", "Mohamed Ali Farah"),
    ("cyrillic", CYRILLIC_READING, "Мохаммед аль-Хашими", "Mohammed al-Hashimi"),
    ("persian", PERSIAN_READING, "عثمان غني", "Usman Ghani"),
    ("maghrebi", MAGHREBI_READING, "الأمين والي", "Lamine Wali"),
    ("ukrainian", UKRAINIAN_READING, "Олександр Гнатюк", "Oleksandr Hnatiuk"),
    ("russian", RUSSIAN_READING, "Григорій Коваленко", "Grigoriy Kovalenko"),
    ("german", GERMAN_READING, "Sergej Worobjow", "Sergei Vorobyov"),
    ("polish", POLISH_READING, "Jurij Żukow", "Yuri Zhukov"),
    ("caron", CARON_READING, "Andrij Ševčenko", "Andrii Shevchenko"),
    ("separate_h", SEPARATE_H_READING, "سهيل زهير", "Suhail Zuhair"),
    ("final_h", FINAL_H_READING, "وجيه نبيه", "Wajih Nabih"),
]
EACH_KIND = pytest.mark.parametrize(
    ("kind", "label", "name", "other"), READ_PAIRS, ids=[kind for kind, *_ in READ_PAIRS]
)


def test_the_pairs_cover_every_kind_of_reading() -> None:
    assert {kind for kind, *_ in READ_PAIRS} == READINGS


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_every_kind_of_reading_has_its_label_in_every_catalogue(language: str) -> None:
    catalogue = json.loads((CATALOGUES / f"{language}.json").read_text(encoding="utf-8"))
    for kind in READINGS:
        assert "{name}" in catalogue.get(f"persons.reading.{kind}", ""), (language, kind)


@EACH_KIND
def test_a_reading_is_shown_as_its_english_text_keyed_to_its_label(
    kind: str, label: str, name: str, other: str
) -> None:
    given, *readings = prepare([name]).names
    assert type(shown_name(given)) is str and given.reading == ""
    read = [n for n in readings if n.reading == kind]
    assert read, f"{name} is not read as {kind}"
    for reading in read:
        assert type(reading.original) is str  # the prepared reading itself stays a plain text
        shown = shown_name(reading)
        assert isinstance(shown, Translatable)
        assert str(shown) == name + label
        assert (shown.key, shown.params) == (f"persons.reading.{kind}", {"name": name})
        # The name is a value as given (record data or typed input): a page isolates it, never translates it.
        assert type(shown.params["name"]) is str
        # A copy or a pickle (a worker process, a cache) keeps the key.
        for kept in (copy.deepcopy(shown), pickle.loads(pickle.dumps(shown))):  # noqa: S301
            assert kept == shown and isinstance(kept, Translatable)
            assert (kept.key, kept.params) == (shown.key, shown.params)


@EACH_KIND
def test_the_explanation_names_the_reading_with_its_key_and_its_english_text(
    kind: str, label: str, name: str, other: str
) -> None:
    # The record read (the candidate's name), then the check's name read (the query's).
    for query, candidate, side, given_side in (
        (other, name, "candidate_name", "query_name"),
        (name, other, "query_name", "candidate_name"),
    ):
        explained = score(PersonQuery(names=[query]), PersonCandidate(names=[candidate])).explanation["name"]
        shown = explained[side]
        assert isinstance(shown, Translatable) and shown.key == f"persons.reading.{kind}", explained
        assert shown == name + label and shown.params == {"name": name}
        # The API's JSON says what it always said: the English text.
        assert json.dumps(shown, ensure_ascii=False) == json.dumps(name + label, ensure_ascii=False)
        # The other side is the spelling as given, a plain text.
        assert type(explained[given_side]) is str and explained[given_side] == other
