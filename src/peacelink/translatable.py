"""English texts a web page shows in its user's language: errors, check warnings, explanation details.

A ``Translatable`` *is* its English text (a ``str``): the API, the CLI, the audit log, comparisons and
``json.dumps`` see nothing else, so their answers stay as they are. Beside the text it carries the catalogue
``key`` of its translations (``web/i18n/{en,fr,es,ar}.json``, whose English entry, filled with ``params``,
is the text) and the ``params`` the catalogue text is filled with; a page renders it in the user's language
with ``web.i18n.localise``. A parameter may itself be a ``Translatable``, which a page translates too: a
reason, or a code keyed to its label (``Translatable("M", "value.sex.male")``: "male", "masculin"). Keyed at
the call site::

    raise Invalid(Translatable(f"{code!r} is not a country code", "checks.error.country_code", code=code))

Operations on the text (``+``, f-strings, ``.strip()``) give a plain ``str``: the key is dropped and a page
shows the English text. This module imports nothing, so the pure packages (``identifiers/``, ``matching/``)
may key their messages too: a word on a value, not a dependency on the rest of PeaceLink.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TextList", "Translatable"]


class Translatable(str):
    """An English text with the catalogue key of its translations and the values its catalogue text takes.

    >>> text = Translatable("'IRQX' is not a code", "checks.error.country_code", code="IRQX")
    >>> text == "'IRQX' is not a code", text.key, text.params
    (True, 'checks.error.country_code', {'code': 'IRQX'})
    """

    key: str
    params: dict[str, object]

    def __new__(cls, text: str, key: str, /, **params: object) -> Translatable:
        made = super().__new__(cls, text)
        made.key = key
        made.params = params
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        # Copies and pickles keep the key and the values (str's own reduction would call __new__ with
        # the text alone).
        return _rebuild, (str(self), self.key, self.params)


def _rebuild(text: str, key: str, params: dict[str, object]) -> Translatable:
    return Translatable(text, key, **params)


class TextList(tuple[str, ...]):
    """A list of values inside a text (the roles a refusal names): formatted as its items joined by ", ", as
    the English text says it, while a page says each item (a ``Translatable`` code: its label) in the page's
    language, joined as that language joins a list.

    >>> "needs: {roles}".format(roles=TextList(["investigator", "supervisor"]))
    'needs: investigator, supervisor'
    """

    __slots__ = ()

    def __str__(self) -> str:
        return ", ".join(str(item) for item in self)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)
