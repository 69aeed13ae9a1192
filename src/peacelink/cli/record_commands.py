"""Pieces every record command shares: the --json option, CLI input validated by the API's schemas, and
the text forms of one record and of a list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from peacelink.cli.context import emit
from peacelink.request_body import invalid_from

JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]
M = TypeVar("M", bound=BaseModel)


def validated(schema: type[M], /, **data: Any) -> M:
    """Validate CLI input with the API's schema; errors name the field."""
    try:
        return schema(**{k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        raise invalid_from(exc) from exc


def fields_text(data: dict[str, Any]) -> str:
    """One "name: value" line per field (the text form of ``show``)."""
    return "\n".join(f"{k}: {v}" for k, v in data.items())


def emit_rows(rows: list[dict[str, Any]], *, as_json: bool, line: Callable[[dict[str, Any]], str]) -> None:
    """Print ``rows`` as JSON, or one ``line(row)`` each."""
    emit(rows, as_json=as_json, text="\n".join(line(r) for r in rows))
