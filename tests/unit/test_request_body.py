"""Request bodies refuse unknown fields and control characters, wherever the text sits in them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from peacelink.dna.schemas import DirectCheck
from peacelink.documents.schemas import DocumentCheck
from peacelink.persons.schemas import PersonCheck, PersonCreate
from peacelink.request_body import control_character, control_character_in


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_a_control_character_anywhere_is_refused_naming_the_field(character: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PersonCreate(reference="R-1", names=[{"name": f"Ali{character}Hassan"}])  # type: ignore[list-item]
    [error] = caught.value.errors()
    assert error["loc"] == ("names", 0, "name") and error["type"] == "control_character"
    assert f"U+{ord(character):04X}" in error["msg"]
    with pytest.raises(ValidationError) as caught:
        PersonCheck(names=["Ali", f"Omar{character}"])
    assert caught.value.errors()[0]["loc"] == ("names",) and "item 1" in caught.value.errors()[0]["msg"]
    with pytest.raises(ValidationError):
        DocumentCheck(mrz=["P<UTOERIKSSON<<ANNA<MARIA", f"L898902C3{character}"])
    with pytest.raises(ValidationError):
        DirectCheck(loci={f"D3S1358{character}": "15,16"})  # a dictionary key is text too


def test_line_breaks_tabs_and_right_to_left_marks_are_text() -> None:
    record = PersonCreate(
        reference="R-1",
        names=[{"name": "محمد\u200f الهاشمي"}],  # type: ignore[list-item]
        description="scar on the left cheek\r\nlimps\tslightly",
    )
    assert record.names[0].name.endswith("الهاشمي")
    assert control_character("Ἀλέξανδρος") is None and control_character("ነጋሽ ወልደ") is None


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        PersonCheck.model_validate({"names": ["Ali"], "date_of_brth": "1978"})
    assert caught.value.errors()[0]["type"] == "extra_forbidden"


def test_the_path_inside_an_import_row() -> None:
    assert control_character_in({"reference": "R1", "identifiers": [{"number": "X\x001"}]}) == (
        "identifiers.0.number",
        "U+0000",
    )
    assert control_character_in({"reference": "R1", "names": ["Ali Hassan"]}) is None
    assert control_character_in({"loci": {"TH01\x1b[2J": "6"}}) == ("loci.'TH01\\x1b[2J'", "U+001B")
