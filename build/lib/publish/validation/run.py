"""Check a set of outputs, each check run at most once for the same bytes and tools.

Every file is checked by its :data:`~publish.formats.FORMATS` row: a row
naming a ``validation`` module (``tools``, ``inputs``, ``checks``; see
:mod:`publish.validation.tei`) is checked in batches and cached; a row with
only a per-file ``check`` (a new output kind) is checked file by file, its
problems one record. A record is ``{"check", "passed", "failures",
"warnings", "counts"}``; a file passes when no record has a failure.

Results come from :mod:`publish.validation.cache` when the output's SHA-256,
its inputs and the tools' versions are the same as last time, so a second
``make validate`` and ``publish deposit`` after a validated build rerun
nothing. Checks that are missing are run in batches: the EPUB module starts
EPUBCheck and Ace once for all its books (one JVM per job); the others are
shared among ``jobs`` worker processes.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import os
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path

from publish import __version__
from publish.errors import PublishError
from publish.formats import FORMATS, Format, load
from publish.layout import Layout, file_sha256
from publish.options import Options
from publish.validation import cache
from publish.validation.tei import record


@dataclasses.dataclass
class Result:
    """One file's checks: what was checked (kind, SHA-256, tools) and every record."""

    path: Path
    kind: str
    sha256: str
    tools: dict[str, str]
    checks: list[dict]
    cached: bool = False

    @property
    def failures(self) -> list[str]:
        """Every failure of every check, one line each."""
        return [line for check in self.checks for line in check.get("failures", [])]

    @property
    def warnings(self) -> list[str]:
        """What needs a person's eye but does not fail the file (Ace not installed, say)."""
        return [line for check in self.checks for line in check.get("warnings", [])]

    @property
    def passed(self) -> bool:
        return not self.failures

    def as_json(self) -> dict:
        """The report's entry for this file."""
        return {"path": str(self.path), "kind": self.kind, "sha256": self.sha256, "passed": self.passed,
                "tools": self.tools, "checks": [{k: v for k, v in check.items() if k != "transient"}
                                                for check in self.checks]}


def row_of(path: Path) -> Format | None:
    """The FORMATS row of a file, by its suffix."""
    return next((row for row in FORMATS if path.suffix.lower() == row.suffix), None)


def plain_tools(row: Format) -> dict[str, str]:
    """A row without a validation module: publish and its check libraries, by version."""
    versions = {"publish": __version__}
    for library in row.check_libraries:
        try:
            versions[library] = metadata.version(library)
        except metadata.PackageNotFoundError:
            versions[library] = "missing"
    return versions


def plain_checks(row: Format, paths: list[Path], options: Options) -> dict[Path, list[dict]]:
    """A row's per-file ``check``, one record per file."""
    results = {}
    for path in paths:
        try:
            results[path] = [record(row.check_description, load(row.check)(path, options))]
        except PublishError as error:
            results[path] = [record(row.check_description, [error.message])]
    return results


def validate_paths(paths, options: Options, layout: Layout, jobs: int = 1,
                   use_cache: bool = True) -> list[Result]:
    """Every file's :class:`Result`, in the order given; from the cache where it can be.

    The cache lives in the output folder (``dist/.checks/``), so files are
    checked without one when there is no output folder to keep it in.
    """
    folder = layout.check_cache
    use_cache = use_cache and layout.dist.is_dir()
    # Each file is read once per run: a master is also the PDF's input, and
    # tei_all.rng every master's; a no-op run is this hashing and the cache reads.
    read_once = functools.cache(file_sha256)

    def digest(file: Path) -> str:
        return read_once(os.path.abspath(file))
    results: dict[int, Result] = {}
    todo: dict[str, list[tuple[int, Path, str, dict]]] = {}
    tools_of: dict[str, dict[str, str]] = {}
    for index, path in enumerate(Path(p) for p in paths):
        row = row_of(path)
        if row is None:
            known = ", ".join(r.suffix for r in FORMATS)
            results[index] = Result(path, "?", "", {}, [record(
                "format", [f"cannot validate {path.suffix or 'this'} files (known: {known})"])])
            continue
        if not path.is_file():
            results[index] = Result(path, row.kind, "", {}, [record("file", ["no such file"])])
            continue
        module = importlib.import_module(row.validation) if row.validation else None
        if row.kind not in tools_of:
            tools_of[row.kind] = module.tools(options) if module else plain_tools(row)
        sha256 = digest(path)
        facts = {"kind": row.kind, "sha256": sha256,
                 "inputs": module.inputs(path, options, digest) if module else {},
                 "tools": tools_of[row.kind]}
        key = cache.cache_key(**facts)
        checks = cache.load(folder, key) if use_cache else None
        results[index] = Result(path, row.kind, sha256, tools_of[row.kind], checks or [], checks is not None)
        if checks is None:
            todo.setdefault(row.kind, []).append((index, path, key, facts))
    for kind, missing in todo.items():
        checked = run_checks(kind, [path for _index, path, _key, _facts in missing], options, jobs)
        for index, path, key, facts in missing:
            results[index].checks = checked[path]
            if use_cache and not any(check.get("transient") for check in checked[path]):
                cache.store(folder, key, facts, checked[path])
    return [results[index] for index in sorted(results)]


def run_checks(kind: str, paths: list[Path], options: Options, jobs: int) -> dict[Path, list[dict]]:
    """The checks of one kind for ``paths``: batched by the module itself, or shared among workers."""
    row = next(row for row in FORMATS if row.kind == kind)
    if not row.validation:
        return plain_checks(row, paths, options)
    module = importlib.import_module(row.validation)
    if getattr(module, "BATCHED", False) or jobs <= 1 or len(paths) < 2:
        return module.checks(paths, options, jobs)
    shares = [paths[start::jobs] for start in range(jobs) if paths[start::jobs]]
    results: dict[Path, list[dict]] = {}
    with ProcessPoolExecutor(len(shares)) as pool:
        for done in pool.map(module.checks, shares, [options] * len(shares)):
            results.update(done)
    return results
