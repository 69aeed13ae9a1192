"""Interface catalogues (English, French, Spanish, Arabic) loaded from JSON files beside this module, and the
service texts (errors, warnings, explanation details: ``Translatable``) rendered in them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

from peacelink.translatable import TextList, Translatable

LANGUAGES = ("en", "fr", "es", "ar")
# Plain English for the pages, for the service texts whose English (the API's, byte for byte: en.json) is
# written for developers ("give issuing_country and number, or mrz"): an English page names the form's
# labels, as the other languages' entries do. A text without an entry here is shown as the API says it.
PAGE_ENGLISH = "en_pages"
RTL = frozenset({"ar"})
# What joins a list's items (warnings, crime areas, nationalities...) on a page: Arabic has its own comma.
LIST_SEPARATORS = {"ar": "، "}
_DIR = Path(__file__).with_name("i18n")


@cache
def own_catalogue(language: str) -> dict[str, str]:
    """The entries of ``language``'s own catalogue file (no English filling its gaps)."""
    entries: dict[str, str] = json.loads((_DIR / f"{language}.json").read_text(encoding="utf-8"))
    return entries


@cache
def catalogue(language: str) -> dict[str, str]:
    """The message catalogue for ``language`` (English fills any gap)."""
    base = own_catalogue("en")
    if language != "en" and language in LANGUAGES:
        base = {**base, **own_catalogue(language)}
    return base


def translate(language: str, key: str) -> str:
    """The text for ``key`` in ``language``; the key itself if no catalogue has it."""
    return catalogue(language if language in LANGUAGES else "en").get(key, key)


def direction(language: str) -> str:
    """'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if language in RTL else "ltr"


def list_separator(language: str) -> str:
    """The separator of a list's items in ``language`` ("، " in Arabic, else ", ")."""
    return LIST_SEPARATORS.get(language, ", ")


def pick(accept_language: str | None) -> str:
    """The best supported language for an Accept-Language header (before sign-in)."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def localise(language: str, text: object) -> Markup:
    """A service text (an error, a warning, an explanation detail) for a page in ``language``, HTML-escaped.

    A ``Translatable`` with an entry in ``language``'s own catalogue is that entry with its ``params``
    filled in: each text value isolated in ``<bdi>`` (a name or a code keeps its own direction in an Arabic
    sentence), a ``Translatable`` value translated in turn, a number as it is, a ``TextList``'s items each so
    and joined with the language's list separator. Anything else (no key, no
    translation, an English page) is the text as given in one ``<bdi>``, as the pages always showed it;
    an English page shows a text's ``PAGE_ENGLISH`` entry when it has one.
    """
    if isinstance(text, Translatable):
        filled = _filled(language, text)
        if filled is not None:
            return filled
    return Markup("<bdi>{}</bdi>").format(text)


def _entry(language: str, key: str, *, nested: bool) -> str | None:
    """The catalogue text a page in ``language`` shows for ``key``: on an English page the plain-English
    entry, or for a value inside a text (a code keyed to its label) its English label."""
    if language == "en":
        english = own_catalogue(PAGE_ENGLISH).get(key)
        return english if english is not None or not nested else own_catalogue("en").get(key)
    return own_catalogue(language).get(key) if language in LANGUAGES else None


def _filled(language: str, text: Translatable, *, nested: bool = False) -> Markup | None:
    """``text``'s catalogue entry in ``language`` with its values filled in; None without an entry."""
    template = _entry(language, text.key, nested=nested)
    if template is None:
        return None
    values = {name: _value(language, value) for name, value in text.params.items()}
    try:
        return escape(template).format(**values)
    except (KeyError, IndexError, ValueError):  # an entry naming a value the text lacks: English, not a 500
        return None


def _value(language: str, value: object) -> Markup:
    """One value of a filled entry (see ``localise``)."""
    if isinstance(value, Translatable):
        inner = _filled(language, value, nested=True)
        if inner is not None:
            return inner
    if isinstance(value, TextList):  # the roles a refusal names: each item, joined as the language joins
        return escape(list_separator(language)).join(_value(language, item) for item in value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return escape(str(value))
    if value == "":
        return Markup("")
    return Markup("<bdi>{}</bdi>").format(value)
