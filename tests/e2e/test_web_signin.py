"""Web sign-in: password then TOTP, CSRF on every form, lockout, secure cookies, languages."""

from __future__ import annotations

import re

import pyotp
from fastapi.testclient import TestClient
from tests.conftest import PASSWORD, World

from peacelink.access import Role


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "form without CSRF token"
    return match.group(1)


def _sign_in(client: TestClient, username: str, password: str, secret: str) -> None:
    page = client.get("/login")
    first = client.post(
        "/login",
        data={"username": username, "password": password, "csrf": _csrf(page.text)},
        follow_redirects=False,
    )
    assert first.status_code == 303 and first.headers["location"] == "/login/code"
    code_page = client.get("/login/code")
    second = client.post(
        "/login/code",
        follow_redirects=False,
        data={"code": pyotp.TOTP(secret).now(), "csrf": _csrf(code_page.text)},
    )
    assert second.status_code == 303 and second.headers["location"] == "/"


def test_full_sign_in_reaches_checkpoint(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    _sign_in(client, officer.actor.username, PASSWORD, officer.totp_secret)
    home = client.get("/")
    assert home.status_code == 200
    assert officer.actor.username in home.text and "MINUSCA" in home.text
    assert "default-src 'self'" in home.headers["content-security-policy"]


def test_cookies_are_httponly_strict(client: TestClient, world: World) -> None:
    page = client.get("/login")
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")


def test_password_alone_is_not_enough(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    page = client.get("/login")
    client.post(
        "/login", data={"username": officer.actor.username, "password": PASSWORD, "csrf": _csrf(page.text)}
    )
    assert client.get("/", follow_redirects=False).status_code == 303
    code_page = client.get("/login/code")
    wrong = client.post("/login/code", data={"code": "000000", "csrf": _csrf(code_page.text)})
    assert wrong.status_code == 401
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_without_csrf_is_refused(client: TestClient, world: World) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf": "forged"})
    assert response.status_code == 403


def test_lockout_after_repeated_failures(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    page = client.get("/login")
    token = _csrf(page.text)
    statuses = [
        client.post(
            "/login", data={"username": officer.actor.username, "password": "wrong password!", "csrf": token}
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 423]
    # Even the right password is refused while locked.
    locked = client.post(
        "/login", data={"username": officer.actor.username, "password": PASSWORD, "csrf": token}
    )
    assert locked.status_code == 423


def test_unknown_user_gets_same_answer(client: TestClient, world: World) -> None:
    page = client.get("/login")
    response = client.post(
        "/login", data={"username": "nobody", "password": "whatever123456", "csrf": _csrf(page.text)}
    )
    assert response.status_code == 401


def test_language_is_per_user_and_arabic_is_rtl(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="fr")
    _sign_in(client, officer.actor.username, PASSWORD, officer.totp_secret)
    home = client.get("/")
    assert 'lang="fr"' in home.text and "Point de contrôle" in home.text
    changed = client.post(
        "/language", data={"language": "ar", "csrf": _csrf(home.text)}, follow_redirects=True
    )
    assert 'dir="rtl"' in changed.text and 'lang="ar"' in changed.text
    forged = client.post("/language", data={"language": "es", "csrf": "nope"})
    assert forged.status_code == 403


def test_sign_out_ends_session(client: TestClient, world: World) -> None:
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    _sign_in(client, officer.actor.username, PASSWORD, officer.totp_secret)
    home = client.get("/")
    client.post("/logout", data={"csrf": _csrf(home.text)})
    assert client.get("/", follow_redirects=False).status_code == 303


def test_expired_sessions_are_purged_at_sign_in(client: TestClient, world: World) -> None:
    import datetime as dt

    from sqlalchemy import func, select, update

    from peacelink.db.unit_of_work import unit_of_work
    from peacelink.users.models import WebSession

    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    _sign_in(client, officer.actor.username, PASSWORD, officer.totp_secret)
    with unit_of_work(world.state.sessions) as session:
        session.execute(
            update(WebSession).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
    page = client.get("/login")
    client.post(
        "/login", data={"username": officer.actor.username, "password": PASSWORD, "csrf": _csrf(page.text)}
    )
    with unit_of_work(world.state.sessions) as session:
        remaining = session.scalar(select(func.count()).select_from(WebSession))
    assert remaining == 1  # only the new half session
