"""Deposit fixtures: the sample built once per session with the real renderers, and its bag."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from publish.fileio import atomic_write
from publish.options import Options

from tests.conftest import EPOCH, SAMPLE

IDENTIFIER = SAMPLE.stem
FIXTURES = Path(__file__).with_name("fixtures")


def need(module: str):
    """Import a part of publish another piece of work provides, or skip naming it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        pytest.skip(f"{module} is not available: {error}")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A dist/ with the sample's TEI master, PDF and EPUB, made by the real pipeline."""
    from publish.normalise import normalise_file
    from publish.tei import serialise

    render_pdf = need("publish.render.pdf").render_pdf
    render_epub = need("publish.render.epub").render_epub
    options = Options(source_date_epoch=EPOCH)
    dist = tmp_path_factory.mktemp("built") / "dist"
    tei = dist / "tei" / f"{IDENTIFIER}.xml"
    atomic_write(tei, serialise(normalise_file(SAMPLE, options)))
    render_pdf(tei, dist / "pdf" / f"{IDENTIFIER}.pdf", options)
    render_epub(tei, dist / "epub" / f"{IDENTIFIER}.epub", options)
    return dist


@pytest.fixture(scope="session")
def deposited(built, tmp_path_factory) -> Path:
    """The sample's bag (and .tar) in a dist/ of its own; never modify it: copy it."""
    from publish.deposit.bag import deposit_document

    need("publish.render.pdfcheck")
    need("publish.render.epubcheck")
    dist = tmp_path_factory.mktemp("deposited") / "dist"
    shutil.copytree(built, dist)
    deposit_document(IDENTIFIER, SAMPLE.parent, dist, True, Options(source_date_epoch=EPOCH))
    return dist / "deposit" / IDENTIFIER


@pytest.fixture
def dist_copy(built, tmp_path) -> Path:
    """A private copy of the built dist/, to break or deposit into."""
    dist = tmp_path / "dist"
    shutil.copytree(built, dist)
    return dist


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative name, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
