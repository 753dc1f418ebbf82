"""Deposit fixtures: the sample built once per session with the real renderers, and its bag."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publish import pipeline
from publish.build.store import write_outputs
from publish.formats import kinds
from publish.layout import Layout
from publish.options import Options

from tests.conftest import EPOCH, SAMPLE

IDENTIFIER = SAMPLE.stem
FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A dist/ with the sample's TEI master and every edition, made by the real pipeline."""
    options = Options(source_date_epoch=EPOCH)
    dist = tmp_path_factory.mktemp("built") / "dist"
    products = pipeline.produce(SAMPLE, kinds(), options)
    write_outputs(Layout(dist=dist), IDENTIFIER, products.outputs())
    return dist


@pytest.fixture(scope="session")
def deposited(built, tmp_path_factory) -> Path:
    """The sample's bag (and .tar) in a dist/ of its own; never modify it: copy it."""
    from publish.deposit.bag import deposit_document

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
