"""Migration 0033: each person name's prepared form is stored (``persons.keys.stored_form``) by every write
(create, update, import, and the migrations that key persons again), a check rebuilds its candidates' names
from it without the reading rules, and the migration fills it for the names stored before it. All names are
made up."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update
from tests.conftest import World
from tests.integration.revisions import downgrade_to, upgrade_again
from tests.integration.test_person_readings_0015 import _hits, create_records

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import parts
from peacelink.persons import importer, service
from peacelink.persons import keys as person_keys
from peacelink.persons.keys import prepared_from_parts, prepared_from_stored, resync_persons, stored_form
from peacelink.persons.models import PersonName
from peacelink.persons.schemas import NameIn, PersonUpdate

# A name that is its parts alone, and names that carry readings, several names or an own-name length.
_NAMES = [
    ("Seydou Kanoutebe", "seydou kanoutebe"),
    ("Xasan Cali Warsame", "xasan cali warsame"),  # Somali reading
    ("Мохаммед Хашимов", "mokhammed khashimov"),  # Cyrillic х read as h
    ("عثمان رضا", "athman rda"),  # the Persian reading
    ("Husain Salimi; Hosain Salimi", "husain salimi hosain salimi"),  # two spellings in one field
    ("Ahmed Ould Mohamed Lemine", "ahmed ould mohamed lemine"),  # own name before the nasab link
    ("", ""),
]
_RECORDS = {
    "plain": ("UTO-1", "Seydou Kanoutebe", "Seydou Kanoutebe"),
    "somali": ("SOM-1", "Xasan Cali Warsame", "Hassan Ali Warsame"),
    "cyrillic": ("RUS-1", "Мохаммед Хашимов", "Mohammed Hashimov"),
}


def _forms(world: World) -> dict[str, tuple[str, str, str | None]]:
    with unit_of_work(world.state.sessions) as session:
        rows = session.execute(select(PersonName.name, PersonName.parts, PersonName.prepared)).all()
    return {name: (name, names_parts, form) for name, names_parts, form in rows}


def _stored_as_this_code_makes_them(world: World) -> None:
    forms = _forms(world)
    assert forms
    assert all(form == stored_form(name, p) for name, p, form in forms.values()), forms


def test_a_stored_form_rebuilds_what_the_reading_rules_make() -> None:
    for name, name_parts in _NAMES:
        form = stored_form(name, name_parts)
        assert prepared_from_stored([(name, name_parts, form)]) == prepared_from_parts([(name, name_parts)])
    # The common case stores nothing but "": the name is its parts.
    assert stored_form("Seydou Kanoutebe", "seydou kanoutebe") == ""
    somali = json.loads(stored_form("Xasan Cali Warsame", "xasan cali warsame"))
    assert [row[1:] for row in somali] == [["", 0, "xasan cali warsame"], ["somali", 0, "hasan ali warsame"]]
    # A row with no stored form (NULL) is prepared from its parts as before.
    name, name_parts = _NAMES[1]
    assert prepared_from_stored([(name, name_parts, None)]) == prepared_from_parts([(name, name_parts)])


def test_create_update_and_import_store_the_form(world: World) -> None:
    officer, ids = create_records(world, _RECORDS)
    _stored_as_this_code_makes_them(world)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR).actor
    with unit_of_work(world.state.sessions) as session:
        version = service.read(session, actor=owner, person_id=ids["plain"]).version
        data = PersonUpdate(version=version, names=[NameIn(name="Maxamed Cabdi Nuur")])
        service.update(session, actor=owner, person_id=ids["plain"], data=data)
    line = json.dumps({"reference": "SOM-9", "names": ["Cabdullaahi Xuseen Faarax"]})
    importer.import_stream(world.state.sessions, actor=owner, stream=[line], fmt="jsonl", source="t")
    forms = _forms(world)
    assert "Seydou Kanoutebe" not in forms
    assert json.loads(forms["Maxamed Cabdi Nuur"][2] or "")[1][1] == "somali"
    assert json.loads(forms["Cabdullaahi Xuseen Faarax"][2] or "")[1][1] == "somali"
    _stored_as_this_code_makes_them(world)
    assert _hits(world, officer, "Mohamed Abdi Nur") == [ids["plain"]]


def test_a_check_reads_the_stored_form_not_the_reading_rules(world: World) -> None:
    officer, ids = create_records(world, _RECORDS)

    def refused(*_args: object) -> None:
        raise AssertionError("a check ran the reading rules of a stored name")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(person_keys, "_prepared_name", refused)
        person_keys._from_stored.cache_clear()
        # The Somali record is found by its English spelling through the reading stored with it.
        assert _hits(world, officer, "Hassan Ali Warsame") == [ids["somali"]]
        assert _hits(world, officer, "Mohammed Hashimov") == [ids["cyrillic"]]
    # A row whose form was not made (NULL) is prepared from its parts as before, and still found.
    with unit_of_work(world.state.sessions) as session:
        session.execute(update(PersonName).values(prepared=None))
    assert _hits(world, officer, "Hassan Ali Warsame") == [ids["somali"]]


def test_keying_again_remakes_the_form_of_a_renormalised_name(world: World) -> None:
    _officer, ids = create_records(world, _RECORDS)
    with unit_of_work(world.state.sessions) as session:
        # A name stored with parts an older normaliser made, and the form made from them.
        session.execute(
            update(PersonName)
            .where(PersonName.person_id == ids["somali"])
            .values(parts="xasan cali", prepared=stored_form("Xasan Cali Warsame", "xasan cali"))
        )
        resync_persons(
            session.connection(), (), readings=parts.READINGS, renormalise=True, ids=[ids["somali"]]
        )
    forms = _forms(world)
    assert forms["Xasan Cali Warsame"][1] == "xasan cali warsame"
    _stored_as_this_code_makes_them(world)


def test_migration_0033_fills_the_forms_of_the_names_stored_before_it(world: World) -> None:
    officer, ids = create_records(world, _RECORDS)
    engine = world.state.engine
    forms_before = _forms(world)
    downgrade_to(engine, "0032")
    # The code before 0033 stored no form: the column is there, empty, only for this code's checks.
    assert all(form is None for _n, _p, form in _forms(world).values())
    assert _hits(world, officer, "Hassan Ali Warsame") == [ids["somali"]]
    upgrade_again(engine)
    assert _forms(world) == forms_before
    _stored_as_this_code_makes_them(world)
    assert _hits(world, officer, "Hassan Ali Warsame") == [ids["somali"]]
    assert _hits(world, officer, "Mohammed Hashimov") == [ids["cyrillic"]]
