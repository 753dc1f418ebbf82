"""Validation of TEI trees against RELAX NG schemas (ISO/IEC 19757-2).

The package's own schema, ``publish.rng``, describes the subset publish
writes; it is compiled once per process. The official TEI P5 ``tei_all.rng``
is compiled on demand (about 20 s with lxml), once per process too.
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

from publish.errors import InvalidTEIError
from publish.tei import parse_bytes, parse_file, serialise

PUBLISH_RNG = Path(__file__).with_name("publish.rng")


def publish_schema() -> etree.RelaxNG:
    """The compiled schema of the TEI subset publish writes."""
    return rng_schema(PUBLISH_RNG)


@functools.cache
def rng_schema(path: Path) -> etree.RelaxNG:
    """Any RELAX NG schema, compiled once per process."""
    return etree.RelaxNG(parse_file(Path(path)))


def first_error(schema: etree.RelaxNG, tree: etree._ElementTree) -> str | None:
    """``None`` if ``tree`` is valid, else the first error with its line."""
    if schema.validate(tree):
        return None
    error = schema.error_log[0] if len(schema.error_log) else None
    return f"line {error.line}: {error.message}" if error else "invalid"


def check_publish_schema(tree: etree._ElementTree, path: Path | str) -> None:
    """Raise :class:`InvalidTEIError` if ``tree`` is outside the publish subset."""
    # Re-parse the serialised bytes so error lines are those of the written file.
    problem = first_error(publish_schema(), parse_bytes(serialise(tree), path, huge_tree=True))
    if problem:
        raise InvalidTEIError(f"not valid against publish.rng: {problem}", path)
