"""The PDF edition's checks for the report: the PDF/A-3 checks of :mod:`publish.render.pdfcheck`, and qpdf.

The PDF/A-3 checks compare the attached TEI with the master beside the PDF
(``dist/tei/<id>.xml``), so the master's SHA-256 is an input of the verdict.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from publish import __version__
from publish.layout import file_sha256, master_of
from publish.options import Options
from publish.validation.tei import record


@functools.lru_cache(maxsize=1)
def qpdf_version() -> str:
    """``qpdf --version``'s first line, or ``missing``."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        return "missing"
    done = subprocess.run([qpdf, "--version"], capture_output=True, text=True, check=False)
    return (done.stdout.splitlines() or ["?"])[0].removeprefix("qpdf version ").strip()


def tools(options: Options) -> dict[str, str]:
    """The PDF/A-3 checks (publish's, on pikepdf) and qpdf, by version."""
    return {"publish.render.pdfcheck": __version__, "pikepdf": metadata.version("pikepdf"),
            "qpdf": qpdf_version()}


def inputs(path: Path, options: Options, digest: Callable[[Path], str] = file_sha256) -> dict[str, str]:
    """The master the attached TEI is compared with, when it is there (``digest``: as for the TEI)."""
    master = master_of(Path(path))
    try:
        return {"master": digest(master)}
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return {}


def checks(paths: list[Path], options: Options, jobs: int = 1) -> dict[Path, list[dict]]:
    """The PDF/A-3 checks and ``qpdf --check`` for every PDF; a record list per path."""
    from publish.render.pdfcheck import check_pdf  # pikepdf only when something is checked

    results = {}
    for path in paths:
        problems = check_pdf(path, options)
        qpdf = [problem for problem in problems if problem.startswith(("qpdf --check", "qpdf is not"))]
        results[path] = [record("PDF/A-3 checks", [p for p in problems if p not in qpdf]),
                         record("qpdf --check", qpdf)]
    return results
