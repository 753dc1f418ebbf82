"""Tests for publish.render.epub: real EPUBs, checked with EPUBCheck 5 and read back.

Three books are built once per module from real TEI: the sample seed, a
Chinese and an Arabic document (fixtures/epub_*.txt with .toml sidecars).
Each is checked with EPUBCheck (0 errors, 0 warnings, usage reviewed), and
read back as a zip to compare its metadata with the teiHeader and its text
with the TEI (EPUB 3.3 §4 OCF, §5 package document, §6 content documents).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from publish.cli import main
from publish.errors import InvalidTEIError, PublishError
from publish.normalise import normalise_file
from publish.options import TEMPLATES, Options
from publish.render.epub import (
    XML_LANG,
    BookMetadata,
    Document,
    H,
    accessibility,
    cover_svg,
    new_document,
    text_width,
    wrap,
)
from publish.render.epubcheck import run_epubcheck
from publish.tei import first_text, parse_file, serialise, xpath

from tests.conftest import EPOCH, SAMPLE, render_file

FIXTURES = Path(__file__).parent / "fixtures"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
NS = {"opf": OPF, "dc": DC, "h": "http://www.w3.org/1999/xhtml",
      "epub": "http://www.idpf.org/2007/ops", "ncx": "http://www.daisy.org/z3986/2005/ncx/"}

#: book → (seed, language, direction)
BOOKS = {
    "sample": (SAMPLE, "en", "ltr"),
    "zh": (FIXTURES / "epub_zh.txt", "zh", "ltr"),
    "ar": (FIXTURES / "epub_ar.txt", "ar", "rtl"),
    # No sidecar: no date, no publisher, no licence; the language identified from the text.
    "bare": (FIXTURES / "epub_bare.txt", "en", "ltr"),
    # The sidecar says und: the content documents say und-<Script> (publish.render.xhtml.display_language),
    # dc:language und, as the header.
    "und": (FIXTURES / "epub_und.txt", "und-Latn", "ltr"),
}
CONTENT_DOCUMENTS = ("cover.xhtml", "titlepage.xhtml", "text.xhtml", "colophon.xhtml")


def render_epub(tei: Path, out: Path, options: Options) -> Path:
    """The EPUB of the master at ``tei``, written to ``out``."""
    return render_file(tei, "epub", out, options)


def build_tei(seed: Path, folder: Path) -> Path:
    """Normalise a seed to TEI in ``folder`` (as ``publish normalise`` does)."""
    path = folder / f"{seed.stem}.xml"
    path.write_bytes(serialise(normalise_file(seed, Options(source_date_epoch=EPOCH))))
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each book's TEI and EPUB, built once for the module."""
    folder = tmp_path_factory.mktemp("epub")
    built = {}
    for name, (seed, _language, _direction) in BOOKS.items():
        tei = build_tei(seed, folder)
        out = folder / f"{name}.epub"
        render_epub(tei, out, Options(source_date_epoch=EPOCH))
        built[name] = (tei, out)
    return built


def read(epub: Path, name: str) -> etree._Element:
    """One XML file of the book, parsed."""
    with zipfile.ZipFile(epub) as archive:
        return etree.fromstring(archive.read(name))


def opf(epub: Path) -> etree._Element:
    return read(epub, "EPUB/content.opf")


def metas(package: etree._Element, prop: str) -> list[str]:
    return [m.text for m in package.xpath(f"//opf:meta[@property='{prop}']", namespaces=NS)]


def dc(package: etree._Element, name: str) -> list[str]:
    return [e.text for e in package.xpath(f"//dc:{name}", namespaces=NS)]


def words(text: str) -> str:
    """Whitespace collapsed, as text and metadata are compared."""
    return " ".join(text.split())


# -- EPUBCheck ---------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", BOOKS)
def test_epubcheck_reports_nothing(books, name):
    report = run_epubcheck(books[name][1], usage=True)
    assert report.version.startswith("5."), report.version
    assert report.problems == []
    # USAGE messages were reviewed; none is left to accept.
    assert [m.one_line() for m in report.messages] == []


# -- language and direction --------------------------------------------------

@pytest.mark.parametrize("name", BOOKS)
def test_every_document_has_language_and_direction(books, name):
    _seed, language, direction = BOOKS[name]
    epub = books[name][1]
    for document in CONTENT_DOCUMENTS + ("nav.xhtml",):
        html = read(epub, f"EPUB/{document}")
        assert html.get("lang") == html.get(XML_LANG) == language, document
        assert html.get("dir") == direction, document
    spine = opf(epub).find(f"{{{OPF}}}spine")
    assert spine.get("page-progression-direction") == direction
    # dc:language is the header's: und, not the content documents' und-<Script>
    assert dc(opf(epub), "language") == ["und" if language.startswith("und-") else language]


def test_english_labels_are_marked_in_other_languages(books):
    colophon = read(books["ar"][1], "EPUB/colophon.xhtml")
    section = colophon.find(f"{H}body/{H}section")
    assert section.get("lang") == "en" and section.get("dir") == "ltr"
    title_value = section.xpath("h:dl/h:dt[.='Title']/following-sibling::h:dd[1]", namespaces=NS)[0]
    assert title_value.get("lang") == "ar"
    nav = read(books["ar"][1], "EPUB/nav.xhtml")
    assert nav.xpath("//h:a[.='Colophon']/@lang", namespaces=NS) == ["en", "en"]
    titlepage = read(books["ar"][1], "EPUB/titlepage.xhtml").find(f"{H}body/{H}section")
    assert titlepage.get("aria-label") is None
    assert titlepage.xpath(f"//*[@id='{titlepage.get('aria-labelledby')}']/text()") == ["صباح في المكتبة"]


# -- metadata ----------------------------------------------------------------

@pytest.mark.parametrize("name", BOOKS)
def test_metadata_agrees_with_the_tei_header(books, name):
    tei_path, epub = books[name]
    tei = parse_file(tei_path).getroot()
    package = opf(epub)
    header = "tei:teiHeader/tei:fileDesc/"
    urn = first_text(tei, header + "tei:publicationStmt/tei:idno[@type='URN']")
    assert urn.startswith("urn:uuid:")
    assert dc(package, "identifier") == [urn]
    unique = package.get("unique-identifier")
    assert package.xpath(f"//dc:identifier[@id='{unique}']", namespaces=NS)[0].text == urn
    assert dc(package, "title") == [first_text(tei, header + "tei:titleStmt/tei:title")]
    assert dc(package, "language") == [tei.get(XML_LANG)]
    assert dc(package, "creator") == [words(a) for a in xpath(tei, header + "tei:titleStmt/tei:author/text()")]
    assert dc(package, "date") == xpath(tei, header + "tei:sourceDesc/tei:bibl/tei:date/@when")
    publisher = first_text(tei, header + "tei:publicationStmt/tei:publisher")
    assert dc(package, "publisher") == ([publisher] if publisher else [])
    assert dc(package, "rights") == [words(first_text(tei, header + "tei:publicationStmt/tei:availability"))]
    sources = " ".join(dc(package, "source"))
    assert first_text(tei, header + "tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']") in sources
    description = first_text(tei, header + "tei:sourceDesc/tei:bibl/tei:note[@type='description']")
    assert description is None or words(description) in sources
    assert metas(package, "dcterms:modified") == ["2023-01-29T00:00:00Z"]
    # The NCX names the same identifier (EPUB 2 reading systems).
    ncx = read(epub, "EPUB/toc.ncx")
    assert ncx.xpath("//ncx:meta[@name='dtb:uid']/@content", namespaces=NS) == [urn]


def test_identifier_names_the_document_not_the_build(tmp_path):
    tei = build_tei(SAMPLE, tmp_path)
    render_epub(tei, tmp_path / "a.epub", Options(source_date_epoch=EPOCH))
    render_epub(tei, tmp_path / "b.epub", Options(source_date_epoch=EPOCH + 86400))
    first, second = opf(tmp_path / "a.epub"), opf(tmp_path / "b.epub")
    assert dc(first, "identifier") == dc(second, "identifier")
    assert metas(first, "dcterms:modified") != metas(second, "dcterms:modified")


# -- accessibility -----------------------------------------------------------

def test_accessibility_metadata_of_the_sample(books):
    package = opf(books["sample"][1])
    # The cover is an image with a text alternative: visual, and sufficient as text.
    assert metas(package, "schema:accessMode") == ["textual", "visual"]
    assert metas(package, "schema:accessModeSufficient") == ["textual", "textual,visual"]
    # The sample's text has no headings: no structural navigation is claimed.
    # The PDF's page numbers are there (tests/render/epub/test_pages.py checks where).
    assert set(metas(package, "schema:accessibilityFeature")) == {
        "alternativeText", "displayTransformability", "pageNavigation", "printPageNumbers",
        "readingOrder", "tableOfContents"}
    assert metas(package, "pageBreakSource")[0].startswith("the PDF/A-3 edition ")
    # The Chinese text has a heading.
    assert "structuralNavigation" in metas(opf(books["zh"][1]), "schema:accessibilityFeature")
    assert metas(package, "schema:accessibilityHazard") == ["none"]
    [summary] = metas(package, "schema:accessibilitySummary")
    assert "text alternative" in summary
    assert metas(package, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert metas(package, "a11y:certifiedBy") == ["publish (automated evaluation)"]


META = BookMetadata("urn:uuid:00000000-0000-0000-0000-000000000000", "T", "en", "t", None, None,
                    "", (), ())


def document_with(*children: etree._Element) -> Document:
    html, body = new_document(META, "T")
    section = etree.SubElement(body, H + "section")
    section.extend(children)
    return Document("x.xhtml", "T", html, "bodymatter", None)


def test_no_conformance_claim_when_the_language_is_undetermined(books):
    package = opf(books["und"][1])
    assert metas(package, "dcterms:conformsTo") == []
    assert metas(package, "a11y:certifiedBy") == []
    assert "Meets" not in metas(package, "schema:accessibilitySummary")[0]
    # What it does have is still declared.
    assert "tableOfContents" in metas(package, "schema:accessibilityFeature")


def test_accessibility_of_text_only_content_claims_no_images():
    paragraph = etree.Element(H + "p")
    paragraph.text = "Text."
    access = accessibility([document_with(paragraph)], [])
    assert access.access_modes == ("textual",)
    assert access.sufficient == ("textual",)
    assert "alternativeText" not in access.features
    assert "tableOfContents" not in access.features


def test_accessibility_of_an_image_without_alt_is_not_textual_and_not_conformant():
    image = etree.Element(H + "img", src="figure.png")
    access = accessibility([document_with(image)], [])
    assert access.access_modes == ("textual", "visual")
    assert access.sufficient == ("textual,visual",)
    assert "alternativeText" not in access.features
    assert access.conforms is False
    assert "no text alternative" in access.summary


def test_a_table_without_header_cells_withholds_the_conformance_claim():
    table = etree.Element(H + "table")
    cell = etree.SubElement(etree.SubElement(table, H + "tr"), H + "td")
    cell.text = "1"
    assert accessibility([document_with(table)], []).conforms is False
    head_row = etree.Element(H + "tr")
    etree.SubElement(head_row, H + "th", scope="col").text = "Count"
    table.insert(0, head_row)
    assert accessibility([document_with(table)], []).conforms is True


def test_accessibility_of_images_with_alt():
    image = etree.Element(H + "img", src="figure.png", alt="A map of the province.")
    decorative = etree.Element(H + "img", src="rule.png", alt="", role="presentation")
    access = accessibility([document_with(image, decorative)], [])
    assert access.sufficient == ("textual", "textual,visual")
    assert "alternativeText" in access.features
    assert access.conforms is True


# -- cover and navigation ----------------------------------------------------

@pytest.mark.parametrize("name", BOOKS)
def test_cover_is_generated_with_real_alt_text(books, name):
    tei_path, epub = books[name]
    tei = parse_file(tei_path).getroot()
    title = first_text(tei, "tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title")
    package = opf(epub)
    [item] = package.xpath("//opf:item[@properties='cover-image']", namespaces=NS)
    assert item.get("href") == "cover.svg" and item.get("media-type") == "image/svg+xml"
    image = read(epub, "EPUB/cover.xhtml").xpath("//h:img", namespaces=NS)[0]
    date = xpath(tei, "tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl/tei:date/@when")
    publisher = first_text(tei, "tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:publisher")
    assert image.get("alt") == " — ".join([title] + date + ([publisher] if publisher else []))
    svg = read(epub, "EPUB/cover.svg")
    shown = "".join(t.text for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert "".join(title.split()) in "".join(shown.split())
    assert svg.findtext("{http://www.w3.org/2000/svg}title") == image.get("alt")


@pytest.mark.parametrize("name", BOOKS)
def test_navigation_has_contents_and_landmarks_that_resolve(books, name):
    epub = books[name][1]
    nav = read(epub, "EPUB/nav.xhtml")
    with zipfile.ZipFile(epub) as archive:
        names = set(archive.namelist())
    toc = nav.xpath("//h:nav[@epub:type='toc']//h:a/@href", namespaces=NS)
    assert {href.split("#")[0] for href in toc} == {"titlepage.xhtml", "text.xhtml", "colophon.xhtml"}
    landmarks = nav.xpath("//h:nav[@epub:type='landmarks']//h:a", namespaces=NS)
    assert [a.get(f"{{{NS['epub']}}}type") for a in landmarks] == [
        "cover", "titlepage", "toc", "bodymatter", "colophon"]
    for href in toc + [a.get("href") for a in landmarks]:
        file, _, fragment = href.partition("#")
        assert f"EPUB/{file}" in names
        if fragment:
            assert read(epub, f"EPUB/{file}").xpath(f"//*[@id='{fragment}']")


def test_headings_nest_under_the_text_in_the_contents(books):
    nav = read(books["zh"][1], "EPUB/nav.xhtml")
    nested = nav.xpath("//h:nav[@epub:type='toc']/h:ol/h:li/h:ol/h:li/h:a", namespaces=NS)
    assert [(a.text, a.get("href").split("#")[0]) for a in nested] == [("河边的春天", "text.xhtml")]


# -- faithful text -------------------------------------------------------------

@pytest.mark.parametrize("name", BOOKS)
def test_every_tei_paragraph_is_in_the_content_documents(books, name):
    tei_path, epub = books[name]
    tei = parse_file(tei_path).getroot()
    paragraphs = [words("".join(p.itertext())) for p in xpath(tei, "//tei:body//tei:p | //tei:body//tei:head")]
    assert paragraphs
    text = " ".join(words("".join(read(epub, f"EPUB/{d}").find(f"{H}body").itertext()))
                    for d in CONTENT_DOCUMENTS)
    for paragraph in paragraphs:
        assert paragraph in text


# -- reproducible bytes, clean failures --------------------------------------

def test_two_builds_are_byte_identical_and_the_zip_is_normalised(books, tmp_path):
    tei, first = books["sample"]
    again = tmp_path / "again.epub"
    render_epub(tei, again, Options(source_date_epoch=EPOCH))
    assert again.read_bytes() == first.read_bytes()
    with zipfile.ZipFile(again) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert infos[0].extra == b""
    assert infos[1].filename == "META-INF/container.xml"
    assert {info.date_time for info in infos} == {(2023, 1, 29, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}


def test_dates_before_1980_are_clamped(books, tmp_path):
    out = tmp_path / "old.epub"
    render_epub(books["sample"][0], out, Options(source_date_epoch=0))
    with zipfile.ZipFile(out) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert metas(opf(out), "dcterms:modified") == ["1970-01-01T00:00:00Z"]


def test_a_failing_build_leaves_no_file(tmp_path):
    not_tei = tmp_path / "not-tei.xml"
    not_tei.write_text("<html/>")
    out = tmp_path / "out" / "book.epub"
    with pytest.raises(InvalidTEIError, match="not a TEI document"):
        render_epub(not_tei, out, Options(source_date_epoch=EPOCH))
    assert not out.exists()


def test_a_failure_mid_render_keeps_the_old_file_and_leaves_no_temporary(books, tmp_path):
    # Templates without the cover template: the render fails after the XHTML step
    # (and after the PDF layout the page list is read from, which needs print.css
    # and the scripts.css it imports).
    templates = tmp_path / "templates"
    templates.mkdir()
    for name in ("tei-to-xhtml.xsl", "epub.css", "print.css", "scripts.css"):
        shutil.copy(TEMPLATES / name, templates / name)
    out = tmp_path / "book.epub"
    out.write_bytes(b"the previous edition")
    with pytest.raises(PublishError, match="cover"):
        render_epub(books["sample"][0], out, Options(source_date_epoch=EPOCH, templates=templates))
    assert out.read_bytes() == b"the previous edition"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.epub", "templates"]


# -- cover text layout ---------------------------------------------------------

def test_wrap_breaks_latin_at_spaces_and_cjk_anywhere():
    latin = wrap("Provincial Government Party Group Meeting", 8)
    assert latin == ["Provincial", "Government", "Party Group", "Meeting"]
    chinese = wrap("河边的春天：图书馆旧报纸整理记", 5)
    assert "".join(chinese) == "河边的春天：图书馆旧报纸整理记"
    assert all(text_width(line) <= 5 for line in chinese)


def test_a_very_long_title_stays_above_the_date_and_publisher():
    title = "A very long title that goes on " * 60
    meta = dataclasses.replace(META, title=title.strip(), date="1901", publisher="An archive")
    svg = etree.fromstring(cover_svg(meta, TEMPLATES))
    texts = list(svg.iter("{http://www.w3.org/2000/svg}text"))
    title_lines = [t for t in texts if t.get("font-weight") == "bold"]
    assert title_lines[-1].text.endswith("…")
    assert [t.text for t in texts[len(title_lines):]] == ["1901", "An archive"]
    positions = [float(t.get("y")) for t in texts]
    assert positions == sorted(positions) and positions[-1] < 1800
    assert svg.findtext("{http://www.w3.org/2000/svg}title").startswith(title.strip())


def test_the_cli_renders_an_epub_and_names_a_bad_input(books, tmp_path, capsys):
    out = tmp_path / "cli.epub"
    assert main(["epub", str(books["sample"][0]), "-o", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    assert main(["epub", str(tmp_path / "missing.xml"), "-o", str(tmp_path / "no.epub")]) == 65
    error = capsys.readouterr().err.strip()
    assert error.startswith("publish: error:") and "missing.xml" in error and "\n" not in error
    assert not (tmp_path / "no.epub").exists()


def test_the_reading_css_has_no_pixel_sizes_and_no_forced_colours():
    css = (TEMPLATES / "epub.css").read_text(encoding="utf-8")
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    # Text sizes are relative; hairline borders may be in pixels.
    sizes = re.findall(r"(?:font-size|line-height|font)\s*:\s*([^;}]+)", rules)
    assert sizes and not [size for size in sizes if re.search(r"\d\s*(px|pt)\b", size)]
    assert set(re.findall(r"(?<![-\w])(?:color|background(?:-color)?)\s*:\s*([^;]+)", rules)) <= set()
    for language in ("zh", "ja", "ar", "he"):
        assert f":lang({language})" in rules


# -- images from the asset folder ----------------------------------------------

def tiny_png() -> bytes:
    """A real 1×1 red PNG (ISO/IEC 15948), made here."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def tei_with_figure(folder: Path, description: str | None) -> Path:
    """The sample's TEI with a figure whose image is in the asset folder."""
    from publish.tei import T

    tree = normalise_file(SAMPLE, Options(source_date_epoch=EPOCH))
    identifier = SAMPLE.stem
    (folder / f"{identifier}_assets").mkdir(exist_ok=True)
    (folder / f"{identifier}_assets" / "img-red.png").write_bytes(tiny_png())
    figure = T.figure(T.head("A red square"), T.graphic(url=f"{identifier}_assets/img-red.png",
                                                        mimeType="image/png"))
    if description:
        figure.append(T.figDesc(description))
    xpath(tree.getroot(), "//tei:body")[0].append(figure)
    path = folder / f"{identifier}.xml"
    path.write_bytes(serialise(tree))
    return path


@pytest.mark.slow
def test_an_image_is_packaged_and_described(tmp_path):
    tei = tei_with_figure(tmp_path, "A small red square.")
    out = tmp_path / "figure.epub"
    render_epub(tei, out, Options(source_date_epoch=EPOCH))
    package = opf(out)
    [item] = package.xpath("//opf:item[@media-type='image/png']", namespaces=NS)
    assert item.get("href") == f"{SAMPLE.stem}_assets/img-red.png"
    image = read(out, "EPUB/text.xhtml").xpath("//h:img", namespaces=NS)[0]
    assert image.get("src") == item.get("href") and image.get("alt") == "A small red square."
    assert "alternativeText" in metas(package, "schema:accessibilityFeature")
    assert metas(package, "schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert run_epubcheck(out, usage=True).messages == ()


@pytest.mark.slow
def test_an_image_without_description_is_not_claimed_textual(tmp_path):
    tei = tei_with_figure(tmp_path, None)
    out = tmp_path / "figure.epub"
    render_epub(tei, out, Options(source_date_epoch=EPOCH))
    package = opf(out)
    assert metas(package, "schema:accessModeSufficient") == ["textual,visual"]
    assert "alternativeText" not in metas(package, "schema:accessibilityFeature")
    assert metas(package, "dcterms:conformsTo") == []
    assert run_epubcheck(out, usage=True).messages == ()


def test_an_image_outside_the_asset_folder_is_refused(tmp_path):
    tei = tei_with_figure(tmp_path, "A small red square.")
    text = tei.read_text(encoding="utf-8").replace(f"{SAMPLE.stem}_assets/img-red.png", "../secret.png")
    tei.write_text(text, encoding="utf-8")
    out = tmp_path / "figure.epub"
    with pytest.raises(PublishError, match="not in the asset folder"):
        render_epub(tei, out, Options(source_date_epoch=EPOCH))
    assert not out.exists()
