"""Whether the package runs its compiled modules or its Python sources.

``tools/compile_core.py`` (run by ``make install``) compiles the package's modules with mypyc into extension
modules beside the sources and records the SHA-256 of each source it compiled in ``compiled.json``. Python
imports an extension module ahead of a source of the same name, so an extension module built from an older
source would silently run the old code. ``use_compiled`` says whether the record matches the sources as
they are now; when it does not (a source edited since, a module added, no record, or
``PEACELINK_PURE_PYTHON=1``), ``prefer_sources`` makes the package's submodules import from their sources.

This module and ``__init__`` are never compiled: they run before any compiled module is imported.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "NOT_COMPILED",
    "STAMP",
    "compiled_sources",
    "extension_files",
    "group_files",
    "prefer_sources",
    "stamp_of",
    "use_compiled",
]

PACKAGE_DIR = Path(__file__).resolve().parent
STAMP = "compiled.json"
PURE_PYTHON_VARIABLE = "PEACELINK_PURE_PYTHON"
# The modules that choose between the two: compiled, they could not step aside.
_NEVER_COMPILED = frozenset({"__init__", "_core"})
# The compiled group: its shared library (mypyc's ``{group}__mypyc``) is a top-level module, beside the
# package ``peacelink`` (mypyc names each compiled module's file from there).
GROUP = "peacelink_names_core"
NOT_COMPILED = "it runs as Python (`make install` compiles it)"


def compiled_sources(directory: Path = PACKAGE_DIR) -> list[Path]:
    """The sources that are compiled: every module of the package but the two that choose."""
    return sorted(p for p in directory.glob("*.py") if p.stem not in _NEVER_COMPILED)


def extension_files(stem: str = "*", directory: Path = PACKAGE_DIR) -> list[Path]:
    """The extension modules in the package built from module ``stem`` (all of them by default)."""
    return _extensions(directory, stem)


def group_files(directory: Path = PACKAGE_DIR) -> list[Path]:
    """The compiled group's shared library, three levels up from the package (the source root)."""
    return _extensions(directory.parent.parent.parent, f"{GROUP}__mypyc")


def _extensions(directory: Path, stem: str) -> list[Path]:
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    return sorted({path for suffix in suffixes for path in directory.glob(f"{stem}{suffix}")})


def stamp_of(sources: Sequence[Path]) -> str:
    """The record of a build: each source's SHA-256, and the Python and mypy versions it was built for."""
    from mypy.version import __version__ as mypy_version  # only the build has mypy to hand

    return json.dumps(_record(sources) | {"mypy": mypy_version}, indent=1, sort_keys=True)


def _record(sources: Sequence[Path]) -> dict[str, object]:
    return {
        "python": sys.implementation.cache_tag,
        "sources": {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sources},
    }


def use_compiled(directory: Path = PACKAGE_DIR) -> tuple[bool, str]:
    """Whether the compiled modules may be imported, and why not when they may not."""
    if os.environ.get(PURE_PYTHON_VARIABLE, "") not in ("", "0"):
        return False, f"{PURE_PYTHON_VARIABLE} is set: the name-matching core runs as Python"
    if not extension_files(directory=directory):
        return False, f"the name-matching core is not compiled: {NOT_COMPILED}"
    if not group_files(directory):
        return False, f"the compiled name-matching core has lost its {GROUP}__mypyc library: {NOT_COMPILED}"
    try:
        built = json.loads((directory / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, f"the compiled name-matching core has no valid {STAMP}: {NOT_COMPILED}"
    now = _record(compiled_sources(directory))
    if not isinstance(built, dict) or any(built.get(key) != value for key, value in now.items()):
        return False, f"the compiled name-matching core is older than its sources: {NOT_COMPILED}"
    return True, "the name-matching core is compiled (mypyc)"


def prefer_sources(package_path: str) -> None:
    """Make the submodules of the package at ``package_path`` import from their ``.py`` sources, not from
    extension modules beside them: the finder Python keeps for that directory is replaced by one that
    knows only sources (and their cached bytecode)."""
    sys.path_importer_cache[package_path] = importlib.machinery.FileFinder(
        package_path, (importlib.machinery.SourceFileLoader, importlib.machinery.SOURCE_SUFFIXES)
    )
