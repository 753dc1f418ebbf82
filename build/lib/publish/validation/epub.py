"""The EPUB edition's checks for the report: EPUBCheck (W3C, EPUB 3.3) and DAISY Ace (EPUB Accessibility 1.1).

Both run once per batch: EPUBCheck in one JVM per job
(:mod:`publish.render.epubcheck_batch`), Ace in one browser
(:mod:`publish.render.ace`). EPUBCheck's fatal errors, errors and warnings
are failures (the editions must have none); its counts by severity are kept.

Ace's violations fail a book that claims conformance (``dcterms:conformsTo``):
the build makes the claim from the project's own checks
(:mod:`publish.render.epub.accessibility`), and Ace disagreeing means that
claim is false, so the book must not be deposited until those checks catch
what Ace caught. In a book that makes no claim they are warnings: the book is
a valid EPUB whose metadata already says it does not conform. Where Ace is
not installed the check is a warning saying so, never a silent pass.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from publish.options import Options
from publish.render.ace import IMPACTS, AceUnavailable, find_ace, run_ace
from publish.validation.tei import record

CLAIM = b'property="dcterms:conformsTo"'
#: EPUBCheck and Ace start once per batch and share it among ``jobs`` themselves.
BATCHED = True


def ace_version() -> str:
    """Ace's version, or ``unavailable: <why>`` (which keys results apart from Ace's own)."""
    try:
        return find_ace().version
    except AceUnavailable as unavailable:
        return f"unavailable: {unavailable}"


def java_runtime() -> str:
    """The Java runtime EPUBCheck runs on, named by its real path (cheap: no JVM is started)."""
    java = shutil.which("java")
    return os.path.realpath(java) if java else "missing"


def tools(options: Options) -> dict[str, str]:
    """EPUBCheck (the ``epubcheck`` package's jar), the Java it runs on, and Ace, by version."""
    return {"EPUBCheck": metadata.version("epubcheck"), "Java": java_runtime(), "Ace": ace_version()}


def inputs(path: Path, options: Options, digest: Callable[[Path], str] | None = None) -> dict[str, str]:
    """Nothing beside the book decides its verdict."""
    return {}


def claims_conformance(path: Path) -> bool:
    """Whether the package document makes the EPUB Accessibility conformance claim."""
    try:
        with zipfile.ZipFile(path) as book:
            return any(CLAIM in book.read(name) for name in book.namelist() if name.endswith(".opf"))
    except (OSError, zipfile.BadZipFile, KeyError):
        return False


def checks(paths: list[Path], options: Options, jobs: int = 1) -> dict[Path, list[dict]]:
    """EPUBCheck and Ace for every EPUB, each tool started once for the batch."""
    from publish.render.epubcheck import EpubCheckUnavailable
    from publish.render.epubcheck_batch import counts, run_epubcheck_batch

    try:
        reports = run_epubcheck_batch(paths, jobs=jobs)
        epubcheck = {path: record("EPUBCheck", report.problems, counts=counts(report))
                     for path, report in reports.items()}
    except EpubCheckUnavailable as unavailable:
        epubcheck = {path: {**record("EPUBCheck", [str(unavailable)]), "transient": True} for path in paths}
    accessibility = ace_checks(paths, jobs)
    return {path: [epubcheck[path], accessibility[path]] for path in paths}


def ace_checks(paths: list[Path], jobs: int) -> dict[Path, dict]:
    """Ace's record per book: violations by impact, failures or warnings as the claim decides."""
    try:
        reports = run_ace(paths, jobs=max(1, jobs))
    except AceUnavailable as unavailable:
        # Not installed, or the browser would not start: said, not cached.
        note = f"not checked for accessibility: {unavailable}"
        return {path: {**record("Ace", [], [note]), "transient": True} for path in paths}
    results = {}
    for path, report in reports.items():
        counts = report.counts if report.error is None else dict.fromkeys(IMPACTS, 0)
        if report.error is not None or claims_conformance(path):
            results[path] = record("Ace", report.problems, counts=counts)
        else:
            results[path] = record("Ace", [], report.problems, counts=counts)
    return results
