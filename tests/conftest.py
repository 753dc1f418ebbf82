"""Shared test fixtures: paths, the official TEI schema, and the warning guard.

Tests mirror the package tree. Inputs and expected outputs sit side by side in
``fixtures/`` folders next to the tests that use them. ``--update-golden``
rewrites golden files from the current output; review the diff before
committing it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from hypothesis import settings

from publish.log import LOGGER, WarningCounter
from publish.options import Options
from publish.tei.master import Master

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
TEI_ALL = SHARED / "schemas" / "tei" / "tei_all.rng"
SAMPLE = ROOT / "seeds" / "000_4f4d01b3acd55da0.txt"
EPOCH = 1674950400  # 2023-01-29T00:00:00Z

# Property tests draw the same examples on every run, so CI is repeatable and a
# failure seen once is seen again; HYPOTHESIS_PROFILE=explore draws new ones.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output (review the diff!)")


def pytest_configure(config):
    config.addinivalue_line("markers", "warns: the test expects publish to log warnings")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def shared_path(path: Path) -> Path:
    """A path under ../shared/, or skip the test naming what is missing."""
    if not path.exists():
        pytest.skip(f"missing {path}")
    return path


@pytest.fixture(scope="session")
def tei_all():
    """The official TEI P5 tei_all.rng, compiled once per session (about 20 s)."""
    from publish.tei.validate import rng_schema

    return rng_schema(shared_path(TEI_ALL))


@pytest.fixture
def options(tmp_path) -> Options:
    """Options with a fixed build date, so outputs are reproducible."""
    return Options(source_date_epoch=EPOCH)


@pytest.fixture(autouse=True)
def no_unexpected_warnings(request):
    """Fail a test when publish logs a warning it did not expect (mark ``warns``)."""
    counter = WarningCounter()
    LOGGER.addHandler(counter)
    previous = LOGGER.level
    LOGGER.setLevel(logging.INFO)
    yield counter
    LOGGER.removeHandler(counter)
    LOGGER.setLevel(previous)
    if counter.records and request.node.get_closest_marker("warns") is None:
        messages = "; ".join(r.getMessage() for r in counter.records)
        pytest.fail(f"unexpected warning(s) from publish: {messages}")


def assert_golden(actual: bytes, golden: Path, update: bool) -> None:
    """Compare with a golden file, or rewrite it with ``--update-golden``."""
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
        return
    assert golden.is_file(), f"no golden file {golden}; run pytest --update-golden and review it"
    assert actual == golden.read_bytes(), f"output differs from {golden}; if intended, --update-golden"


def write_master(master: Master, tei: Path) -> Path:
    """Write a master as a build lays it out: ``<id>.xml`` with its images in ``<id>_assets/`` beside it."""
    tei.parent.mkdir(parents=True, exist_ok=True)
    tei.write_bytes(master.data)
    for url, data in master.assets.items():
        (tei.parent / url).parent.mkdir(parents=True, exist_ok=True)
        (tei.parent / url).write_bytes(data)
    return tei


def render_file(tei: Path, kind: str, out: Path, options: Options) -> Path:
    """Render the master at ``tei`` to ``out`` as the pipeline does: read it, render, write the bytes."""
    from publish import pipeline

    data = pipeline.render(pipeline.load_master(tei), kind, options)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
