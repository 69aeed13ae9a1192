"""Person record rules over HTTP and the CLI: photos are whole images under version control, a cancelled
record is frozen, a person shows only the linked records the reader may see, dates of birth are checked."""

from __future__ import annotations

import io
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from PIL import Image
from tests.conftest import Account, World
from tests.e2e.test_cli_checks import run, url  # noqa: F401 - the url fixture

from peacelink.access import Role

PERSON = {"reference": "UTO-RULES-1", "names": [{"name": "Mohamed Al-Hashimi"}], "dates_of_birth": ["1978"]}


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 30, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def _create(client: TestClient, account: Account, **fields: object) -> dict[str, Any]:
    response = client.post("/api/v1/persons", headers=account.headers, json={**PERSON, **fields})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def _put_photo(
    client: TestClient, account: Account, person_id: object, body: bytes, kind: str, version: int | None
) -> Response:
    params = {} if version is None else {"version": version}
    response: Response = client.put(
        f"/api/v1/persons/{person_id}/photo",
        headers={**account.headers, "Content-Type": kind},
        params=params,
        content=body,
    )
    return response


def test_photo_must_be_a_whole_decodable_image_of_its_type(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    person = _create(client, owner)
    url_ = f"/api/v1/persons/{person['id']}"
    png, jpeg = _image("PNG"), _image("JPEG")
    stored = _put_photo(client, owner, person["id"], png, "image/png", 1)
    assert stored.status_code == 200, stored.text
    assert stored.json()["has_photo"] is True and stored.json()["version"] == 2
    bad_bodies = [
        (b"\xff\xd8\xff", "image/jpeg"),  # the audit's three-byte "JPEG"
        (jpeg[:-2], "image/jpeg"),  # no end-of-image marker
        (jpeg[: len(jpeg) // 2], "image/jpeg"),  # cut in the middle of the scan
        (png[:-12], "image/png"),  # no IEND chunk
        (png[: len(png) // 2], "image/png"),  # cut in the image data
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),  # the magic and nothing else
        (png, "image/jpeg"),  # a real PNG declared as JPEG
        (jpeg, "image/png"),  # a real JPEG declared as PNG
    ]
    for body, kind in bad_bodies:
        refused = _put_photo(client, owner, person["id"], body, kind, 2)
        assert refused.status_code == 422, (len(body), kind, refused.text)
        assert refused.json()["field"] in {"body", "content-type"}
    # Nothing changed: the valid photo is still served and the version did not move.
    served = client.get(f"{url_}/photo", headers=owner.headers)
    assert served.status_code == 200 and served.content == png
    assert client.get(url_, headers=owner.headers).json()["version"] == 2
    replaced = _put_photo(client, owner, person["id"], jpeg, "image/jpeg", 2)
    assert replaced.status_code == 200 and replaced.json()["version"] == 3
    served = client.get(f"{url_}/photo", headers=owner.headers)
    assert served.content == jpeg and served.headers["content-type"] == "image/jpeg"


def test_photo_follows_the_version_rules_of_patch(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    person = _create(client, owner)
    url_ = f"/api/v1/persons/{person['id']}"
    png = _image("PNG")
    missing = _put_photo(client, owner, person["id"], png, "image/png", None)
    assert missing.status_code == 422 and missing.json()["field"] == "version"
    stale = _put_photo(client, owner, person["id"], png, "image/png", 7)
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    assert client.get(url_, headers=owner.headers).json()["has_photo"] is False
    assert _put_photo(client, owner, person["id"], png, "image/png", 1).status_code == 200
    # A PATCH prepared from the read before the photo changed is now stale, and the other way round.
    assert client.patch(url_, headers=owner.headers, json={"version": 1, "action": "x"}).status_code == 409
    assert client.patch(url_, headers=owner.headers, json={"version": 2, "action": "x"}).status_code == 200
    again = _put_photo(client, owner, person["id"], _image("JPEG"), "image/jpeg", 2)
    assert again.status_code == 409
    assert client.get(f"{url_}/photo", headers=owner.headers).content == png
    spec = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/persons/{person_id}/photo"]["put"]
    version = next(p for p in spec["parameters"] if p["name"] == "version")
    assert version["in"] == "query" and version["required"] is True
    assert "409" in spec["description"]


def test_a_cancelled_record_is_frozen(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    person = _create(client, owner)
    url_ = f"/api/v1/persons/{person['id']}"
    cancelled = client.post(f"{url_}/cancel", headers=owner.headers, json={"version": 1})
    assert cancelled.status_code == 200 and cancelled.json()["version"] == 2
    patched = client.patch(url_, headers=owner.headers, json={"version": 2, "action": "revived"})
    assert patched.status_code == 409
    assert patched.json()["message"] == (
        f"person {person['id']} is cancelled; a cancelled record can no longer be changed"
    )
    photo = _put_photo(client, owner, person["id"], _image("PNG"), "image/png", 2)
    assert photo.status_code == 409
    again = client.post(f"{url_}/cancel", headers=owner.headers, json={"version": 2})
    assert again.status_code == 409
    assert again.json()["message"] == f"person {person['id']} is already cancelled"
    after = client.get(url_, headers=owner.headers).json()
    assert after["version"] == 2 and after["action"] == "" and after["has_photo"] is False


def test_a_person_lists_only_the_linked_records_the_reader_may_see(
    client: TestClient,
    world: World,
    url: str,  # noqa: F811
) -> None:
    uto = world.user("NCB-UTO", Role.INVESTIGATOR, Role.ANALYST)
    caf = world.user("NCB-CAF", Role.INVESTIGATOR)
    mission = world.user("MINUSCA", Role.FIELD_OFFICER, Role.ANALYST)
    base = {"document_type": "passport", "status": "stolen", "issuing_country": "CAF"}
    hidden_doc = client.post(
        "/api/v1/documents",
        headers=caf.headers,
        json={**base, "number": "CAF111111", "visibility": "all_except", "visibility_agencies": ["MINUSCA"]},
    ).json()["id"]
    open_doc = client.post("/api/v1/documents", headers=caf.headers, json={**base, "number": "CAF222222"})
    open_doc_id = open_doc.json()["id"]
    hidden_vehicle = client.post(
        "/api/v1/vehicles",
        headers=caf.headers,
        json={
            "vin": "1M8GDM9AXKP042788",
            "visibility": "only",
            "visibility_agencies": ["NCB-UTO"],
        },
    ).json()["id"]
    assert client.get(f"/api/v1/documents/{hidden_doc}", headers=mission.headers).status_code == 404
    assert client.get(f"/api/v1/vehicles/{hidden_vehicle}", headers=mission.headers).status_code == 404
    person = _create(
        client,
        uto,
        names=[{"name": "Ivan Petrov"}],
        travel_document_ids=[hidden_doc, open_doc_id],
        vehicle_ids=[hidden_vehicle],
    )
    assert sorted(person["travel_document_ids"]) == sorted([hidden_doc, open_doc_id])
    assert person["vehicle_ids"] == [hidden_vehicle]
    seen = client.get(f"/api/v1/persons/{person['id']}", headers=mission.headers).json()
    assert seen["travel_document_ids"] == [open_doc_id] and seen["vehicle_ids"] == []
    found = client.get("/api/v1/persons/search", headers=mission.headers, params={"name": "Ivan Petrov"})
    [row] = found.json()
    assert row["person"]["travel_document_ids"] == [open_doc_id] and row["person"]["vehicle_ids"] == []
    # The owner still sees every link; so does the CLI's show for each reader.
    owner_view = client.get(f"/api/v1/persons/{person['id']}", headers=uto.headers).json()
    assert owner_view["vehicle_ids"] == [hidden_vehicle] and len(owner_view["travel_document_ids"]) == 2
    shown = run(url, mission.actor.username, "persons", "show", str(person["id"]))
    assert isinstance(shown, dict)
    assert shown["travel_document_ids"] == [open_doc_id] and shown["vehicle_ids"] == []
    # Once the document owner also hides the open document, it leaves the view too.
    document = client.get(f"/api/v1/documents/{open_doc_id}", headers=caf.headers).json()
    hide = {"version": document["version"], "visibility": "only", "visibility_agencies": ["NCB-UTO"]}
    assert client.patch(f"/api/v1/documents/{open_doc_id}", headers=caf.headers, json=hide).status_code == 200
    seen = client.get(f"/api/v1/persons/{person['id']}", headers=mission.headers).json()
    assert seen["travel_document_ids"] == []


def test_dates_of_birth_out_of_range_or_in_the_future_are_refused(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    cases = {
        "1066": "a date of birth cannot be before 1880",
        "1879-12-31": "a date of birth cannot be before 1880",
        "2099": "a date of birth cannot be after today",
        "2999-01-01": "a date of birth cannot be after today",
        "19780": "a date of birth is YYYY, YYYY-MM or YYYY-MM-DD",
        "1978-02-30": "1978-02-30 is not a calendar date",
        "1978-13": "1978-13 is not a calendar date",
    }
    for given, message in cases.items():
        refused = client.post(
            "/api/v1/persons", headers=owner.headers, json={**PERSON, "dates_of_birth": ["1970", given]}
        )
        assert refused.status_code == 422, (given, refused.text)
        assert refused.json()["message"] == message and refused.json()["field"] == "dates_of_birth.1"
        check = client.post(
            "/api/v1/checks/persons", headers=officer.headers, json={"names": ["Ali"], "date_of_birth": given}
        )
        assert check.status_code == 422 and check.json()["message"] == message, (given, check.text)
    assert client.get("/api/v1/persons", headers=owner.headers).json() == []
    person = _create(client, owner)
    patched = client.patch(
        f"/api/v1/persons/{person['id']}",
        headers=owner.headers,
        json={"version": 1, "dates_of_birth": ["2099"]},
    )
    assert patched.status_code == 422 and patched.json()["message"] == "a date of birth cannot be after today"
    assert client.get(f"/api/v1/persons/{person['id']}", headers=owner.headers).json()["version"] == 1


def _photo_with_metadata(fmt: str) -> bytes:
    """A 40x30 phone-like photo: EXIF with a GPS position and orientation 6 (turn 90 degrees to show)."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x8825] = {1: "N", 2: (9.0, 1.0, 30.0), 3: "E", 4: (18.0, 33.0, 0.0)}  # GPSInfo: Bangui
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 30, 200)).save(buffer, format=fmt, exif=exif.tobytes())
    return buffer.getvalue()


def test_a_photo_is_stored_without_its_metadata_and_upright(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    person = _create(client, owner)
    plain = _image("PNG")
    for version, (body, kind) in enumerate(
        [(_photo_with_metadata("JPEG"), "image/jpeg"), (_photo_with_metadata("PNG"), "image/png")], start=1
    ):
        with Image.open(io.BytesIO(body)) as sent:
            assert sent.getexif().get_ifd(0x8825)  # the test photo does carry a position
        assert _put_photo(client, owner, person["id"], body, kind, version).status_code == 200
        served = client.get(f"/api/v1/persons/{person['id']}/photo", headers=owner.headers)
        assert served.headers["content-type"] == kind
        with Image.open(io.BytesIO(served.content)) as stored:
            assert not stored.getexif() and "exif" not in stored.info  # no position, no device, no time
            assert stored.size == (30, 40)  # turned upright, as its orientation said
    # A photo without metadata is stored byte for byte.
    assert _put_photo(client, owner, person["id"], plain, "image/png", 3).status_code == 200
    assert client.get(f"/api/v1/persons/{person['id']}/photo", headers=owner.headers).content == plain
