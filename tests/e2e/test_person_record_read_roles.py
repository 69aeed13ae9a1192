"""Reading a person record takes an operational role on every path, as the API's route always did: the
record page, its photo, ``persons show`` and ``persons list`` let an agency administrator of the owning
agency read records (found by a 2026-11-24 audit: the web page answered 200 where the API answered 403)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.conftest import World
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture
from tests.e2e.test_persons_api import _sign_in
from tests.e2e.test_web_signin import _sign_in as web_sign_in

from peacelink.access import Role
from peacelink.db.unit_of_work import unit_of_work
from peacelink.persons import service
from peacelink.persons.schemas import NameIn, PersonCreate

NAME = "Tobias Krenwald Ostrander"  # made up


def test_an_agency_administrator_reads_no_person_record(
    client: TestClient,
    world: World,
    url: str,  # noqa: F811
) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    admin = world.user("NCB-UTO", Role.AGENCY_ADMIN)
    with unit_of_work(world.state.sessions) as session:
        data = PersonCreate(reference="UTO-1", names=[NameIn(name=NAME)])
        pid = service.create(session, actor=owner.actor, data=data).id
    assert client.get(f"/api/v1/persons/{pid}", headers=admin.headers).status_code == 403
    # The web sign-in without the persons helper's check: an administrator's home offers no check form.
    web_sign_in(client, admin.actor.username, admin.password, admin.totp_secret)
    page = client.get(f"/persons/{pid}")
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/html"), page.text
    assert NAME not in page.text
    assert client.get(f"/persons/{pid}/photo").status_code == 403
    for args in (("persons", "show", pid), ("persons", "list")):
        refused = run(url, admin.actor.username, *args, code=2)
        assert isinstance(refused, dict) and "this needs one of the roles" in str(refused["message"]), refused
    # The owner's investigator reads it on each path.
    client.cookies.clear()
    _sign_in(client, owner)
    assert NAME in client.get(f"/persons/{pid}").text
    shown = run(url, owner.actor.username, "persons", "show", pid)
    assert isinstance(shown, dict) and shown["id"] == pid
