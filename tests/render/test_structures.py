"""Issue 5's structures through templates/tei-to-xhtml.xsl into both editions.

The XHTML is checked for what EPUB 3.3 and its accessibility rules ask
(noteref/footnote asides with back-links, ``th`` with ``scope``, ``img`` with
``alt``, a caption); the PDF of the DOCX seed is checked with poppler: the
footnote sits at the foot of its page, the table's header row repeats, the
chart is drawn, and a page rendered to PNG shows the chart's colour.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from publish import pipeline
from publish.render.xhtml import XHTML_NS, to_xhtml

from tests.conftest import ROOT, render_file, write_master

SEEDS = ROOT / "seeds"
H = {"h": XHTML_NS, "epub": "http://www.idpf.org/2007/ops"}


def edition_tei(seed: Path, folder: Path, options) -> Path:
    """Normalise a seed into ``folder`` as a build does: TEI and its assets side by side."""
    master = pipeline.normalise(seed, options)
    return write_master(master, folder / f"{master.identifier}.xml")


def xhtml(seed: Path, target: str, tmp_path, options) -> etree._Element:
    tree = etree.parse(str(edition_tei(seed, tmp_path, options)))
    return to_xhtml(tree, options.templates, target).getroot()


def test_epub_footnotes_are_asides_with_backlinks(tmp_path, options):
    root = xhtml(SEEDS / "001_harbour_report.md", "epub", tmp_path, options)
    refs = root.xpath("//h:a[@epub:type='noteref']", namespaces=H)
    asides = root.xpath("//h:section[@id='text']/h:aside[@epub:type='footnote']", namespaces=H)
    assert len(refs) == len(asides) == 2
    for ref, aside in zip(refs, asides, strict=True):
        assert ref.get("role") == "doc-noteref" and aside.get("role") == "doc-footnote"
        assert ref.get("href") == f"#{aside.get('id')}"
        back = aside.xpath(".//h:a[@role='doc-backlink']", namespaces=H)[0]
        assert back.get("href") == f"#{ref.get('id')}"
        assert ref.getparent().tag == f"{{{XHTML_NS}}}p"  # phrasing: never an aside inside a p


def test_tables_have_header_cells_with_scope(tmp_path, options):
    root = xhtml(SEEDS / "002_council_budget.html", "epub", tmp_path, options)
    table = root.xpath("//h:table", namespaces=H)[0]
    assert table.xpath("string(h:caption)", namespaces=H) == "Net spending by service, £ million"
    assert [th.get("scope") for th in table.xpath("h:thead/h:tr/h:th", namespaces=H)] == ["col"] * 3
    assert [th.get("scope") for th in table.xpath("h:tbody/h:tr/h:th", namespaces=H)] == ["row"] * 5


def test_figures_have_alt_text_and_caption(tmp_path, options):
    root = xhtml(SEEDS / "002_council_budget.html", "epub", tmp_path, options)
    figure = root.xpath("//h:figure", namespaces=H)[0]
    image = figure.xpath("h:img", namespaces=H)[0]
    assert image.get("alt").startswith("Bar chart comparing spending")
    assert re.fullmatch(r"002_council_budget_assets/img-[0-9a-f]{16}\.png", image.get("src"))
    assert (tmp_path / image.get("src")).is_file()
    assert figure.xpath("string(h:figcaption)", namespaces=H).startswith("Spending on the three")


def test_pdf_notes_stay_in_the_text_to_float(tmp_path, options):
    root = xhtml(SEEDS / "003_library_annual_report.docx", "pdf", tmp_path, options)
    notes = root.xpath("//h:span[@class='footnote']", namespaces=H)
    assert [n.get("id") for n in notes] == ["note-1", "note-2"]
    assert not root.xpath("//h:aside", namespaces=H)


@pytest.mark.slow
def test_pdf_page_shows_footnote_table_list_and_chart(tmp_path, options):
    tei_path = edition_tei(SEEDS / "003_library_annual_report.docx", tmp_path, options)
    pdf = render_file(tei_path, "pdf", tmp_path / "report.pdf", options)
    page = text_page_with(pdf, "Counted from the loans system")
    words = words_on_page(pdf, page)
    height = page_height(pdf, page)
    footnote_y = next(y for word, y in words if word == "Counted")
    body_y = next(y for word, y in words if word == "Highlights")
    assert footnote_y > 0.8 * height > body_y, "the footnote is at the foot of the page"
    assert {"Year", "Loans", "Members", "2021", "•", "◦"} <= {w for w, _ in words}
    images = run("pdfimages", "-list", "-f", str(page), "-l", str(page), str(pdf))
    assert len(images.splitlines()) >= 3, "the chart is an image on the page"
    png = tmp_path / "page"
    run("pdftoppm", "-r", "60", "-f", str(page), "-l", str(page), "-png", "-singlefile", str(pdf), str(png))
    assert chart_green(png.with_suffix(".png")), "the chart's bars are drawn on the rendered page"


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def text_page_with(pdf: Path, needle: str) -> int:
    pages = run("pdftotext", "-layout", str(pdf), "-").split("\f")
    return next(number for number, text in enumerate(pages, 1) if needle in text)


def words_on_page(pdf: Path, page: int) -> list[tuple[str, float]]:
    bbox = run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    return [(m.group(2), float(m.group(1)))
            for m in re.finditer(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', bbox)]


def page_height(pdf: Path, page: int) -> float:
    bbox = run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    return float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', bbox).group(1))


def chart_green(png: Path) -> bool:
    """Whether the rendered page shows the chart's green bars (60, 130, 80), give or take scaling."""
    from PIL import Image  # WeasyPrint's own dependency

    with Image.open(png) as image:
        rgb = image.convert("RGB")
        pixels = (rgb.getpixel((x, y)) for y in range(0, rgb.height, 2) for x in range(0, rgb.width, 2))
        green = sum(1 for r, g, b in pixels if abs(r - 60) < 20 and abs(g - 130) < 20 and abs(b - 80) < 20)
    return green > 50
