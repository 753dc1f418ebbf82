"""The one per-document pipeline: the same bytes from the CLI's single commands and from a build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest

from publish import pipeline
from publish.build.store import write_outputs
from publish.formats import kinds
from publish.layout import Layout
from publish.options import Options

from tests.conftest import EPOCH

FIGURE = Path(__file__).parent / "build" / "fixtures" / "with-image"


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH))
    return subprocess.run([sys.executable, "-m", "publish", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


def pdf_images(path: Path) -> list[bytes]:
    """The raw bytes of every image XObject drawn on the PDF's pages."""
    with pikepdf.open(path) as pdf:
        return sorted(image.read_raw_bytes() for page in pdf.pages
                      for image in page.get_images().values())


def epub_images(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as book:
        return [name for name in book.namelist() if name.endswith(".png")]


@pytest.fixture
def figure(tmp_path) -> Path:
    shutil.copytree(FIGURE, tmp_path / "seeds")
    return tmp_path


def test_the_master_carries_its_images_by_their_url(figure, options):
    master = pipeline.normalise(figure / "seeds" / "figure.html", options)
    [url] = master.assets
    assert url.startswith("figure_assets/img-") and url.endswith(".png")
    assert master.tree.xpath("//*[local-name()='graphic']/@url") == [url]
    assert master.assets[url] == (FIGURE / "pics" / "dot.png").read_bytes()


@pytest.mark.slow
def test_single_commands_make_the_bytes_a_build_makes(figure, options):
    products = pipeline.produce(figure / "seeds" / "figure.html", kinds(), options)
    write_outputs(Layout(dist=figure / "built"), "figure", products.outputs())
    assert cli(figure, "normalise", "seeds/figure.html").returncode == 0
    for kind in kinds()[1:]:
        done = cli(figure, kind, "dist/tei/figure.xml")
        assert done.returncode == 0, done.stderr
    for kind in kinds():
        assert Layout(dist=figure / "dist").output(kind, "figure").read_bytes() == \
            Layout(dist=figure / "built").output(kind, "figure").read_bytes(), kind
    assert (figure / "dist" / "tei" / "figure_assets").is_dir()


@pytest.mark.slow
def test_a_renamed_master_keeps_its_images_in_both_editions(figure):
    """The images are found by the master's graphic/@url, not by its file name."""
    assert cli(figure, "normalise", "seeds/figure.html").returncode == 0
    tei = figure / "dist" / "tei"
    for kind in ("pdf", "epub"):
        assert cli(figure, kind, "dist/tei/figure.xml", "-o", f"figure.{kind}").returncode == 0
    (tei / "figure.xml").rename(tei / "renamed.xml")
    for kind in ("pdf", "epub"):
        done = cli(figure, kind, "dist/tei/renamed.xml", "-o", f"renamed.{kind}")
        assert done.returncode == 0, done.stderr
    dot = (FIGURE / "pics" / "dot.png").read_bytes()
    assert pdf_images(figure / "renamed.pdf") == pdf_images(figure / "figure.pdf") != []
    [image] = epub_images(figure / "renamed.epub")
    assert epub_images(figure / "figure.epub") == [image]
    assert image.endswith(next(iter(pipeline.normalise(figure / "seeds" / "figure.html", Options()).assets)))
    with zipfile.ZipFile(figure / "renamed.epub") as book:
        assert book.read(epub_images(figure / "renamed.epub")[0]) == dot


def test_a_master_from_disk_is_checked_against_the_package_schema(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>')
    done = cli(tmp_path, "pdf", str(bad))
    assert done.returncode == 67 and done.stderr.startswith(f"publish: error: {bad}: ")
    assert not (tmp_path / "dist").exists()
