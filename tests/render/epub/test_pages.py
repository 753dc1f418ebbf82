"""The PDF's page numbers in the EPUB: every page N of the PDF begins where marker N stands in the EPUB.

Real renderers, real tools: the pipeline makes the PDF and the EPUB of one
master in one run (as a build does); ``pdftotext`` (poppler) reads each page
of the PDF, cropped to the text block so the running head and folio are left
out; the EPUB's text after ``<span epub:type="pagebreak" id="pdf-page-N">``
must begin with the same words. Books: the sample (several pages), the
Arabic (right to left) and Chinese fixtures, and a Markdown seed with a note,
a list and a table.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from publish.options import Options
from publish.pipeline import produce
from publish.render.pages import UNCOUNTED

from tests.conftest import EPOCH, SAMPLE

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures"
H = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
#: The text block of print.css's A5 page (148 × 210 mm, margins 20 17 22 19 mm), in points.
TEXT_BLOCK = ("-x", "0", "-y", "57", "-W", "420", "-H", "476")
#: Counted characters compared at each page start (a few words).
PREFIX = 16

MARKDOWN = """# A long report

{paragraphs}

- A list item that begins a page perhaps.
- Another item with a note.[^1]

| Column | Value |
|---|---|
| first | 1 |
| second | 2 |

{paragraphs}

[^1]: The note, at the foot of the PDF's page and the end of the EPUB's text.
"""


def squeeze(text: str) -> str:
    """The characters the page starts count, in order (no white space or hyphens)."""
    return "".join(c for c in text if not c.isspace() and c not in UNCOUNTED)


def pdf_page_text(pdf: Path, number: int) -> str:
    """Page ``number``'s text block, as pdftotext reads it."""
    done = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), *TEXT_BLOCK,
                           "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def text_after_markers(epub: Path) -> dict[int, str]:
    """Marker N → the EPUB's text after it, to the end of its content document."""
    found = {}
    with zipfile.ZipFile(epub) as book:
        for name in book.namelist():
            if not name.endswith(".xhtml"):
                continue
            root = etree.fromstring(book.read(name))
            for span in root.iter(H + "span"):
                if span.get(EPUB_TYPE) != "pagebreak":
                    continue
                # Skip the EPUB's note calls, as pages.py does: the PDF's are generated content.
                after = [t for t in span.xpath("following::text()")
                         if not t.getparent().xpath("ancestor-or-self::*[contains(@class,'noteref')]")]
                found[int(span.get("aria-label"))] = "".join(after)
    return found


def build(seed: Path, folder: Path) -> tuple[Path, Path]:
    """The PDF and the EPUB of a seed, made in one pipeline run."""
    products = produce(seed, ("pdf", "epub"), Options(source_date_epoch=EPOCH))
    assert not products.failures, products.failures
    pdf, epub = folder / f"{seed.stem}.pdf", folder / f"{seed.stem}.epub"
    pdf.write_bytes(products.editions["pdf"])
    epub.write_bytes(products.editions["epub"])
    return pdf, epub


@pytest.fixture(scope="module")
def long_markdown(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pages-md")
    paragraph = ("This paragraph is long enough that several of them fill a page of the PDF, "
                 "so that pages begin in the middle of a sentence as well as at a heading. ")
    paragraphs = "\n\n".join(paragraph * (1 + n % 3) for n in range(14))
    seed = folder / "long_report.md"
    seed.write_text(MARKDOWN.format(paragraphs=paragraphs), "utf-8")
    return seed


@pytest.mark.parametrize("name", ["sample", "ar", "zh", "markdown"])
def test_every_pdf_page_begins_where_its_marker_stands(name, long_markdown, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    seed = {"sample": SAMPLE, "ar": FIXTURES / "epub_ar.txt", "zh": FIXTURES / "epub_zh.txt",
            "markdown": long_markdown}[name]
    pdf, epub = build(seed, tmp_path)
    with pikepdf.open(pdf) as document:
        count = len(document.pages)
    markers = text_after_markers(epub)
    assert sorted(markers) == list(range(1, count + 1))
    for number in range(1, count + 1):
        page = squeeze(pdf_page_text(pdf, number))
        assert page, f"page {number} has no text"
        after = squeeze(markers[number])
        if name == "ar":  # pdftotext gives right-to-left lines in visual order: compare the words as a set
            words = re.findall(r"\w+", pdf_page_text(pdf, number))[:3]
            assert all(word in markers[number][:400] for word in words), (number, words)
        else:
            assert after.startswith(page[:PREFIX]), (number, page[:PREFIX], after[:PREFIX])


def test_the_page_list_and_metadata(long_markdown, tmp_path):
    _pdf, epub = build(long_markdown, tmp_path)
    with zipfile.ZipFile(epub) as book:
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
        opf = book.read("EPUB/content.opf").decode("utf-8")
    [page_list] = [n for n in nav.iter(H + "nav") if n.get(EPUB_TYPE) == "page-list"]
    assert page_list.get("role") == "doc-pagelist"
    links = [a.get("href") for a in page_list.iter(H + "a")]
    assert links[0] == "titlepage.xhtml#pdf-page-1" and len(links) >= 3
    assert [a.text for a in page_list.iter(H + "a")] == [str(n) for n in range(1, len(links) + 1)]
    assert 'property="pageBreakSource">the PDF/A-3 edition long_report.pdf' in opf
    for feature in ("printPageNumbers", "pageNavigation"):
        assert f'property="schema:accessibilityFeature">{feature}<' in opf
    assert "page numbers of the PDF edition" in opf
