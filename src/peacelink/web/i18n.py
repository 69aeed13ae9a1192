"""Interface catalogues (English, French, Spanish, Arabic) loaded from JSON files beside this module."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "fr", "es", "ar")
RTL = frozenset({"ar"})
_DIR = Path(__file__).with_name("i18n")


@cache
def catalogue(language: str) -> dict[str, str]:
    """The message catalogue for ``language`` (English fills any gap)."""
    base: dict[str, str] = json.loads((_DIR / "en.json").read_text(encoding="utf-8"))
    if language != "en" and language in LANGUAGES:
        base = {**base, **json.loads((_DIR / f"{language}.json").read_text(encoding="utf-8"))}
    return base


def translate(language: str, key: str) -> str:
    """The text for ``key`` in ``language``; the key itself if no catalogue has it."""
    return catalogue(language if language in LANGUAGES else "en").get(key, key)


def direction(language: str) -> str:
    """'rtl' for right-to-left languages, else 'ltr'."""
    return "rtl" if language in RTL else "ltr"


def pick(accept_language: str | None) -> str:
    """The best supported language for an Accept-Language header (before sign-in)."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"
