"""Tests for publish.render.epubcheck: EPUBCheck 5 as ``publish validate`` runs it.

Real EPUBCheck runs on a real EPUB, on the same EPUB with a content document
removed, and on a file that is not a zip; without Java the check says so.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from publish.cli import main
from publish.normalise import normalise_file
from publish.options import Options
from publish.render.epubcheck import check_epub
from publish.tei import serialise

from tests.conftest import EPOCH, SAMPLE, render_file

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample_epub(tmp_path_factory) -> Path:
    """The sample seed as an EPUB, built once for the module."""
    folder = tmp_path_factory.mktemp("epubcheck")
    tei = folder / "sample.xml"
    tei.write_bytes(serialise(normalise_file(SAMPLE, Options(source_date_epoch=EPOCH))))
    return render_file(tei, "epub", folder / "sample.epub", Options(source_date_epoch=EPOCH))


def test_validate_says_a_good_epub_is_valid(sample_epub, capsys):
    assert main(["validate", str(sample_epub)]) == 0
    assert capsys.readouterr().out.strip() == f"{sample_epub}: valid"


def test_a_missing_content_document_is_reported_one_line_each(sample_epub, tmp_path, options):
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(sample_epub) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            if info.filename != "EPUB/colophon.xhtml":
                target.writestr(info, source.read(info))
    problems = check_epub(broken, options)
    assert problems
    assert all("\n" not in p and p.split()[0] in ("FATAL", "ERROR", "WARNING") for p in problems)
    assert any(p.startswith("ERROR") and "colophon.xhtml" in p for p in problems)


def test_a_file_that_is_not_a_zip_is_reported(tmp_path, options):
    fake = tmp_path / "fake.epub"
    fake.write_text("not a zip")
    problems = check_epub(fake, options)
    assert problems and problems[0].split()[0] in ("FATAL", "ERROR")


def test_without_java_the_check_says_java_is_missing(sample_epub, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no java on PATH
    assert check_epub(sample_epub, Options(source_date_epoch=EPOCH)) == [
        "Java is missing: EPUBCheck needs a Java runtime (apt-get install "
        "openjdk-17-jre-headless); EPUB not checked"]
    assert main(["validate", str(sample_epub)]) == 67
    assert "Java is missing" in capsys.readouterr().err
