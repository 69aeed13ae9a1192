"""Migration 0030's rule on a real database: a given name with short forms (Robert: Bob, Rob, Robbie) is also
keyed as each of them with the name's other parts, so "Bob Smith" finds a stored Robert Smith by a key even
where Smith alone is a stop key; and the migration, which keys the persons stored before it that way. All
names are made up."""

from __future__ import annotations

from functools import partial

from tests.conftest import World
from tests.integration.test_person_glued_article_0022 import check_key_rule_migration
from tests.integration.test_person_readings_0015 import _hits, create_records

from peacelink.db.unit_of_work import unit_of_work
from peacelink.matching.names import query_keys
from peacelink.matching.names.blocking import blocking_keys
from peacelink.matching.names.parts import make_part
from peacelink.persons.lookup import check_person
from peacelink.persons.schemas import PersonCheck

# The records, and a query by a short form or by the full name.
_RECORDS = {
    "robert": ("UTO-1", "Robert Kowalczyk Mbeki", "Bob Kowalczyk Mbeki"),
    "william": ("UTO-2", "William Adeyemi Okafor", "Bill Adeyemi Okafor"),
    # The other way round: the record holds the short form, the query the full name (its keys, not stored).
    "reverse": ("UTO-3", "Ted Nakamura Lindqvist", "Edward Nakamura Lindqvist"),
}
_SHORT = {"robert": "bob", "william": "bill"}


def _short_form_keys(short: str, keys: set[str]) -> set[str]:
    """The pair keys among ``keys`` made of the short form."""
    prefix = make_part(short).coarse[:4]
    return {k for k in keys if k[:2] == "2:" and prefix in k[2:].split("|")}


def test_migration_0030_keys_the_short_forms_of_the_persons_stored_before_it(world: World) -> None:
    added = {kind: partial(_short_form_keys, short) for kind, short in _SHORT.items()}
    check_key_rule_migration(world, _RECORDS, added, previous="0029")


def test_a_short_form_finds_its_name_by_a_pair_key_alone() -> None:
    # Nothing else is shared: the pair key of the short form and the surname is the only way in when the
    # surname's own key is a stop key.
    assert query_keys(["Bob Smith"]) & blocking_keys(["Robert Smith"]) == {"2:bb|smt"}
    assert query_keys(["Robert Smith"]) & blocking_keys(["Bob Smith"]) == {"2:bb|smt"}
    assert "2:bb|smt" not in blocking_keys(["Roberto Smith"])  # no short form in the list: no such key


def test_the_query_by_a_short_form_is_a_hit(world: World) -> None:
    officer, ids = create_records(world, {"robert": _RECORDS["robert"]})
    assert _hits(world, officer, "Bob Kowalczyk Mbeki") == [ids["robert"]]
    with unit_of_work(world.state.sessions) as session:
        found = check_person(session, actor=officer, data=PersonCheck(names=["Bob Kowalczyk Mbeki"]))
    best = (found.candidates or [])[0]
    methods = {(p["query"], p["candidate"]): p["method"] for p in best.explanation["name"]["parts"]}
    assert methods[("bob", "robert")] == "nickname"
