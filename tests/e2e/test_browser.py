"""The web app in headless Chromium: sign in with password and TOTP, see the checkpoint, switch to Arabic."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pyotp
import pytest
import uvicorn
from tests.conftest import PASSWORD, World

from peacelink.access import Role
from peacelink.api.app import create_app
from peacelink.settings import Settings

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(world: World, settings: Settings) -> Iterator[str]:
    if not shutil.which("chromium") and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium (make browser installs it)")
        pytest.skip("chromium is not installed (run: make browser)")
    port = _free_port()
    # Secure cookies on, as in production: Chromium accepts them on http://127.0.0.1 (a secure context).
    world.state.settings = settings.model_copy(update={"cookie_secure": True})
    app = create_app(world.state.settings, state=world.state)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_sign_in_and_arabic(server: str, world: World) -> None:
    from playwright.sync_api import sync_playwright

    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="en")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.goto(server + "/")
            assert page.url.endswith("/login")
            page.fill("#username", officer.actor.username)
            page.fill("#password", PASSWORD)
            page.click("#signin-submit")
            page.wait_for_url("**/login/code")
            page.fill("#code", pyotp.TOTP(officer.totp_secret).now())
            page.click("#code-submit")
            page.wait_for_url(server + "/")
            assert page.inner_text("#who-user") == officer.actor.username
            assert page.inner_text("#who-agency") == "MINUSCA"
            # Styles come from the npm-installed Pico CSS, served by the app itself.
            assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
            page.select_option("#language", "ar")
            page.click("#language-submit")
            page.wait_for_load_state()
            assert page.get_attribute("html", "dir") == "rtl"
            assert page.inner_text("#page-title") == "نقطة التفتيش"
            page.click("#signout")
            page.wait_for_url("**/login")
        finally:
            browser.close()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_wrong_code_shows_error(server: str, world: World) -> None:
    from playwright.sync_api import sync_playwright

    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.goto(server + "/login")
            page.fill("#username", officer.actor.username)
            page.fill("#password", PASSWORD)
            page.click("#signin-submit")
            page.wait_for_url("**/login/code")
            page.fill("#code", "000000")
            page.click("#code-submit")
            assert page.is_visible("#code-error")
        finally:
            browser.close()
