"""The compiled name-matching core: used only while it is built from the sources as they are, and it scores
exactly as they do."""

from __future__ import annotations

import doctest
import importlib
import importlib.machinery
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from peacelink.matching.names import _core

EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]


def _package(tmp_path: Path, name: str = "corepkg") -> Path:
    """A package of two modules with an 'extension module' beside each, three levels under the group's
    library as in the source tree: files that are not libraries, so importing one fails."""
    (tmp_path / f"{_core.GROUP}__mypyc{EXTENSION}").write_bytes(b"not a shared library")
    package = tmp_path / "one" / "two" / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    for module in ("first", "second"):
        (package / f"{module}.py").write_text(f"WHICH = 'source of {module}'\n", encoding="utf-8")
        (package / f"{module}{EXTENSION}").write_bytes(b"not a shared library")
    return package


def _stamp(package: Path) -> None:
    (package / _core.STAMP).write_text(_core.stamp_of(_core.compiled_sources(package)), encoding="utf-8")


def test_a_build_of_the_sources_as_they_are_is_used(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _stamp(package)
    assert _core.use_compiled(package) == (True, "the name-matching core is compiled (mypyc)")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda p: (p / "first.py").write_text("WHICH = 'edited'\n", encoding="utf-8"),
            "older than its sources",
        ),
        (lambda p: (p / "third.py").write_text("", encoding="utf-8"), "older than its sources"),
        (lambda p: (p / "second.py").unlink(), "older than its sources"),
        (lambda p: (p / _core.STAMP).write_text("{", encoding="utf-8"), "no valid compiled.json"),
        (lambda p: (p / _core.STAMP).unlink(), "no valid compiled.json"),
        (
            lambda p: (p / _core.STAMP).write_text(
                json.dumps({**json.loads((p / _core.STAMP).read_text()), "python": "cpython-27"}),
                encoding="utf-8",
            ),
            "older than its sources",
        ),
        (lambda p: [f.unlink() for f in _core.extension_files(directory=p)], "not compiled"),
        (lambda p: [f.unlink() for f in _core.group_files(p)], "lost its peacelink_names_core__mypyc"),
    ],
    ids=[
        "source-edited",
        "module-added",
        "module-removed",
        "record-broken",
        "no-record",
        "other-python",
        "no-extensions",
        "no-group-library",
    ],
)
def test_a_build_that_is_not_of_the_sources_is_not_used(tmp_path: Path, change, reason: str) -> None:  # type: ignore[no-untyped-def]
    package = _package(tmp_path)
    _stamp(package)
    change(package)
    used, why = _core.use_compiled(package)
    assert not used
    assert reason in why


def test_the_pure_python_switch_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = _package(tmp_path)
    _stamp(package)
    monkeypatch.setenv("PEACELINK_PURE_PYTHON", "1")
    assert _core.use_compiled(package) == (
        False,
        "PEACELINK_PURE_PYTHON is set: the name-matching core runs as Python",
    )
    monkeypatch.setenv("PEACELINK_PURE_PYTHON", "0")
    assert _core.use_compiled(package)[0]


def test_prefer_sources_imports_the_source_beside_an_extension_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _package(tmp_path, "corepkg_plain")
    _package(tmp_path, "corepkg_sources")
    monkeypatch.syspath_prepend(str(tmp_path / "one" / "two"))
    # Python tries the extension module first: the broken one fails to load.
    with pytest.raises(ImportError):
        importlib.import_module("corepkg_plain.first")
    package = importlib.import_module("corepkg_sources")
    _core.prefer_sources(package.__path__[0])
    try:
        assert importlib.import_module("corepkg_sources.first").WHICH == "source of first"
        assert importlib.import_module("corepkg_sources.second").WHICH == "source of second"
    finally:
        for name in [m for m in sys.modules if m.startswith("corepkg_")]:
            del sys.modules[name]
        sys.path_importer_cache.pop(package.__path__[0], None)


_SCORES = """
import json, sys
import peacelink.matching.names as names
from peacelink.matching.names import PersonCandidate, PersonQuery, Scorer, prepared_blocking_keys
pairs = json.loads(sys.stdin.read())
out = {"compiled": names.COMPILED, "results": []}
for query, record in pairs:
    candidate = PersonCandidate(names=record, dates_of_birth=["1980"])
    result = Scorer(PersonQuery(names=[query], dates_of_birth=["1980-02-03"])).score(candidate)
    keys = sorted(prepared_blocking_keys(candidate.prepared))
    out["results"].append([result.score, result.name_score, result.explanation, keys])
print(json.dumps(out, default=str))
"""

# Latin, Arabic and Cyrillic spellings, articles, kunyas, initials, patronyms: every rule family of the core.
_PAIRS = [
    ["Mohammed Abdullah Al-Harbi", ["محمد عبدالله الحربي", "Muhammad Abdallah Alharbi"]],
    ["Abu Jamal", ["Jamal Hassan"]],
    ["Ivan Petrovich Sidorov", ["Иван Петрович Сидоров"]],
    ["A. Rahman Khalil", ["Abd al-Rahman Khalil", "Abdelrahim Khalil"]],
    ["Hussein Ould Cheikh", ["Houssein Ould Sheikh"]],
    ["Kim Jong Un", ["Gim Jeong Eun"]],
    ["Jean Baptiste Mbaye", ["Jean-Baptiste M'Baye"]],
    ["Yusuf Abdi Cumar", ["Yousef Abdi Umar"]],
    ["Elkhatib Salem", ["Salem El Khatib"]],
    ["Юрій Шевченко", ["Yuriy Shevchenko", "Jurij Sevcenko"]],
]


@pytest.mark.skipif(
    not importlib.import_module("peacelink.matching.names").COMPILED, reason="core not compiled"
)
def test_the_compiled_core_scores_and_keys_exactly_as_its_sources() -> None:
    """Run the same pairs in two fresh processes, compiled and from the sources: same scores, same keys."""
    runs = {}
    for pure in ("0", "1"):
        done = subprocess.run(
            [sys.executable, "-c", _SCORES],
            input=json.dumps(_PAIRS),
            capture_output=True,
            text=True,
            check=True,
            env={"PEACELINK_PURE_PYTHON": pure, "PATH": "/usr/bin:/bin"},
        )
        runs[pure] = json.loads(done.stdout)
    assert runs["0"]["compiled"] is True
    assert runs["1"]["compiled"] is False
    assert runs["0"]["results"] == runs["1"]["results"]
    assert all(score > 0 for score, *_ in runs["0"]["results"])


def _source_module(path: Path) -> ModuleType:
    """A module of the package loaded from its source under a name of its own, whatever is compiled."""
    spec = importlib.util.spec_from_file_location(f"_doctested_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@pytest.mark.parametrize("path", _core.compiled_sources(), ids=lambda p: p.stem)
def test_the_doctests_of_the_compiled_modules_pass_on_their_sources(path: Path) -> None:
    """pytest's own doctest collection finds none in a compiled module (mypyc keeps no docstrings): each
    module's examples run here on its source, compiled or not."""
    module = _source_module(path)
    examples = doctest.DocTestFinder().find(module, module.__name__)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for example in examples:
        runner.run(example)
    assert runner.summarize(verbose=False).failed == 0
    written = path.read_text(encoding="utf-8").count(">>> ")
    assert runner.summarize(verbose=False).attempted == written


def test_the_build_compiles_nothing_when_the_core_is_to_run_as_python() -> None:
    """A machine without a C compiler installs with PEACELINK_PURE_PYTHON=1: the build step succeeds and
    leaves whatever is there untouched (the package would not use it)."""
    tool = Path(__file__).resolve().parents[2] / "tools" / "compile_core.py"
    before = {p: p.stat().st_mtime_ns for p in [*_core.extension_files(), *_core.group_files()]}
    done = subprocess.run(
        [sys.executable, str(tool)],
        capture_output=True,
        text=True,
        env={"PEACELINK_PURE_PYTHON": "1", "PATH": "/nonexistent"},  # no compiler could be found either
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "PEACELINK_PURE_PYTHON is set" in done.stdout
    assert {p: p.stat().st_mtime_ns for p in [*_core.extension_files(), *_core.group_files()]} == before
