"""``publish validate``: check TEI, PDF and EPUB files and name what fails.

``CHECKERS`` is a literal table from suffix to the function that checks such a
file. Each checker returns a list of problems, one line each; an empty list
means the file is valid.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from publish.errors import PublishError
from publish.options import Options


def check_tei(path: Path, options: Options, tei_all: Path | None = None) -> list[str]:
    """TEI: well-formed, valid against publish.rng and, if given, tei_all.rng (RELAX NG, ISO/IEC 19757-2)."""
    from publish.tei import parse_file
    from publish.tei.validate import first_error, publish_schema, rng_schema

    tree = parse_file(path)
    problems = []
    problem = first_error(publish_schema(), tree)
    if problem:
        problems.append(f"not valid against publish.rng: {problem}")
    if tei_all is not None:
        problem = first_error(rng_schema(tei_all), tree)
        if problem:
            problems.append(f"not valid against {tei_all.name}: {problem}")
    return problems


CHECKERS = (
    # suffix   checker ("module:function" is imported only when needed)
    (".xml",  "publish.check:check_tei"),
    (".pdf",  "publish.render.pdfcheck:check_pdf"),
    (".epub", "publish.render.epubcheck:check_epub"),
)


def checker_for(path: Path):
    """The checker function for a file, by its suffix."""
    for suffix, target in CHECKERS:
        if path.suffix.lower() == suffix:
            module, function = target.split(":")
            return getattr(importlib.import_module(module), function)
    return None


def validate_file(path: Path, options: Options, tei_all: Path | None = None) -> list[str]:
    """The problems with one file (empty if valid); errors become problems."""
    checker = checker_for(path)
    if checker is None:
        return [f"cannot validate {path.suffix or 'this'} files (known: "
                f"{', '.join(s for s, _ in CHECKERS)})"]
    if not path.is_file():
        return ["no such file"]
    try:
        if checker is check_tei:
            return checker(path, options, tei_all=tei_all)
        return checker(path, options)
    except PublishError as error:
        return [error.message]
