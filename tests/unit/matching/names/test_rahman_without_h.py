"""Abd al-Rahman written without the h of Rahman, as the French spellings of Chad, Mali and Niger write it
(Abderamane, Abdramane, Abdel Ramane), is normalised as abdrahman: before, it shared no key with Abdelrahman
or the Arabic script, only a typing-error score. All names are made up or common given names and surnames."""

from __future__ import annotations

import pytest

from peacelink.matching.names import blocking_keys, normalise, query_keys


@pytest.mark.parametrize(
    "name", ["Abderamane", "Abdramane", "Abderaman", "Abdel Ramane", "Abdoul Ramane", "Abd Erramane"]
)
def test_the_spelling_without_h_is_abdrahman(name: str) -> None:
    assert normalise(name) == ["abdrahman"]


@pytest.mark.parametrize(
    ("record", "query"),
    [
        ("Abdelrahman Haroun Mahamat", "Abderamane Haroun Mahamat"),
        ("عبد الرحمن علي سيلا", "Abdramane Ali Sylla"),
        ("Abdourahmane Idrissa", "Abdel Ramane Idrissa"),
    ],
)
def test_it_shares_the_keys_of_rahman(record: str, query: str) -> None:
    shared = blocking_keys([record]) & query_keys([query])
    assert {"1:bdrhmn", "1:rhmn"} <= shared or any(k.startswith("2:bdrh|") for k in shared)
    assert "1:rhmn" in blocking_keys([query])


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Ramane Ali", ["ramane", "ali"]),  # no Abd: left as written
        ("Abderahim Ali", ["abderahim", "ali"]),  # Rahim, another name
        ("Abdrame Traore", ["abdrame", "traore"]),
    ],
)
def test_other_names_are_left_alone(name: str, parts: list[str]) -> None:
    assert normalise(name) == parts
