"""Every catalogue translates every key; Arabic is right-to-left."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peacelink.web import i18n

CATALOGUES = Path(i18n.__file__).with_name("i18n")


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_catalogue_complete(language: str) -> None:
    english = set(json.loads((CATALOGUES / "en.json").read_text(encoding="utf-8")))
    other = set(json.loads((CATALOGUES / f"{language}.json").read_text(encoding="utf-8")))
    missing = english - other - {"app.name"}
    assert not missing, f"{language} lacks {sorted(missing)}"
    assert not other - english, f"{language} has keys English lacks"


def test_direction_and_pick() -> None:
    assert i18n.direction("ar") == "rtl" and i18n.direction("fr") == "ltr"
    assert i18n.pick("es-ES,es;q=0.9") == "es"
    assert i18n.pick("de-DE") == "en"
    assert i18n.translate("xx", "nav.signout") == "Sign out"
