"""``publish validate``: check outputs with the checker their :data:`~publish.formats.FORMATS` row names.

Each checker returns a list of problems, one line each; an empty list means
the file is valid. A file's kind is told by its suffix.
"""

from __future__ import annotations

from pathlib import Path

from publish.errors import PublishError
from publish.formats import FORMATS, Format, load
from publish.options import Options
from publish.tei import parse_file
from publish.tei.validate import first_error, publish_schema, rng_schema


def check_tei(path: Path, options: Options) -> list[str]:
    """TEI: well-formed, valid against publish.rng and, if given, tei_all.rng (RELAX NG, ISO/IEC 19757-2)."""
    tree = parse_file(path)
    problems = []
    problem = first_error(publish_schema(), tree)
    if problem:
        problems.append(f"not valid against publish.rng: {problem}")
    if options.tei_all is not None:
        problem = first_error(rng_schema(options.tei_all), tree)
        if problem:
            problems.append(f"not valid against {options.tei_all.name}: {problem}")
    return problems


def format_of(path: Path) -> Format | None:
    """The :data:`~publish.formats.FORMATS` row for a file, by its suffix."""
    for row in FORMATS:
        if path.suffix.lower() == row.suffix:
            return row
    return None


def validate_file(path: Path, options: Options) -> list[str]:
    """The problems with one file (empty if valid); errors become problems."""
    row = format_of(path)
    if row is None:
        return [f"cannot validate {path.suffix or 'this'} files (known: "
                f"{', '.join(r.suffix for r in FORMATS)})"]
    if not path.is_file():
        return ["no such file"]
    try:
        return load(row.check)(path, options)
    except PublishError as error:
        return [error.message]
