"""Names written in the Cyrillic alphabets other than Russian: Ukrainian, Belarusian, Serbian, Macedonian and
those of Central Asia, romanised by their own rules, with the Ukrainian reading of names written with Russian
letters only and the Russian reading of Ukrainian ones. All names are made up for these tests."""

from __future__ import annotations

import pytest

from peacelink.matching.names import (
    CANDIDATE_THRESHOLD,
    HIT_THRESHOLD,
    PersonCandidate,
    PersonQuery,
    blocking_keys,
    normalise,
    query_keys,
    score,
    transliterate,
)
from peacelink.matching.names.parts import RUSSIAN_READING, UKRAINIAN_READING, prepare


def _both_ways(first: str, second: str) -> list[float]:
    return [
        score(PersonQuery(names=[a]), PersonCandidate(names=[b])).score
        for a, b in ((first, second), (second, first))
    ]


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        # The Russian rules left these letters as they were and they were dropped: "vtaly gordnko", "gor".
        ("Віталій Гордієнко", "vitaliy hordiyenko"),
        ("Ігор", "ihor"),
        ("Євген", "yevhen"),
        ("Їжакевич", "yizhakevych"),
        ("Ґонта", "gonta"),
        ("Святлана Ціханоўская", "svyatlana tsikhanouskaya"),
        ("Ђорђе Петровић", "djordje petrovic"),
        ("Љубомир Његош", "ljubomir njegos"),
        ("Ѓорѓе Ќосев", "gjorgje kjosev"),
        ("Нұрсұлтан Тоқаев", "nursultan tokayev"),
        ("Ҷамшед Раҳмонов", "dzhamshed rakhmonov"),
        # Not dropped before, but wrong: ђ and đ were folded to d, the hard sign split the name.
        ("Đorđe Petrović", "djordje petrovic"),
        ("Владимир Объедков", "vladimir obyedkov"),
    ],
)
def test_no_letter_of_a_cyrillic_alphabet_is_dropped(cyrillic: str, latin: str) -> None:
    assert transliterate(cyrillic) == latin
    assert " ".join(normalise(cyrillic)) == latin.replace("-", " ")


# The letters of the living Cyrillic alphabets: Russian, then Ukrainian, Belarusian, Serbian, Macedonian,
# Kazakh, Kyrgyz, Uzbek, Tajik, Tatar, Bashkir, Azerbaijani, Mongolian and Chuvash ones. The soft and hard
# signs and the palochka mark the letter before them and are written as nothing.
_LETTERS = "".join(("абвгдеёжзийклмнопрстуфхцчшщыэюя", "ґєіїўђјљњћџѓѕќ", "әғқңөұүһҳҷӣӯҗҡҙҫҝҹӑӗӳ"))


@pytest.mark.parametrize("letter", list(_LETTERS + _LETTERS.upper()))
def test_every_letter_of_a_living_cyrillic_alphabet_comes_out_as_ascii(letter: str) -> None:
    out = transliterate(f"Ан{letter}а")
    assert out.isascii()
    assert len(out) > len("ana"), out


def test_a_vietnamese_d_stays_d() -> None:
    # Vietnamese writes đ only at the start of a word, and none of č ć š ž: it is d in ASCII spellings.
    assert transliterate("Đinh Lan") == "dinh lan"
    assert transliterate("Đặng Văn Đức") == "dang van duc"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        # Ukrainian passport spellings (2010 national system) of names with Ukrainian letters; 0.39-0.85
        # before, their і, є dropped and г read g.
        ("Serhii Tkachenko", "Сергій Ткаченко"),
        ("Hryhorii Kovalenko", "Григорій Коваленко"),
        ("Yevhen Hrytsenko", "Євген Гриценко"),
        ("Ihor Pavlyuk", "Ігор Павлюк"),
        ("Vitalii Hordiienko", "Віталій Гордієнко"),
        ("Bohdan Gonta", "Богдан Ґонта"),
        # Ukrainian names with Russian letters only, met through their Ukrainian reading (0.46-0.87 before).
        ("Oleksandr Hnatiuk", "Олександр Гнатюк"),
        ("Oleh Lytvyn", "Олег Литвин"),
        ("Halyna Melnyk", "Галина Мельник"),
        ("Taras Hryhorenko", "Тарас Григоренко"),
        # Belarusian passport spellings (ў is u), Serbian and Macedonian ones (ђ dj, ѓ gj, ќ kj).
        ("Siarhei Tsikhanouski", "Сяргей Ціханоўскі"),
        ("Yauhen Karatkevich", "Яўген Караткевіч"),
        ("Djordje Petrovic", "Ђорђе Петровић"),
        ("Dzemal Djukic", "Џемал Ђукић"),
        ("Gjorge Ivanov", "Ѓорѓе Иванов"),
        # Central Asian names as Russian-language papers romanise them.
        ("Kassym-Jomart Tokayev", "Қасым-Жомарт Тоқаев"),
        ("Jamshed Rahmonov", "Ҷамшед Раҳмонов"),
    ],
)
def test_passport_spellings_meet_the_cyrillic_record(latin: str, cyrillic: str) -> None:
    assert min(_both_ways(latin, cyrillic)) >= HIT_THRESHOLD
    assert blocking_keys([cyrillic]) & query_keys([latin])
    assert blocking_keys([latin]) & query_keys([cyrillic])


def test_a_cyrillic_name_with_russian_letters_only_is_also_read_as_ukrainian() -> None:
    result = score(PersonQuery(names=["Oleksandr Hnatiuk"]), PersonCandidate(names=["Олександр Гнатюк"]))
    assert result.explanation["name"]["candidate_name"] == "Олександр Гнатюк" + UKRAINIAN_READING
    assert [n.reading for n in prepare(["Олександр Гнатюк"]).names] == ["", "ukrainian"]
    # No г, or a letter Ukrainian does not write (ы э ё ъ), or another alphabet: no reading, no further keys.
    names = ["Дмитро Бойко", "Георгий Крылов", "Ђорђе Гавриловић", "Ғани Қасымов", "Hnatiuk"]
    assert [n.reading for n in prepare(names).names] == ["", "", "", "", ""]


def test_a_ukrainian_name_is_also_read_as_russian() -> None:
    # Soviet-era papers and Russian-language lists spell Ukrainian names the Russian way: 0.96 when і was
    # dropped (grigory), 0.50 once Григорій was romanised the Ukrainian way (hryhoriy) alone.
    assert min(_both_ways("Grigoriy Kovalenko", "Григорій Коваленко")) >= HIT_THRESHOLD
    result = score(PersonQuery(names=["Grigoriy Kovalenko"]), PersonCandidate(names=["Григорій Коваленко"]))
    assert result.explanation["name"]["candidate_name"] == "Григорій Коваленко" + RUSSIAN_READING
    assert [n.reading for n in prepare(["Андрій Шевченко"]).names] == [""]


def test_russian_names_are_unaffected() -> None:
    assert min(_both_ways("Sergey Ivanov", "Сергей Иванов")) >= 0.95
    assert min(_both_ways("Mikhail Gorbachev", "Михаил Горбачёв")) >= 0.95
    assert transliterate("Сергей Иванов") == "sergey ivanov"
    # A name without г gets no Ukrainian reading: its keys are those it had.
    assert blocking_keys(["Иван Петров"]) == {"1:bn", "1:bnbtrb", "1:btrb", "2:bn|btrb", "3:btrb|a"}
    # One with г keeps its keys and gains those of г read as h (Сергей also as Serhei, Serhii).
    before = {"1:bnb", "1:srk", "1:srkbnb", "2:bnb|srk"}
    assert blocking_keys(["Сергей Иванов"]) == before | {"1:srh", "1:srhbnb", "2:bnb|srh"}
    assert blocking_keys(["Sergey Ivanov"]) == before


@pytest.mark.parametrize(
    ("query", "record"),
    [
        ("Oleg Gnatyuk", "Hryhorii Kovalenko"),
        ("Oleg Gnatyuk", "Григорій Коваленко"),
        ("Serhii Tkachenko", "Григорій Коваленко"),
        ("Djordje Petrovic", "Јован Јовановић"),
    ],
)
def test_other_persons_stay_apart(query: str, record: str) -> None:
    assert max(_both_ways(query, record)) < CANDIDATE_THRESHOLD
