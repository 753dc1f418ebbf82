"""Tests for publish.render.ace: the real DAISY Ace, on a headless Chromium, on real EPUBs.

The books are made here: small hand-written EPUB 3 files whose faults are
known (no ``xml:lang`` on ``<package>``, an ``epub:type`` without its ARIA
role, an image without ``alt``), and the project's own editions of seeds
(the sample, a Chinese and an Arabic text, documents with images). Every
check runs Ace itself; the tests skip, naming what is missing, only when the
project's Ace (``npm ci``), Node or Chromium is not there.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from publish.render import ace
from publish.render.ace import AceUnavailable, find_ace, parse_report, run_ace

from tests.conftest import EPOCH, ROOT, SAMPLE

FIXTURES = Path(__file__).parent / "epub" / "fixtures"

# A 1×1 PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b1e6a30000000049454e44ae426082")
HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en">')
CONTAINER = ('<?xml version="1.0"?><container version="1.0" '
             'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
             '<rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/>'
             '</rootfiles></container>')


def small_epub(path: Path, package_lang: bool = True, colophon_role: bool = True,
               alt: str | None = "A red dot") -> Path:
    """A valid EPUB 3 of one text document, an image and a colophon; each fault can be switched on."""
    lang = ' xml:lang="en"' if package_lang else ""
    role = ' role="doc-colophon"' if colophon_role else ""
    alt_attribute = f' alt="{alt}"' if alt is not None else ""
    package = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"{lang}>
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">urn:uuid:9a4a2f0e-3a1c-4a8e-9d38-0c7d4ad3b001</dc:identifier>
<dc:title>Ace fixture</dc:title><dc:language>en</dc:language>
<meta property="dcterms:modified">2023-01-29T00:00:00Z</meta>
<meta property="schema:accessMode">textual</meta><meta property="schema:accessMode">visual</meta>
<meta property="schema:accessModeSufficient">textual</meta>
<meta property="schema:accessibilityFeature">structuralNavigation</meta>
<meta property="schema:accessibilityFeature">alternativeText</meta>
<meta property="schema:accessibilityHazard">none</meta>
<meta property="schema:accessibilitySummary">A test book.</meta>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="text" href="text.xhtml" media-type="application/xhtml+xml"/>
<item id="dot" href="dot.png" media-type="image/png"/>
</manifest>
<spine><itemref idref="text"/></spine>
</package>"""
    nav = (HEAD + '<head><title>Contents</title></head><body><nav epub:type="toc" role="doc-toc" '
           'aria-labelledby="toc"><h1 id="toc">Contents</h1><ol><li><a href="text.xhtml">Text</a></li>'
           '</ol></nav></body></html>')
    text = (HEAD + '<head><title>Text</title></head><body>'
            '<section epub:type="bodymatter chapter" role="doc-chapter" aria-labelledby="h">'
            f'<h1 id="h">Text</h1><p>Hello.</p><img src="dot.png"{alt_attribute}/></section>'
            f'<section id="colophon" epub:type="backmatter colophon"{role} aria-labelledby="c">'
            '<h2 id="c">Colophon</h2><p>Made for a test.</p></section></body></html>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        for name, data in (("META-INF/container.xml", CONTAINER), ("EPUB/content.opf", package),
                           ("EPUB/nav.xhtml", nav), ("EPUB/text.xhtml", text), ("EPUB/dot.png", PNG)):
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture(scope="module")
def tools():
    """The project's Ace, or skip naming what is missing."""
    try:
        return find_ace()
    except AceUnavailable as unavailable:
        pytest.skip(str(unavailable))


@pytest.fixture(scope="module")
def small_books(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ace")
    return {
        "clean": small_epub(folder / "clean.epub"),
        "decorative": small_epub(folder / "decorative.epub", alt=""),
        "faulty": small_epub(folder / "faulty.epub", package_lang=False, colophon_role=False, alt=None),
        "broken": _write(folder / "broken.epub", b"not a zip"),
    }


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def small_reports(tools, small_books):
    """All four small books, checked in one Ace run (one browser)."""
    return run_ace(list(small_books.values()), tools=tools)


def test_a_clean_book_and_a_decorative_image_have_no_violations(small_reports, small_books):
    for name in ("clean", "decorative"):
        report = small_reports[small_books[name]]
        assert report.error is None
        assert report.passed, report.problems
        assert report.counts == {"critical": 0, "serious": 0, "moderate": 0, "minor": 0}
        assert report.outcome == "pass"
        assert report.version.startswith("1.4.")


def test_each_fault_is_one_violation_with_its_rule_and_impact(small_reports, small_books):
    report = small_reports[small_books["faulty"]]
    assert report.outcome == "fail"
    found = {(v.rule, v.impact, v.document) for v in report.violations}
    assert found == {("epub-lang", "serious", "EPUB/content.opf"),
                     ("epub-type-has-matching-role", "moderate", "text.xhtml"),
                     ("image-alt", "critical", "text.xhtml")}
    assert report.counts == {"critical": 1, "serious": 1, "moderate": 1, "minor": 0}
    assert report.rules == ["epub-lang", "epub-type-has-matching-role", "image-alt"]
    role = next(v for v in report.violations if v.rule == "epub-type-has-matching-role")
    assert role.where == "#colophon" and 'epub:type="backmatter colophon"' in role.html
    assert all(line.startswith(("critical ", "serious ", "moderate ")) for line in report.problems)


def test_a_book_ace_cannot_open_is_an_error_and_the_batch_goes_on(small_reports, small_books):
    broken = small_reports[small_books["broken"]]
    assert broken.error and not broken.passed
    assert broken.problems[0].startswith("Ace could not check the EPUB")
    # The reports come back in the order asked, each for its own book.
    assert list(small_reports) == list(small_books.values())


def test_the_batch_reports_what_aces_own_command_line_reports(tools, small_books, small_reports, tmp_path):
    faulty = small_books["faulty"]
    command = [str(ace.ace_cli()), "--silent", "--force", "--outdir", str(tmp_path / "out"), str(faulty)]
    subprocess.run(command, env=tools.environment(), check=True, capture_output=True, timeout=300)
    alone = parse_report(json.loads((tmp_path / "out" / "report.json").read_text("utf-8")), faulty)
    batch = small_reports[faulty]
    assert alone.violations == batch.violations
    assert alone.outcome == batch.outcome and alone.version == batch.version


def test_a_book_ace_does_not_finish_is_a_finding_never_a_pass(tools, small_books, monkeypatch):
    """Time runs out (here at once): the batch is retried book by book, and each is an error, not a pass."""
    monkeypatch.setattr(ace, "START_ALLOWANCE", 0.05)
    monkeypatch.setattr(ace, "TIMEOUT_PER_BOOK", 0.01)
    books = [small_books["clean"], small_books["faulty"]]
    reports = run_ace(books, tools=tools)
    assert list(reports) == books
    for report in reports.values():
        assert report.error and report.error.startswith("Ace did not finish checking this book in")
        assert not report.passed and report.problems


def test_missing_tools_are_named(tmp_path, monkeypatch):
    with pytest.raises(AceUnavailable, match=r"node_modules.*npm ci"):
        find_ace(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(AceUnavailable, match="Node.js is missing"):
        find_ace()


def test_a_missing_chromium_is_named(tools, monkeypatch, tmp_path):
    monkeypatch.setenv("PUPPETEER_EXECUTABLE_PATH", str(tmp_path / "no-chromium"))
    with pytest.raises(AceUnavailable, match="Chromium is missing"):
        find_ace()
    # What `publish validate` would print: one clear line per EPUB, no traceback.
    lines = ace.check_epubs([tmp_path / "x.epub"])[tmp_path / "x.epub"]
    assert len(lines) == 1 and "Chromium is missing" in lines[0] and "apt-get install chromium" in lines[0]


# -- the project's own editions -------------------------------------------------

EDITIONS = {
    "sample": SAMPLE,
    "zh": FIXTURES / "epub_zh.txt",
    "ar": FIXTURES / "epub_ar.txt",
    "bare": FIXTURES / "epub_bare.txt",
    "md": ROOT / "seeds" / "001_harbour_report.md",
    "html with images": ROOT / "seeds" / "002_council_budget.html",
    "docx with images": ROOT / "seeds" / "003_library_annual_report.docx",
}


def image_seeds(folder: Path) -> dict[str, Path]:
    """Markdown books with one image each: with alt text, and with none."""
    (folder / "dot.png").write_bytes(PNG)
    seeds = {}
    for name, alt in (("image with alt", "A red dot"), ("image without alt", "")):
        seed = folder / f"{name.replace(' ', '_')}.md"
        seed.write_text(f"# A figure\n\nSome text before.\n\n![{alt}](dot.png)\n\nSome text after.\n",
                        "utf-8")
        # Too short to identify its language: the sidecar says it, or the claim is withheld for "und".
        seed.with_suffix(".toml").write_text('language = "en"\n', "utf-8")
        seeds[name] = seed
    return seeds


def corpus_seeds(folder: Path) -> dict[str, Path]:
    """Every corpus file the corpus test builds (tests/test_corpus.py), Markdown suites as ``.md``."""
    from tests.test_corpus import MARKDOWN_AS_TXT, case_id, corpus_files

    seeds = {}
    for path in corpus_files():
        if not path.exists():
            continue
        seed = path
        if path.name in MARKDOWN_AS_TXT:
            seed = folder / "md" / (path.stem + ".md")
            seed.parent.mkdir(exist_ok=True)
            seed.write_bytes(path.read_bytes())
        seeds[f"corpus {case_id(path)}"] = seed
    return seeds


@pytest.fixture(scope="module")
def editions(tools, tmp_path_factory) -> dict[str, object]:
    """Ace's reports, from one browser, on the project's EPUBs of every book above and the corpus."""
    from publish.options import Options
    from publish.pipeline import normalise, render

    folder = tmp_path_factory.mktemp("ace-editions")
    options = Options(source_date_epoch=EPOCH)
    seeds = {**EDITIONS, **image_seeds(folder), **corpus_seeds(folder)}
    paths = {}
    for number, (name, seed) in enumerate(seeds.items()):
        path = folder / f"{number:03d}-{seed.stem}.epub"
        path.write_bytes(render(normalise(seed, options), "epub", options))
        paths[name] = path
    reports = run_ace(list(paths.values()), tools=tools)
    return {name: (paths[name], reports[path]) for name, path in paths.items()}


@pytest.mark.slow
@pytest.mark.warns  # corpus files name images the corpus lacks; their warnings are expected
def test_the_editions_pass_ace(editions):
    # Zero violations of any impact (issue 14): xml:lang on <package>, role="doc-colophon".
    assert {name: report.problems for name, (_path, report) in editions.items() if not report.passed} == {}
    assert len(editions) > len(EDITIONS) + 2  # the corpus was there and was checked


@pytest.mark.slow
@pytest.mark.warns
def test_the_claim_is_made_only_where_the_projects_checks_find_nothing(editions):
    # Ace found nothing in any of them (above); the claim still follows the
    # project's own checks, which also refuse an image whose alt is empty
    # but not marked decorative (Ace takes alt="" as decorative).
    claims = {name: b"dcterms:conformsTo" in zipfile.ZipFile(path).read("EPUB/content.opf")
              for name, (path, _report) in editions.items()}
    assert claims["sample"] and claims["image with alt"] and claims["zh"] and claims["ar"]
    assert not claims["image without alt"]
