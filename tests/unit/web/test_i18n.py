"""Every catalogue translates every key; Arabic is right-to-left."""

from __future__ import annotations

import json
import re
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


def test_every_match_method_has_a_label() -> None:
    # The check page shows each part pair's method by its label (value.method.<method>); a method the name
    # matcher returns without one was shown as its code ("joined").
    from peacelink.matching.names._core import PACKAGE_DIR

    # The sources: the modules imported may be the compiled ones (tools/compile_core.py).
    modules = ("similarity", "alignment")
    sources = "".join((PACKAGE_DIR / f"{m}.py").read_text(encoding="utf-8") for m in modules)
    returned = re.findall(r'return [^\n]*, "([a-z]{3,})"\s*(?:#.*)?$', sources, re.MULTILINE)
    literals = set(returned) | set(re.findall(r'"(joined)"', sources))
    methods = literals | {"form", "nickname"}  # returned by name (forms.same_form)
    assert {"exact", "fuzzy", "phonetic", "initial", "stem", "article", "joined", "none"} <= methods
    english = json.loads((CATALOGUES / "en.json").read_text(encoding="utf-8"))
    assert not {m for m in methods if f"value.method.{m}" not in english}
