"""One catalogue for the OPDS tests, built once by the real ``publish build``.

53 documents: 51 tiny generated notices built as TEI only (English and German,
dated by day, by year or not at all, most in one collection) so that feeds
pass the 50-entry page size, and two short texts (Arabic and Chinese, in
fixtures/) built with their PDF and EPUB editions, so that their entries
carry acquisition links for every edition. Building all 53 editions would
cost minutes; the catalogue does not need them.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from publish.build.plan import BuildRequest
from publish.build.run import build
from publish.options import Options

from tests.conftest import EPOCH, shared_path
from tests.opds.schemas import OPDS_SCHEMAS

FIXTURES = Path(__file__).parent / "fixtures"
NOTICES = 51
WITH_EDITIONS = ("reading_ar", "reading_zh")
COLLECTION = "Harbour notices"


@dataclasses.dataclass(frozen=True)
class Built:
    project: Path
    dist: Path
    options: Options

    @property
    def opds(self) -> Path:
        return self.dist / "site" / "opds"


def notice(number: int) -> tuple[str, str]:
    """A generated seed and its sidecar: language, date and collection vary with the number."""
    german = number % 2 == 0
    text = (f"Mitteilung {number}\n\nDas Hafenamt veröffentlicht die Mitteilung Nummer {number}.\n" if german
            else f"Notice {number}\n\nThe harbour office posts notice number {number}.\n")
    lines = [f'title = "{"Mitteilung" if german else "Notice"} {number:02d}"',
             f'language = "{"de" if german else "en"}"', 'publisher = "publish test archive"',
             f'source = "Generated notice {number} for the OPDS tests."',
             'licence = "CC0 1.0 (generated for the publish tests)"']
    if number % 7 == 0:
        lines.append('date = "2019"')  # a year only: OPDS 2.0 cannot say it, OPDS 1.2 can
    elif number % 5 != 0:  # every fifth notice is undated
        lines.append(f"date = 2020-{1 + number % 12:02d}-{1 + number % 28:02d}")
    if number % 4 != 0:
        lines.append(f'collection = "{COLLECTION}"')
    return text, "\n".join(lines) + "\n"


def make_seeds(seeds: Path) -> None:
    seeds.mkdir(parents=True)
    for number in range(1, NOTICES + 1):
        text, sidecar = notice(number)
        (seeds / f"notice-{number:02d}.txt").write_text(text, encoding="utf-8")
        (seeds / f"notice-{number:02d}.toml").write_text(sidecar, encoding="utf-8")
    for name in WITH_EDITIONS:
        for suffix in (".txt", ".toml"):
            shutil.copy(FIXTURES / f"{name}{suffix}", seeds / f"{name}{suffix}")


def build_catalogue(project: Path, options: Options) -> None:
    """Every master, then the editions of the two texts; the catalogue comes with the second build."""
    seeds, dist = project / "seeds", project / "dist"
    assert build(BuildRequest(seeds_dir=seeds, dist=dist, jobs=1, outputs=("tei",), quiet=True), options) == 0
    editions = tuple(seeds / f"{name}.txt" for name in WITH_EDITIONS)
    assert build(BuildRequest(seeds=editions, seeds_dir=seeds, dist=dist, jobs=1, quiet=True), options) == 0


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    """The project, built once per session (about 30 s: two PDFs, two EPUBs, 106 PNGs)."""
    shared_path(OPDS_SCHEMAS)
    project = tmp_path_factory.mktemp("opds")
    make_seeds(project / "seeds")
    options = Options(source_date_epoch=EPOCH, date_pinned=True)
    build_catalogue(project, options)
    return Built(project, project / "dist", options)
