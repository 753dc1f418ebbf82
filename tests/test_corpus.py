"""The shared corpus: every Markdown, HTML, DOCX and TEI file makes a valid TEI, PDF and EPUB.

For each file in ``../shared/corpus/`` that one of these normalisers takes:
the TEI is valid against the official ``tei_all.rng``; the PDF passes
``publish validate`` (:func:`publish.render.pdfcheck.check_pdf`: PDF/A-3,
qpdf, fonts, no missing glyph); the EPUB has no EPUBCheck error or warning
(:func:`publish.render.epubcheck.check_epub`). Nothing is copied into the
project; the files are read in place, and the test skips, naming the path,
when the corpus is absent.

pandoc's ``testsuite.txt``, ``markdown-reader-more.txt`` and ``pipe-tables.txt``
are Markdown test suites under a ``.txt`` suffix (which the text normaliser
takes); they are run here as Markdown, under a ``.md`` name in a temporary folder.

Some corpus files name images that are not in the corpus (``lalune.jpg``,
``nature1.jpg``…) or carry TEI elements with no text to keep (``gap``, ``g``,
``anchor``): their warnings are expected (each figure says why it is empty).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from publish import pipeline
from publish.render.epubcheck import check_epub
from publish.render.pdfcheck import check_pdf
from publish.tei.validate import first_error

from tests.conftest import CORPUS, render_file, write_master

#: Suffixes of the formats issue 5 added (the plain-text corpus files are tested elsewhere).
SUFFIXES = {".md", ".markdown", ".html", ".htm", ".html5", ".docx", ".xml", ".tei"}
#: Markdown under a .txt name (pandoc's test suites): run as Markdown.
MARKDOWN_AS_TXT = {"testsuite.txt", "markdown-reader-more.txt", "pipe-tables.txt"}
#: Files that truly cannot be supported, with the reason. None so far.
UNSUPPORTED: dict[str, str] = {}


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return [CORPUS / "missing"]
    return sorted(p for p in CORPUS.rglob("*") if p.is_file()
                  and (p.suffix.lower() in SUFFIXES or p.name in MARKDOWN_AS_TXT))


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.fixture(scope="module")
def epubcheck_environment():
    """EPUBCheck's JVM, started quickly (COMMON.md: Java 17, tiered compilation cut short)."""
    previous = os.environ.get("JAVA_TOOL_OPTIONS")
    os.environ["JAVA_TOOL_OPTIONS"] = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
    yield
    if previous is None:
        os.environ.pop("JAVA_TOOL_OPTIONS", None)
    else:
        os.environ["JAVA_TOOL_OPTIONS"] = previous


@pytest.mark.slow
@pytest.mark.warns
@pytest.mark.parametrize("path", corpus_files(), ids=case_id)
def test_corpus_file_builds_three_valid_editions(path, tmp_path, options, tei_all, epubcheck_environment):
    if not path.exists():
        pytest.skip(f"missing {path}")
    if path.name in UNSUPPORTED:
        pytest.skip(f"unsupported: {UNSUPPORTED[path.name]}")
    seed = path
    if path.name in MARKDOWN_AS_TXT:
        seed = tmp_path / "seed" / (path.stem + ".md")
        seed.parent.mkdir()
        seed.write_bytes(path.read_bytes())
    master = pipeline.normalise(seed, options)
    problem = first_error(tei_all, master.tree)
    assert problem is None, f"{case_id(path)}: TEI not valid against tei_all: {problem}"

    tei_path = write_master(master, tmp_path / "tei" / f"{master.identifier}.xml")

    pdf = render_file(tei_path, "pdf", tmp_path / "edition.pdf", options)
    assert check_pdf(pdf, options) == []

    epub = render_file(tei_path, "epub", tmp_path / "edition.epub", options)
    assert check_epub(epub, options) == []
