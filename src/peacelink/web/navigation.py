"""What the main menu offers a signed-in user, and where the language choice sends the browser back to."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup
from starlette.requests import Request

from peacelink.access import Actor, Role
from peacelink.access.roles import ALL_ROLES, OPERATIONAL_ROLES
from peacelink.persons.search import SEARCH_ROLES

# Each menu link and the roles that may use its page: the roles its service requires (the person search:
# SEARCH_ROLES; fingerprint, DNA checks and the hit lists: the operational roles, as on the API). A link
# that would only answer "your role does not allow this page" is not offered.
MENU: dict[str, frozenset[Role]] = {
    "/": ALL_ROLES,
    "/persons/search": frozenset(SEARCH_ROLES),
    "/fingerprints": OPERATIONAL_ROLES,
    "/dna": OPERATIONAL_ROLES,
    "/hits": OPERATIONAL_ROLES,
    "/messages": ALL_ROLES,
}
# Where a page shown in answer to a form (a check result, a refused form) sends the language choice: its
# section's page, since a POST route cannot be opened again with GET.
SECTION_OF_POST = (
    ("/checks/dna", "/dna"),
    ("/dna/", "/dna"),
    ("/checks/fingerprint", "/fingerprints"),
    ("/fingerprints/", "/fingerprints"),
    ("/hits/", "/hits"),
    ("/messages/", "/messages"),
)
RETURN_MAX = 2_000
# A script subtag (ISO 15924) as the records store it, and the codes that name no script of their own.
_SCRIPT = re.compile(r"^[A-Z][a-z]{3}$")
_NO_SCRIPT = frozenset({"Zyyy", "Zzzz", "Zxxx", "Zinh"})
# The script a page's own text is in: a name in it needs no lang of its own.
_PAGE_SCRIPT = {"ar": "Arab"}


def menu(actor: Actor) -> frozenset[str]:
    """The menu links ``actor`` may use."""
    return frozenset(href for href, roles in MENU.items() if actor.roles & roles)


def here(request: Request) -> str:
    """The page to come back to after a language change: this one, or its section's page after a form."""
    if request.method == "GET":
        query = request.url.query
        return request.url.path + (f"?{query}" if query else "")
    path = request.url.path
    return next((page for prefix, page in SECTION_OF_POST if path.startswith(prefix)), "/")


def same_site_path(value: str) -> str:
    """``value`` if it is a path on this site (not the API), else ``/``: never an open redirect."""
    if (
        not value.startswith("/")
        or value.startswith(("//", "/api/"))
        or "\\" in value
        or len(value) > RETURN_MAX
        or any(ord(c) < 0x21 or ord(c) == 0x7F for c in value)
    ):
        return "/"
    parts = urlsplit(value)
    return "/" if parts.scheme or parts.netloc else value


def name_lang(script: str | None, page_language: str) -> Markup:
    """A ``lang`` attribute for a name written in ``script`` (BCP 47 ``und-Arab``: the script is known,
    the language is not), or nothing when the page's own script is the name's."""
    if not script or not _SCRIPT.match(script) or script in _NO_SCRIPT:
        return Markup("")
    if script == _PAGE_SCRIPT.get(page_language, "Latn"):
        return Markup("")
    return Markup(' lang="und-{}"').format(script)
