"""Service texts in the page's language: a form's error, a check's warnings and a candidate's "why" are said
in French, Spanish or Arabic on those pages (``Translatable``, ``i18n.localise``), user input and record data
isolated in <bdi> and escaped; the API keeps its English texts byte for byte.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from tests.conftest import World, passport_mrz
from tests.e2e.test_persons_api import WANTED, _sign_in

from peacelink.access import Role
from peacelink.persons import retrieval


def _error(page: str) -> str:
    """The error line of a check or search page as HTML."""
    found = re.search(r'<p class="error" id="(?:check|search)-error"[^>]*>(.*?)</p>', page, re.S)
    assert found, "no error line on the page"
    return found.group(1)


def _items(page: str, list_id: str) -> list[str]:
    """The items of a list (warnings, search notes) as HTML."""
    found = re.search(rf'<ul id="{list_id}">(.*?)</ul>', page, re.S)
    assert found, f"no {list_id} on the page"
    return re.findall(r"<li>(.*?)</li>", found.group(1), re.S)


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def _wanted(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    assert client.post("/api/v1/persons", headers=owner.headers, json=WANTED).status_code == 201


def test_a_french_person_check_error_is_french_and_the_api_stays_english(
    client: TestClient, world: World
) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="fr")
    csrf = _sign_in(client, officer)
    page = client.post(
        "/checks/person", data={"csrf": csrf, "names": "Ali Hassan", "date_of_birth": "02/05/1978"}
    )
    assert page.status_code == 422
    assert _text(_error(page.text)).startswith(
        "La vérification n'a pas pu être faite: Une date de naissance s'écrit AAAA, AAAA-MM ou AAAA-MM-JJ."
    )
    assert "YYYY-MM-DD" not in _error(page.text)
    api = client.post(
        "/api/v1/checks/persons",
        headers=officer.headers,
        json={"names": ["Ali Hassan"], "date_of_birth": "02/05/1978"},
    )
    assert api.status_code == 422
    assert api.content == (
        b'{"error":"invalid","message":"a date of birth is YYYY, YYYY-MM or YYYY-MM-DD",'
        b'"field":"date_of_birth"}'
    )


@pytest.mark.parametrize(
    ("language", "form", "said"),
    [
        # A required field, a value too long (refused, not cut: its length is said), a bad code.
        ("fr", {"names": ""}, "Indiquez au moins un nom, ou la ZLA."),
        (
            "es",
            {"names": "Ali", "nationality": "IRQX"},
            "Demasiado largo: como máximo 3 caracteres (el valor tiene 4).",
        ),
        ("ar", {"names": "Ali", "date_of_birth": "2999"}, "لا يمكن أن يكون تاريخ الميلاد بعد اليوم."),
        ("fr", {"names": "Ali", "nationality": "XYZ"}, "« XYZ » n'est ni un code pays ISO 3166-1 alpha-3"),
        ("es", {"names": "Ali", "document": "!"}, "Un número de documento de identidad tiene de 2 a 40"),
        ("fr", {"names": "Ali", "sex": "x"}, "choisissez l'une des valeurs proposées"),
        # Too many parts in one name; a direction override (a name that displays as another).
        (
            "fr",
            {"names": " ".join(["Abc"] * 20)},
            "Le nom commençant par « Abc Abc Abc Abc » compte 20 parties",
        ),
        ("ar", {"names": "\u202eimihsaH"}, "لا يجوز أن يحتوي النص على محارف خفية تفرض اتجاه الكتابة"),
        # A scanned MRZ of the wrong layout.
        ("es", {"mrz": "P<UTO"}, "No se puede leer la ZLM: Una ZLM tiene 3 líneas de 30 caracteres (TD1)"),
    ],
)
def test_the_person_check_form_errors_are_in_the_users_language(
    client: TestClient, world: World, language: str, form: dict[str, str], said: str
) -> None:
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language=language))
    page = client.post("/checks/person", data={"csrf": csrf, **form})
    assert page.status_code == 422 and "data-result" not in page.text
    assert said in _text(_error(page.text))


@pytest.mark.parametrize(
    ("language", "route", "form", "said"),
    [
        ("fr", "/checks/document", {"issuing_country": "UTO"}, "Indiquez le pays de délivrance et le numéro"),
        (
            "es",
            "/checks/document",
            {"issuing_country": "UTO", "number": "!!"},
            "Un número de documento tiene de 1 a 40",
        ),
        ("ar", "/checks/document", {"mrz": "P<UTO"}, "تتعذر قراءة منطقة القراءة الآلية"),
        ("fr", "/checks/vehicle", {"vin": "123"}, "Un VIN compte 17 caractères, pas 3."),
        (
            "es",
            "/checks/vehicle",
            {"plate": "AB 123"},
            "La consulta de una matrícula requiere el país de matriculación.",
        ),
        ("ar", "/checks/vehicle", {"plate": "AB 123", "country": "QQQ"}, "«QQQ» ليس رمز بلد وفق ISO 3166-1"),
    ],
)
def test_the_document_and_vehicle_form_errors_are_in_the_users_language(
    client: TestClient, world: World, language: str, route: str, form: dict[str, str], said: str
) -> None:
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language=language))
    page = client.post(route, data={"csrf": csrf, **form})
    assert page.status_code == 422
    assert said in _text(_error(page.text))


def test_typed_values_in_a_translated_error_are_isolated_and_escaped(
    client: TestClient, world: World
) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="ar")
    csrf = _sign_in(client, officer)
    page = client.post("/checks/person", data={"csrf": csrf, "names": "Ali", "nationality": "<i>"})
    assert page.status_code == 422
    error = _error(page.text)
    assert "«<bdi>&lt;I&gt;</bdi>» ليس رمز بلد" in error and "<I>" not in error
    api = client.post(
        "/api/v1/checks/persons", headers=officer.headers, json={"names": ["Ali"], "nationality": "<i>"}
    )
    assert api.json()["message"] == (
        "'<I>' is not an ISO 3166-1 alpha-3 country code or an ICAO code (D, XXA, UNO, ...)"
    )


def test_an_english_page_says_what_it_always_said(client: TestClient, world: World) -> None:
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    page = client.post("/checks/person", data={"csrf": csrf, "names": "Dr"})
    assert _items(page.text, "warnings") == [
        "<bdi>&#39;Dr&#39; holds only a title or a particle: it matches few records, if any</bdi>"
    ]


def test_a_french_check_and_search_warn_in_french(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="fr")
    csrf = _sign_in(client, officer)
    page = client.post("/checks/person", data={"csrf": csrf, "names": "Dr"})
    said = "« <bdi>Dr</bdi> » ne contient qu&#39;un titre ou une particule"
    assert page.status_code == 200 and said in _items(page.text, "warnings")[0]
    api = client.post("/api/v1/checks/persons", headers=officer.headers, json={"names": ["Dr"]})
    assert api.json()["warnings"] == ["'Dr' holds only a title or a particle: it matches few records, if any"]
    client.cookies.clear()
    _sign_in(client, world.user("NCB-CAF", Role.INVESTIGATOR, language="fr"))
    search = client.get("/persons/search", params={"name": "Dr"})
    assert search.status_code == 200 and said in _items(search.text, "search-notes")[0]


def test_a_scanned_mrz_warns_in_spanish(client: TestClient, world: World) -> None:
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language="es"))
    page = client.post(
        "/checks/person", data={"csrf": csrf, "mrz": "\n".join(passport_mrz()), "date_of_birth": "1979"}
    )
    assert page.status_code == 200
    assert _text(_items(page.text, "warnings")[0]) == (
        "Fecha de nacimiento: la ZLM indica 1978-05-02; la consulta usa la fecha indicada, 1979."
    )


def test_ahmed_alone_among_many_ahmeds_is_warned_in_french(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Four Ahmeds where a key held by more than 3 persons is a stop key (test_person_check_limits.py).
    monkeypatch.setattr(retrieval, "stop_key_cap", lambda population: 3)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    for index in range(4):
        body = {"reference": f"A-{index}", "names": [{"name": "Ahmed"}], "dates_of_birth": [f"197{index}"]}
        assert client.post("/api/v1/persons", headers=owner.headers, json=body).status_code == 201
    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="fr")
    csrf = _sign_in(client, officer)
    page = client.post("/checks/person", data={"csrf": csrf, "names": "Ahmed"})
    assert _items(page.text, "warnings") == [
        "Ces noms sont trop courants pour être recherchés seuls : ajoutez une autre partie du nom, "
        "une date de naissance ou une nationalité."
    ]
    initials = client.post("/checks/person", data={"csrf": csrf, "names": "A. B."})
    assert _text(_items(initials.text, "warnings")[0]).startswith(
        "Les noms ne comportent que des initiales : rien à rechercher"
    )
    api = client.post("/api/v1/checks/persons", headers=officer.headers, json={"names": ["Ahmed"]})
    assert api.json()["warnings"] == [
        "the names are too common to look up on their own: add another part of the name, a date of birth or "
        "a nationality"
    ]


def _factors(page: str) -> list[str]:
    """The factor lines of the first candidate's "why" list, as text."""
    found = re.search(r'<ul class="explanation">(.*?)</ul>', page, re.S)
    assert found, "no explanation on the page"
    return [_text(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def test_an_arabic_page_explains_a_candidate_in_arabic(client: TestClient, world: World) -> None:
    _wanted(client, world)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="ar")
    csrf = _sign_in(client, officer)
    form = {"names": "Hashimi", "date_of_birth": "1978", "nationality": "UTO", "sex": "male"}
    page = client.post("/checks/person", data={"csrf": csrf, **form})
    assert page.status_code == 200
    factors = _factors(page.text)
    assert any(
        line.endswith("تاريخ الميلاد: 1978 (التحقق) / 1978-05-02 (السجل): السنة نفسها") for line in factors
    )
    assert any(line.endswith("الجنسية: مشتركة: UTO") for line in factors)
    assert any(line.endswith("الجنس: الجنس نفسه: ذكر") for line in factors)
    assert any("الاسم المطلوب ليس فيه إلا جزء كامل واحد" in line for line in factors)
    # Record data isolated in <bdi>, so "1978-05-02" keeps its order in an Arabic sentence.
    assert "<bdi>1978</bdi> (التحقق) / <bdi>1978-05-02</bdi> (السجل)" in page.text
    api = client.post("/api/v1/checks/persons", headers=officer.headers, json={**form, "names": ["Hashimi"]})
    details = [f["detail"] for f in api.json()["candidates"][0]["explanation"]["factors"]]
    assert "1978 vs 1978-05-02: same year" in details and "shared: UTO" in details and "both M" in details


def test_a_facts_lead_and_pooled_names_are_explained_in_french(client: TestClient, world: World) -> None:
    _wanted(client, world)
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    aliases = {
        "reference": "UTO-2024-002",
        "names": [{"name": "Azzam Abdullah al-Subhi"}, {"name": "Mansur al-Harbi", "kind": "alias"}],
    }
    assert client.post("/api/v1/persons", headers=owner.headers, json=aliases).status_code == 201
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language="fr"))
    lead = client.post(
        "/checks/person",
        data={"csrf": csrf, "names": "Quentin Zorglub", "date_of_birth": "1978-05-02", "nationality": "UTO"},
    )
    assert any(
        "même date de naissance et même nationalité (1978-05-02, UTO), que très peu de personnes partagent ; "
        "aucune partie du nom ne concorde" in line
        for line in _factors(lead.text)
    )
    pooled = client.post("/checks/person", data={"csrf": csrf, "names": "Abdallah al-Harbi"})
    assert "Noms comparés: <bdi>Abdallah al-Harbi</bdi> ~ (parties de plusieurs noms)" in pooled.text


def test_the_record_page_says_a_missing_record_in_spanish(client: TestClient, world: World) -> None:
    _sign_in(client, world.user("NCB-CAF", Role.INVESTIGATOR, language="es"))
    page = client.get("/persons/nope")
    assert page.status_code == 404
    assert "No hay ninguna ficha de persona <bdi>nope</bdi> visible para su agencia." in page.text


def test_a_held_document_is_explained_in_french(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    holder = {
        **WANTED,
        "identifiers": [{"type": "passport", "number": "L898902C3", "country": "UTO"}],
    }
    assert client.post("/api/v1/persons", headers=owner.headers, json=holder).status_code == 201
    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="fr")
    csrf = _sign_in(client, officer)
    form = {"names": "Quentin Zorglub", "document": "L898902C3", "document_country": "UTO"}
    page = client.post("/checks/person", data={"csrf": csrf, **form})
    assert any(
        line.endswith("détient le document présenté L898902C3, délivré par UTO ; le nom lui correspond mal")
        for line in _factors(page.text)
    )
    api = client.post(
        "/api/v1/checks/persons",
        headers=officer.headers,
        json={"names": ["Quentin Zorglub"], "document": {"number": "L898902C3", "country": "UTO"}},
    )
    details = [f["detail"] for f in api.json()["candidates"][0]["explanation"]["factors"]]
    assert "holds the presented document L898902C3 issued by UTO; the name does not match it well" in details


def test_a_name_matched_through_its_reading_is_marked_in_french(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    for reference, name in (("SOM-1", "Maxamed Cali Faarax"), ("SOM-2", "Hassan Hussein Adan")):
        body = {"reference": reference, "names": [{"name": name}], "nationalities": ["SOM"]}
        assert client.post("/api/v1/persons", headers=owner.headers, json=body).status_code == 201
    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="fr")
    csrf = _sign_in(client, officer)
    # The record's name read (rebuilt with its readings from the stored parts: persons/keys.py), then the
    # check's own: the label in French, the names as given, isolated and untranslated.
    record = client.post("/checks/person", data={"csrf": csrf, "names": "Mohamed Ali Farah"})
    assert (
        "Noms comparés: <bdi>Mohamed Ali Farah</bdi> ~ "
        "<bdi>Maxamed Cali Faarax</bdi> (lu selon l&#39;orthographe somalie)"
    ) in record.text
    typed = client.post("/checks/person", data={"csrf": csrf, "names": "Xassaan Xuseen Adan"})
    assert (
        "Noms comparés: <bdi>Xassaan Xuseen Adan</bdi> (lu selon l&#39;orthographe somalie) ~ "
        "<bdi>Hassan Hussein Adan</bdi>"
    ) in typed.text
    assert "read as Somali spelling" not in record.text + typed.text
    # The API says what it always said.
    api = client.post(
        "/api/v1/checks/persons", headers=officer.headers, json={"names": ["Mohamed Ali Farah"]}
    )
    assert api.json()["candidates"][0]["explanation"]["name"]["candidate_name"] == (
        "Maxamed Cali Faarax (read as Somali spelling)"
    )
    assert b'"candidate_name":"Maxamed Cali Faarax (read as Somali spelling)"' in api.content
    # An English page too: the name and its label in one <bdi>, as it always showed them.
    client.cookies.clear()
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER))
    english = client.post("/checks/person", data={"csrf": csrf, "names": "Mohamed Ali Farah"})
    assert (
        "<bdi>Mohamed Ali Farah</bdi> ~ <bdi>Maxamed Cali Faarax (read as Somali spelling)</bdi>"
    ) in english.text


def test_a_name_matched_through_its_reading_is_marked_in_arabic(client: TestClient, world: World) -> None:
    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    body = {"reference": "PAK-1", "names": [{"name": "عثمان غني"}], "nationalities": ["PAK"]}
    assert client.post("/api/v1/persons", headers=owner.headers, json=body).status_code == 201
    csrf = _sign_in(client, world.user("MINUSCA", Role.FIELD_OFFICER, language="ar"))
    page = client.post("/checks/person", data={"csrf": csrf, "names": "Usman Ghani"})
    assert "<bdi>عثمان غني</bdi> (مقروءًا كما في الفارسية أو الأردية أو التركية)" in page.text
