"""The web app in headless Chromium: sign in with password and TOTP, see the checkpoint, switch to Arabic."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest
import uvicorn
from tests.conftest import PASSWORD, World

from peacelink.access import Role
from peacelink.api.app import create_app
from peacelink.matching.names.forms import preload as preload_name_forms
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
    # The tests store persons once it runs: build the name-form tagger first, as `peacelink serve` does at
    # start-up for a database with persons (cli.server.preload_name_forms). Its first use in a process takes
    # 5-10 s, past httpx's 5 s timeout.
    preload_name_forms()
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
            # Ethiopic letters have a font even on a device with none: Noto Sans Ethiopic, from npm.
            assert "PeaceLink Ethiopic" in page.evaluate("getComputedStyle(document.body).fontFamily")
            loaded = page.evaluate(
                "document.fonts.load('16px \"PeaceLink Ethiopic\"', 'ሀ').then(faces => faces.length)"
            )
            assert loaded == 1 and page.evaluate("document.fonts.check('16px \"PeaceLink Ethiopic\"', 'ሀ')")
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


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_document_hit_translated_in_french_and_arabic(server: str, world: World) -> None:
    import httpx
    from playwright.sync_api import sync_playwright

    owner = world.user("NCB-UTO", Role.INVESTIGATOR)
    report = {
        "issuing_country": "UTO",
        "document_type": "passport",
        "number": "L898902C3",
        "status": "stolen",
        "action": "Seize the passport, call NCB Utopia",
    }
    created = httpx.post(server + "/api/v1/documents", headers=owner.headers, json=report)
    assert created.status_code == 201, created.text
    officer = world.user("MINUSCA", Role.FIELD_OFFICER, language="fr")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.goto(server + "/login")
            page.fill("#username", officer.actor.username)
            page.fill("#password", PASSWORD)
            page.click("#signin-submit")
            page.wait_for_url("**/login/code")
            page.fill("#code", pyotp.TOTP(officer.totp_secret).now())
            page.click("#code-submit")
            page.wait_for_url(server + "/")

            def check() -> None:
                page.goto(server + "/")
                page.fill("#issuing_country", "UTO")
                page.fill("#number", "L898902C3")
                page.click("#check-document-submit")
                page.wait_for_load_state()
                assert page.get_attribute("#result", "data-result") == "hit"
                # The same navigation on the result page as everywhere: sections, language, sign-out;
                # not the person search, which a field officer's role may not use.
                for link in ("#nav-checkpoint", "#nav-hits", "#nav-messages", "#signout"):
                    assert page.is_visible(link)
                assert page.locator("#nav-persons").count() == 0

            check()
            assert page.get_attribute("html", "dir") == "ltr"
            assert "CONCORDANCE" in page.inner_text("#result")
            assert "confirmez auprès du service propriétaire" in page.inner_text("#result")
            assert "Le service propriétaire a été averti" in page.inner_text("#owner-told")
            card = page.inner_text("#hit-1")
            assert "Documents de voyage" in card and "Service propriétaire" in card and "NCB-UTO" in card
            assert "Mesure à prendre" in card and "Seize the passport, call NCB Utopia" in card
            # Record labels and coded values are translated, never raw keys.
            assert "Pays de délivrance" in card and "passeport" in card and "volé" in card
            assert "issuing_country" not in card and "document_type" not in card

            page.select_option("#language", "ar")
            page.click("#language-submit")
            page.wait_for_url(server + "/")
            check()
            assert page.get_attribute("html", "dir") == "rtl"
            assert page.get_attribute("html", "lang") == "ar"
            assert "تطابق محتمل" in page.inner_text("#result")
            assert "تم إبلاغ الجهة المالكة" in page.inner_text("#owner-told")
            card = page.inner_text("#hit-1")
            assert "الجهة المالكة" in card and "الإجراء الواجب اتخاذه" in card and "وثائق السفر" in card
            assert "جواز سفر" in card and "مسروق" in card and "issuing_country" not in card
            # Right-to-left for real: the verdict's text starts on the right.
            assert page.evaluate("getComputedStyle(document.querySelector('#verdict')).direction") == "rtl"
        finally:
            browser.close()


def _signed_in_page(browser: Any, server: str, account: Any, width: int, csp_errors: list[str]) -> Any:
    """A page ``width`` CSS pixels wide, signed in as ``account``; its CSP complaints go to ``csp_errors``."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(server + "/login")
    page.fill("#username", account.actor.username)
    page.fill("#password", PASSWORD)
    page.click("#signin-submit")
    page.wait_for_url("**/login/code")
    page.fill("#code", pyotp.TOTP(account.totp_secret).now())
    page.click("#code-submit")
    page.wait_for_url(server + "/")
    return page


PAGE_WIDTH = "document.documentElement.scrollWidth"
SPECIMEN = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_hit_queue_record_and_forms_on_a_phone(server: str, world: World) -> None:
    """At 375 px: Enter in a hit's note never decides, the decision buttons are on screen, a record with long
    values stays the screen's width, an MRZ line fits its box, a refused check focuses the refused box."""
    import httpx
    from playwright.sync_api import sync_playwright

    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    document = {
        "issuing_country": "UTO",
        "document_type": "passport",
        "number": "L898902C3",
        "status": "stolen",
        "action": "Seize" + "-" * 400,  # one unbroken word
    }
    created = httpx.post(server + "/api/v1/documents", headers=owner.headers, json=document)
    assert created.status_code == 201, created.text
    person = {
        "reference": "UTO-LONG-1",
        "names": [{"name": "Mohamed Al-Hashimi", "kind": "primary"}, {"name": "N" * 300, "kind": "alias"}],
        "description": "D" * 2000,
        "travel_document_ids": [created.json()["id"]],
    }
    person_id = httpx.post(server + "/api/v1/persons", headers=owner.headers, json=person).json()["id"]
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            csp_errors: list[str] = []
            page = _signed_in_page(browser, server, officer, 1280, csp_errors)
            page.fill("#issuing_country", "UTO")
            page.fill("#number", "L898902C3")
            page.click("#check-document-submit")
            page.wait_for_load_state()
            # The owner's long action wraps inside its card.
            assert page.evaluate("(c => c.scrollWidth <= c.clientWidth)(document.querySelector('#hit-1'))")
            page.set_viewport_size({"width": 375, "height": 800})
            page.goto(server + "/")
            assert page.evaluate(PAGE_WIDTH) <= 375
            for box in ("#person-mrz", "#mrz"):  # both lines whole, none wrapped or cut
                page.fill(box, SPECIMEN)
                fits = "t => t.scrollWidth <= t.clientWidth && t.scrollHeight <= t.clientHeight"
                assert page.eval_on_selector(box, fits), box
            page.fill("#issuing_country", "UTOX")
            page.fill("#number", "L898902C3")
            page.click("#check-document-submit")
            page.wait_for_load_state()
            assert page.evaluate("document.activeElement.id") == "issuing_country"
            page.goto(server + "/")
            page.keyboard.press("Tab")  # from the top, the first stop is the skip link
            assert page.evaluate("document.activeElement.id") == "skip-link"
            assert csp_errors == []  # htmx's inline indicator style among them, before
            page.close()

            page = _signed_in_page(browser, server, owner, 375, csp_errors)
            page.goto(server + f"/persons/{person_id}")
            assert page.evaluate(PAGE_WIDTH) <= 375
            assert page.title().startswith("Mohamed Al-Hashimi · ")
            page.goto(server + "/hits")
            assert page.evaluate(PAGE_WIDTH) <= 375
            for button in page.query_selector_all("form.decide button"):
                box = button.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
            note = page.locator("form.decide [name=note]").first
            note.fill("Seen the holder")
            note.press("Enter")  # a new line, not Confirm
            page.wait_for_timeout(300)
            assert page.url.endswith("/hits") and note.input_value() == "Seen the holder\n"
            page.goto(server + "/hits")
            assert page.get_attribute("#hits-table tbody tr", "data-status") == "new"
            assert csp_errors == []
        finally:
            browser.close()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_person_hit_on_a_phone_shows_what_was_asked_and_opens_the_record(server: str, world: World) -> None:
    """At 375 px the hit card holds the score, what the officer asked (a long name as typed wraps) and the
    link to the record, all on screen; the link opens the record for the owner."""
    import httpx
    from playwright.sync_api import sync_playwright

    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    person = {
        "reference": "UTO-ASKED-1",
        "names": [{"name": "Mohamed Al-Hashimi", "kind": "primary"}],
        "dates_of_birth": ["1978-05-02"],
        "nationalities": ["UTO"],
    }
    person_id = httpx.post(server + "/api/v1/persons", headers=owner.headers, json=person).json()["id"]
    asked = {
        "names": ["Hashimi, Muhammad", "Al-Hashimi" + "i" * 60],
        "date_of_birth": "1978-05-02",
        "nationality": "UTO",
        "document": "L898902C3",
    }
    checked = httpx.post(server + "/api/v1/checks/persons", headers=officer.headers, json=asked)
    assert checked.json()["result"] == "hit", checked.text
    hit_id = checked.json()["hits"][0]["hit_id"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            csp_errors: list[str] = []
            page = _signed_in_page(browser, server, owner, 375, csp_errors)
            page.goto(server + "/hits")
            assert page.evaluate(PAGE_WIDTH) <= 375
            for selector in (f"#asked-{hit_id}", f"#score-{hit_id}", f"#record-{hit_id}"):
                box = page.locator(selector).bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, selector
            text = page.inner_text(f"#asked-{hit_id}")
            assert "Hashimi, Muhammad" in text and "born 1978-05-02" in text and "L898902C3" in text
            assert page.inner_text(f"#score-{hit_id}").startswith("Score ")
            page.click(f"#record-{hit_id}")
            page.wait_for_url(server + f"/persons/{person_id}")
            assert page.title().startswith("Mohamed Al-Hashimi · ")
            assert csp_errors == []
        finally:
            browser.close()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_dna_comparison_table_on_a_phone_never_breaks_a_heading_inside_a_word(
    server: str, world: World
) -> None:
    """At 375 px the locus table of a DNA hit scrolls sideways in its box: its one-word headings ("Candidate",
    "Probability") stay whole, never squeezed to a letter or two per line (the card's "wrap anywhere")."""
    import random

    import httpx
    from playwright.sync_api import sync_playwright
    from tests.integration.test_dna_service import random_loci

    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    loci = random_loci(random.Random(5))
    body = {"kind": "stain", "reference": "CASE-9", "loci": loci, "action": "call NCB Utopia"}
    created = httpx.post(server + "/api/v1/dna/profiles", headers=owner.headers, json=body)
    assert created.status_code == 201, created.text
    typed = "\n".join(f"{locus}: {', '.join(alleles)}" for locus, alleles in loci.items())
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = _signed_in_page(browser, server, officer, 375, [])
            page.goto(server + "/dna")
            page.fill("#check-loci", typed)
            page.click("#dna-check-submit")
            page.wait_for_selector("#comparison-1")
            lines = page.evaluate(
                """() => [...document.querySelectorAll('#comparison-1 th')].map(th => {
                    const range = document.createRange(); range.selectNodeContents(th);
                    const tops = [...range.getClientRects()].map(r => Math.round(r.top));
                    return [th.textContent, new Set(tops).size];
                })"""
            )
            assert lines and all(count == 1 for _, count in lines), lines
            assert page.evaluate(PAGE_WIDTH) <= 375
        finally:
            browser.close()


# The element the keyboard is on: its id (or tag) and whether a ring shows it (an outline of 2px or more).
FOCUS_SHOWN = """() => { const e = document.activeElement, s = getComputedStyle(e);
  return [e.id || e.tagName, s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2]; }"""


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_keyboard_always_shows_where_it_is(server: str, world: World) -> None:
    """Tab reaches every control of the checkpoint, the DNA page and the hit queue (English and Arabic), each
    with a visible ring; the faint 25% grey ring Pico gives a secondary button (language, sign-out, Reject)
    is not the only mark; a refused DNA check puts the focus on its error."""
    import httpx
    from playwright.sync_api import sync_playwright

    owner = world.user("NCB-UTO", Role.INVESTIGATOR, Role.SUPERVISOR)
    report = {
        "issuing_country": "UTO",
        "document_type": "passport",
        "number": "L898902C3",
        "status": "stolen",
    }
    created = httpx.post(server + "/api/v1/documents", headers=owner.headers, json=report)
    assert created.status_code == 201, created.text
    officer = world.user("MINUSCA", Role.FIELD_OFFICER)
    asked = {"issuing_country": "UTO", "number": "L898902C3"}
    httpx.post(server + "/api/v1/checks/documents", headers=officer.headers, json=asked)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = _signed_in_page(browser, server, owner, 1280, [])
            for language in ("en", "ar"):
                for path in ("/", "/dna", "/hits"):
                    page.goto(server + path)
                    seen = []
                    for _ in range(40):
                        page.keyboard.press("Tab")
                        where, shown = page.evaluate(FOCUS_SHOWN)
                        if where == "BODY":
                            break
                        seen.append(where)
                        assert shown, (language, path, where)
                    assert "signout" in seen and "language-submit" in seen, (path, seen)
                    assert seen[0] == "skip-link" and len(seen) > 10, (path, seen)
                if language == "en":  # then the same pages right to left
                    page.select_option("#language", "ar")
                    page.click("#language-submit")
                    page.wait_for_load_state()
            page.goto(server + "/dna")
            page.fill("#check-loci", "D8S1179: 12, abc")
            page.focus("#dna-check-submit")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "dna-error"
            assert page.get_attribute("#check-loci", "aria-invalid") == "true"
        finally:
            browser.close()


# What the page's own colours are drawn on, read in the browser: the page background, and for each of the
# app's coloured texts (app.css) its colour and the background behind it (its own, else the page's).
COLOURS = """() => {
  const seen = {}, page = getComputedStyle(document.documentElement).backgroundColor;
  for (const [name, html] of Object.entries({
    error: '<p class="error">x</p>', muted: '<p class="muted">x</p>', notice: '<p class="notice">x</p>',
    hit: '<span class="hit-word">x</span>', low: '<span class="confidence-low">x</span>',
    action: '<div class="owner-action">x</div>'})) {
    const box = document.createElement('div');
    box.innerHTML = html;
    document.querySelector('main').appendChild(box);
    const s = getComputedStyle(box.firstChild), own = s.backgroundColor;
    seen[name] = [s.color, own === 'rgba(0, 0, 0, 0)' ? page : own];
    box.remove();
  }
  const field = document.querySelector('#username');
  field.focus();
  seen.ring = [getComputedStyle(field).outlineColor, page];
  return seen; }"""


def _luminance(css: str) -> float:
    red, green, blue = (int(v) / 255 for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two computed CSS colours (rgb(...) or rgba(...) with full opacity)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_phone_in_dark_mode_gets_readable_colours(server: str, scheme: str) -> None:
    """The app's own colours (errors, hits, the owner's action, the focus ring) are made for a light page:
    a device set to dark mode gets that page too, not Pico's dark one under them (the red error text on
    Pico's near-black was 2.6:1, the owner's action light on light)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(color_scheme=scheme)
            page.goto(server + "/login")
            seen = page.evaluate(COLOURS)
        finally:
            browser.close()
    for name, (colour, behind) in seen.items():
        # Text 4.5:1 (WCAG 1.4.3); the focus ring 3:1 (non-text contrast, 1.4.11).
        least = 3.0 if name == "ring" else 4.5
        assert contrast(colour, behind) >= least, (
            scheme,
            name,
            colour,
            behind,
            round(contrast(colour, behind), 2),
        )
