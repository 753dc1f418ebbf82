"""Fixtures for the normaliser tests: a source's TEI body as a fragment, checked twice.

Every case is normalised through :func:`publish.normalise.normalise_with_assets`,
so it is checked against ``publish.rng``; the test then checks it against the
official ``tei_all.rng`` too, and compares the ``<body>`` with the expected
fragment beside the input (``<input>.expected.xml``; ``--update-golden`` rewrites).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from lxml import etree

from publish.log import LOGGER, WarningCounter
from publish.metadata import Metadata
from publish.normalise import normalise_with_assets
from publish.normalise.base import Source
from publish.tei.validate import first_error

FIXTURES = Path(__file__).parent / "fixtures"


def cases(folder: str, *suffixes: str) -> list[Path]:
    """The inputs in one fixtures folder (not the expected fragments)."""
    return sorted(p for p in (FIXTURES / folder).iterdir()
                  if p.suffix in suffixes and not p.name.endswith(".expected.xml"))


@pytest.fixture
def normalised(options, tei_all):
    """Normalise a path (or bytes under a name) and check the tree against tei_all."""

    def run(path: Path, data: bytes | None = None, sidecar: Metadata = Metadata()):
        source = Source(path=path, data=path.read_bytes() if data is None else data, sidecar=sidecar)
        tree, assets = normalise_with_assets(source, options)
        problem = first_error(tei_all, tree)
        assert problem is None, f"{path.name}: not valid against tei_all: {problem}"
        return tree, assets

    return run


def body_fragment(tree: etree._ElementTree) -> bytes:
    """The ``<body>`` of a TEI tree as bytes, the unit the expected fragments hold."""
    body = tree.getroot().find("{http://www.tei-c.org/ns/1.0}text/{http://www.tei-c.org/ns/1.0}body")
    return etree.tostring(body, encoding="UTF-8") + b"\n"


def expected_path(path: Path) -> Path:
    return path.with_name(path.name + ".expected.xml")


@contextlib.contextmanager
def warnings_logged():
    """The WARNING records publish logs inside the block (for tests marked ``warns``)."""
    counter = WarningCounter()
    LOGGER.addHandler(counter)
    try:
        yield counter.records
    finally:
        LOGGER.removeHandler(counter)
