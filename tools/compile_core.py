"""Compile the name-matching core (``peacelink.matching.names``) to C with mypyc.

``make install`` runs this after installing the packages. It compiles every module of the package but its
``__init__`` and its ``_core`` (the loader that decides, at import, whether the compiled modules may be used)
into extension modules placed beside their sources, and then writes ``compiled.json``: the SHA-256 of each
source compiled, the mypy version and the Python version. ``peacelink.matching.names`` uses the extension
modules only while that record matches the sources; an edited source, or ``PEACELINK_PURE_PYTHON=1``, makes
the package run from its Python sources (``_core.use_compiled``).

The compiled modules are the same code: mypyc compiles the type-checked Python as it is, so they score and key
exactly as the sources do (the accuracy benchmark prints the same figures), 2.1 times as fast on one core.

Usage: ``python tools/compile_core.py`` (from anywhere; ``--clean`` removes the compiled modules only). With
``PEACELINK_PURE_PYTHON=1`` it compiles nothing (a machine without a C compiler: ``PEACELINK_PURE_PYTHON=1
make demo``); a build that fails stops ``make install`` and says so.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SOURCE_ROOT = ROOT / "src"
PACKAGE = SOURCE_ROOT / "peacelink" / "matching" / "names"
BUILD = ROOT / "build" / "mypyc"


def _load_core() -> ModuleType:
    """The package's ``_core`` on its own: importing the package would import the modules being rebuilt."""
    spec = importlib.util.spec_from_file_location("peacelink_names_core", PACKAGE / "_core.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_core = _load_core()
GROUP, NOT_COMPILED, STAMP = _core.GROUP, _core.NOT_COMPILED, _core.STAMP
PURE_PYTHON = _core.PURE_PYTHON_VARIABLE
compiled_sources, extension_files = _core.compiled_sources, _core.extension_files
group_files, stamp_of = _core.group_files, _core.stamp_of

# mypy's own settings for the sources (pyproject.toml's [tool.mypy]); setuptools must not read pyproject.toml,
# whose project table it does not accept, so the build runs outside the repository with this file.
_MYPY_CONFIG = """\
[mypy]
strict = True
python_version = 3.11
mypy_path = {source_root}
cache_dir = {cache}
[mypy-icu.*,rigour.*]
ignore_missing_imports = True
"""

_SETUP = """\
import sys
from setuptools import setup
from mypyc.build import mypycify

config, target, temp, lib, group, *paths = sys.argv[1:]
setup(
    name="peacelink-matching-core",
    ext_modules=mypycify(
        ["--config-file", config, *paths], target_dir=target, separate=[(paths, group)], opt_level="3"
    ),
    script_args=["build_ext", "--inplace", "--build-temp", temp, "--build-lib", lib],
)
"""


def clean() -> None:
    """Remove the compiled modules and their record, leaving the sources."""
    for path in [*extension_files(), *group_files()]:
        path.unlink()
    (PACKAGE / STAMP).unlink(missing_ok=True)


def build() -> None:
    """Compile, place the extension modules beside the sources and write the record last."""
    clean()
    sources = compiled_sources()
    # The record is of the sources as they were read: one edited during the build is not claimed.
    stamp = stamp_of(sources)
    BUILD.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="peacelink-mypyc-") as work:
        config = Path(work) / "mypy.ini"
        config.write_text(
            _MYPY_CONFIG.format(source_root=SOURCE_ROOT, cache=BUILD / "mypy_cache"), encoding="utf-8"
        )
        setup = Path(work) / "setup.py"
        setup.write_text(_SETUP, encoding="utf-8")
        relative = [str(path.relative_to(SOURCE_ROOT)) for path in sources]
        # In the source root, so that the extension modules land beside their sources (--inplace).
        places = [str(BUILD / place) for place in ("c", "temp", "lib")]
        command = [sys.executable, str(setup), str(config), *places, GROUP]
        done = subprocess.run(  # noqa: S603 (our own interpreter and paths)
            [*command, *relative], cwd=SOURCE_ROOT, capture_output=True, text=True
        )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        clean()
        raise SystemExit(
            f"compile_core: mypyc failed (exit {done.returncode}). Without a C compiler and the Python "
            f"headers, set {PURE_PYTHON}=1 to install and run the name-matching core as Python"
        )
    missing = [path.name for path in sources if not extension_files(path.stem)]
    missing += [] if group_files() else [f"{GROUP}__mypyc"]
    if missing:
        clean()
        raise SystemExit(f"compile_core: no extension module for {', '.join(missing)}")
    (PACKAGE / STAMP).write_text(stamp, encoding="utf-8")
    print(f"compile_core: {len(sources)} modules of peacelink.matching.names compiled")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", action="store_true", help="remove the compiled modules only")
    options = parser.parse_args()
    if options.clean:
        clean()
        print(f"compile_core: compiled modules removed; the name-matching core {NOT_COMPILED}")
    elif os.environ.get(PURE_PYTHON, "") not in ("", "0"):
        # The package would not use a build (``_core.use_compiled``): none is made, none is required.
        print(f"compile_core: {PURE_PYTHON} is set: the name-matching core runs as Python, not compiled")
    else:
        build()


if __name__ == "__main__":
    main()
