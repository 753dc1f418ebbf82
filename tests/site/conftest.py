"""The reading room's test project: four seeds built once per session, with every edition.

Two seeds of the project's own sample (an English Markdown report with notes
and a table, an HTML release with a figure) and two written for these tests
(``fixtures/seeds``: a Chinese text and an Arabic one). Built for real, TEI,
PDF, EPUB and the site, with ``--jobs 1`` to spare the shared machine.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publish.build.plan import BuildRequest
from publish.build.run import build
from publish.options import TEMPLATES, Options

from tests.conftest import EPOCH, ROOT

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_SEEDS = ("001_harbour_report.md", "001_harbour_report.toml",
                "002_council_budget.html", "002_council_budget.toml")
ENGLISH, FIGURE, CHINESE, ARABIC = ("001_harbour_report", "002_council_budget", "library_zh", "reading_ar")
IDS = (ENGLISH, FIGURE, CHINESE, ARABIC)


def make_project(folder: Path) -> Path:
    """Seeds (the samples and the fixtures) and a copy of templates/ in ``folder``."""
    seeds = folder / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds)
    for name in SAMPLE_SEEDS:
        shutil.copy2(ROOT / "seeds" / name, seeds / name)
    shutil.copytree(TEMPLATES, folder / "templates")
    return folder


def build_project(project: Path, *outputs: str) -> int:
    options = Options(source_date_epoch=EPOCH, date_pinned=True, templates=project / "templates")
    request = BuildRequest(seeds_dir=project / "seeds", dist=project / "dist", jobs=1,
                           outputs=outputs, quiet=True)
    return build(request, options)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """A project built with every output; its ``dist/site/`` is what the tests read. Do not change it."""
    project = make_project(tmp_path_factory.mktemp("site-project"))
    assert build_project(project) == 0
    return project


@pytest.fixture(scope="session")
def site(built) -> Path:
    return built / "dist" / "site"
