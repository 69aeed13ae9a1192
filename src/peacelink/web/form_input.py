"""What a page receives is read strictly, before FastAPI reads it: a form's text is UTF-8, and a field or a
query parameter is given once unless the page takes a list of it (``PageRoute``, every page's route class).

Why UTF-8, as every body PeaceLink takes (``utf8_text``) and every query parameter (``api/plain_query``):
Starlette decodes an application/x-www-form-urlencoded body's raw bytes as Latin-1 and its percent-encoded
bytes leniently, and a multipart text field that is not UTF-8 as Latin-1 too, so "Иван" sent raw became
"Ð\\x98Ð²Ð°Ð½", Windows-1252 "José" became "Jos\\ufffd", and a check ran and was audited on another text.
Here the raw and the percent-encoded bytes of a field are decoded together as UTF-8 (the WHATWG rule for
such forms, without its replacement characters) or the form is refused naming the field. A file's bytes are
never text: only a multipart part without a file name is decoded.

Why once: FastAPI keeps the last value of a field given twice for a field that takes one, so
``names=Ali&names=Omar`` checked Omar alone. The fields that may repeat are those the route declares as a
list (the compose page's ``files``); a repeated field the page does not read is left alone, as FastAPI
leaves any field it does not read.

A refusal is ``InputRefused``, answered with the error page in the user's language (``web/app.py``).
"""

from __future__ import annotations

import re
import types
from collections import Counter
from collections.abc import Callable, Coroutine, Iterable, Iterator
from collections.abc import Sequence as AbstractSequence
from collections.abc import Set as AbstractSet
from contextlib import aclosing
from typing import Annotated, Any, Union, get_args, get_origin
from urllib.parse import unquote_to_bytes

from fastapi import params
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import Response

from peacelink.translatable import Translatable

__all__ = ["InputRefused", "PageRoute", "parse_urlencoded", "read_form"]

# Starlette's own bounds on a form (``Request.form``), kept: the fields of a form and the bytes of one.
MAX_FIELDS = 1000
MAX_FIELD_BYTES = 1024 * 1024
# A field name shown on the page as sent; any other (a typo'd or forged name) is shown as "form".
_SHOWN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")


class InputRefused(Exception):
    """A page's request refused before anything runs: the field it names, why (keyed: the error page says
    it in the user's language) and the status."""

    def __init__(self, field: str, reason: str, status: int = 422) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.status = status


def not_utf8(byte: int) -> str:
    """Why a field is refused when its bytes are not UTF-8 text, naming the first such byte."""
    code = f"0x{byte:02X}"
    return Translatable(f"bytes that are not UTF-8 text ({code})", "input.not_utf8", byte=code)


def repeated(count: int) -> str:
    """Why a field that takes one value is refused when it is given ``count`` times."""
    return Translatable(f"given {count} times; this field takes one value", "input.repeated", count=count)


def _shown(name: str) -> str:
    return name if _SHOWN_NAME.fullmatch(name) else "form"


def _utf8(data: bytes, field: str) -> str:
    """``data`` as UTF-8 text, else InputRefused naming ``field`` (the codec refuses encoded surrogates)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputRefused(field, not_utf8(data[error.start])) from None


def parse_urlencoded(body: bytes) -> list[tuple[str, str]]:
    """The fields of an application/x-www-form-urlencoded body, in order, each name and value UTF-8 text
    (raw and percent-encoded bytes alike); InputRefused naming the field that is not.

    >>> parse_urlencoded("names=Jos%C3%A9+D\\u00edaz&csrf=&names".encode())
    [('names', 'José Díaz'), ('csrf', ''), ('names', '')]
    >>> parse_urlencoded(b"csrf=t&names=Jos%E9")
    Traceback (most recent call last):
    peacelink.web.form_input.InputRefused: names: bytes that are not UTF-8 text (0xE9)
    """
    items: list[tuple[str, str]] = []
    for part in body.split(b"&"):
        if not part:
            continue
        if len(items) >= MAX_FIELDS:
            raise InputRefused("form", f"a form has at most {MAX_FIELDS} fields", status=400)
        if len(part) > MAX_FIELD_BYTES:
            raise InputRefused("form", f"a form field has at most {MAX_FIELD_BYTES} bytes", status=400)
        raw_name, _, raw_value = part.partition(b"=")
        name = _utf8(unquote_to_bytes(raw_name.replace(b"+", b" ")), "form")
        items.append((name, _utf8(unquote_to_bytes(raw_value.replace(b"+", b" ")), _shown(name))))
    return items


class _StrictMultiPartParser(MultiPartParser):
    """Starlette's multipart parser, its text (field names, file names, the values of parts without a file)
    read as UTF-8 or refused, whatever charset the request declares: Starlette fell back to Latin-1."""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._current_part.content_disposition)
        name = _utf8(options.get(b"name", b""), "form")
        filename = _utf8(options[b"filename"], _shown(name)) if b"filename" in options else None
        super().on_headers_finished()
        self._current_part.field_name = name
        if self._current_part.file is not None:
            self._current_part.file.filename = filename

    def on_part_end(self) -> None:
        part = self._current_part
        if part.file is not None:
            super().on_part_end()
            return
        self.items.append((part.field_name, _utf8(bytes(part.data), _shown(part.field_name))))


async def read_form(request: Request) -> FormData | None:
    """The form of a page's request, read strictly; None when the body is no form (FastAPI reads it)."""
    content_type, _ = parse_options_header(request.headers.get("content-type"))
    if content_type == b"application/x-www-form-urlencoded":
        fields: list[tuple[str, str | UploadFile]] = [*parse_urlencoded(await request.body())]
        return FormData(fields)
    if content_type != b"multipart/form-data":
        return None
    try:
        async with aclosing(request.stream()) as stream:
            return await _StrictMultiPartParser(
                request.headers, stream, max_fields=MAX_FIELDS, max_part_size=MAX_FIELD_BYTES
            ).parse()
    except MultiPartException as error:  # a body that is no multipart form, or one over the bounds
        raise InputRefused("form", error.message, status=400) from None


def _takes_many(annotation: Any) -> bool:
    """Whether a parameter of this type takes a list of values (``list[UploadFile] | None``)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _takes_many(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return any(_takes_many(argument) for argument in get_args(annotation))
    return isinstance(origin, type) and issubclass(origin, AbstractSequence | AbstractSet)


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for inner in dependant.dependencies:
        yield from _dependants(inner)


def single_valued(dependant: Dependant) -> tuple[frozenset[str], frozenset[str]]:
    """The names of the query parameters and of the form fields a route takes one value of."""
    query: set[str] = set()
    body: set[str] = set()
    for each in _dependants(dependant):
        query.update(f.alias for f in each.query_params if not _takes_many(f.field_info.annotation))
        body.update(f.alias for f in each.body_params if not _takes_many(f.field_info.annotation))
    return frozenset(query), frozenset(body)


def refuse_repeats(items: Iterable[tuple[str, Any]], single: frozenset[str]) -> None:
    """InputRefused naming the first of ``single`` given more than once in ``items``."""
    for name, count in Counter(name for name, _ in items).items():
        if count > 1 and name in single:
            raise InputRefused(name, repeated(count))


class PageRoute(APIRoute):
    """The route class of the web pages: its form is read strictly (``read_form``) before FastAPI would
    read it leniently, and a query parameter or form field it takes one value of is refused if repeated."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler, after the query and the form are checked (the form read once, here)."""
        handler = super().get_route_handler()
        single_query, single_body = single_valued(self.dependant)
        takes_form = self.body_field is not None and isinstance(self.body_field.field_info, params.Form)

        async def strict(request: Request) -> Response:
            refuse_repeats(request.query_params.multi_items(), single_query)
            if takes_form and (form := await read_form(request)) is not None:
                try:
                    refuse_repeats(form.multi_items(), single_body)
                except InputRefused:
                    await form.close()
                    raise
                # FastAPI's ``request.form()`` answers with the form already read, not a second lenient read.
                request._form = form
            return await handler(request)

        return strict
