"""Tests for publish.render.pdf: real PDF/A-3 editions, read back with pikepdf and poppler.

Each document is rendered once per module (WeasyPrint is slow): the sample
seed, and short Chinese, Arabic, Hebrew, Japanese and medieval Latin (MUFI)
documents (``fixtures/pdf_*.txt`` with ``.toml`` sidecars giving their language). The
PDFs are laid out as ``dist/`` is (``tei/<id>.xml`` beside ``pdf/<id>.pdf``)
so ``publish validate`` also compares the embedded TEI with its master.
Checks follow ISO 19005-3 (PDF/A-3), ISO 32000-1 §14.8 (tagged PDF) and
ISO 16684-1 (XMP).
"""

from __future__ import annotations

import io
import logging
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from publish import pipeline
from publish.normalise import normalise_file
from publish.options import TEMPLATES, Options
from publish.render.pdf import Edition, render, resolve_auto_direction, shorten
from publish.render.pdfcheck import check_pdf
from publish.render.xhtml import direction
from publish.tei import TEI_NS, parse_file, serialise, xpath

from tests.conftest import EPOCH, SAMPLE, render_file, write_master
from tests.normalise.conftest import warnings_logged

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_ID = SAMPLE.stem
#: document → (seed, language, the font family its text must be set in)
DOCUMENTS = {
    "sample": (SAMPLE, "en", "Noto-Serif"),
    "zh": (FIXTURES / "pdf_zh.txt", "zh", "Noto-Serif-CJK-SC"),
    "ar": (FIXTURES / "pdf_ar.txt", "ar", "Noto-Naskh-Arabic"),
    "he": (FIXTURES / "pdf_he.txt", "he", "Noto-Serif-Hebrew"),
    "ja": (FIXTURES / "pdf_ja.txt", "ja", "Noto-Serif-CJK-JP"),
    # MUFI private-use characters of medieval texts: Junicode (fonts-junicode).
    "mufi": (FIXTURES / "pdf_mufi.txt", "la", "Junicode-Two-Beta"),
}
MM = 72 / 25.4
#: The page body in points, from templates/print.css (A5, margins 20 17 22 19 mm):
#: text outside it is the running header and the folio.
PAGE_WIDTH, PAGE_HEIGHT = 148 * MM, 210 * MM
BODY_TOP, BODY_BOTTOM = 20 * MM, PAGE_HEIGHT - 22 * MM
BODY_LEFT, BODY_RIGHT = 19 * MM, PAGE_WIDTH - 17 * MM


def options() -> Options:
    """The same options as the ``options`` fixture, for module-scoped renders."""
    return Options(source_date_epoch=EPOCH)


def render_pdf(tei: Path, out: Path, options: Options) -> Path:
    """The PDF of the master at ``tei``, written to ``out``."""
    return render_file(tei, "pdf", out, options)


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each document's TEI master and PDF, as dist/tei/<id>.xml and dist/pdf/<id>.pdf."""
    dist = tmp_path_factory.mktemp("dist")
    built = {}
    for name, (seed, _language, _font) in DOCUMENTS.items():
        tei = dist / "tei" / f"{seed.stem}.xml"
        tei.parent.mkdir(exist_ok=True)
        tei.write_bytes(serialise(normalise_file(seed, options())))
        pdf = dist / "pdf" / f"{seed.stem}.pdf"
        render_pdf(tei, pdf, options())
        built[name] = (tei, pdf)
    return built


def run(*command: str) -> str:
    """A poppler or qpdf tool's standard output (it must succeed)."""
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def body_text(pdf: Path) -> str:
    """The text of the page bodies, without running headers and folios (``pdftotext -x -y -W -H``)."""
    return run("pdftotext", "-x", str(int(BODY_LEFT - 6)), "-y", str(int(BODY_TOP)),
               "-W", str(int(BODY_RIGHT - BODY_LEFT + 12)), "-H", str(int(BODY_BOTTOM - BODY_TOP)),
               "-enc", "UTF-8", str(pdf), "-")


def joined(text: str) -> str:
    """Extracted lines joined back into running text, whitespace collapsed.

    WeasyPrint hyphenates with U+2010 HYPHEN, which the sources here never
    hold: such a hyphen at a line's end and its line (or page) break are
    removed. A break
    after an existing hyphen-minus joins without a space. Bidi controls that
    pdftotext adds around right-to-left runs (category Cf) are dropped.
    """
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = re.sub("\u2010[\n\f]+", "", text)  # a page break (form feed) may follow
    text = re.sub(r"(?<=\w-)[\n\f]+(?=\w)", "", text)
    return " ".join(text.split())


def paragraphs(tei: Path) -> list[str]:
    """The text of each paragraph and heading of the TEI body, whitespace collapsed."""
    body = xpath(parse_file(tei).getroot(), "//tei:text/tei:body//*[self::tei:p or self::tei:head]")
    return [" ".join("".join(p.itertext()).split()) for p in body]


def spaceless(text: str) -> str:
    return "".join(text.split())


# -- the sample seed ---------------------------------------------------------

def test_sample_text_contains_every_paragraph(editions):
    tei, pdf = editions["sample"]
    text = joined(body_text(pdf))
    found = paragraphs(tei)
    assert len(found) == 4
    for paragraph in found:
        assert paragraph in text, f"paragraph not found in pdftotext output: {paragraph[:60]}…"


def test_sample_has_title_page_running_header_folios_and_colophon(editions):
    tei, pdf = editions["sample"]
    pages = run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")[:-1]
    count = len(pages)
    title = Edition.from_tei(parse_file(tei)).title
    assert " ".join(pages[0].split()).startswith(title)
    assert "1 / " not in pages[0], "the title page has no folio"
    for number, page in enumerate(pages[1:], start=2):
        # pdftotext drops the narrow spaces of the 8 pt folio "n / N".
        assert re.search(rf"\b{number}\s*/\s*{count}\b", page), page[-40:]
    assert shorten(title) in pages[1]
    colophon = " ".join(pages[-1].split())
    assert colophon.startswith("Colophon")
    for fact in ("urn:uuid:3c46a367-a7c0-5bb7-872a-bef6a8289d32",
                 "32d73b424318abd9e0b838e8b7ffb55145b2641462e7bc9e1c1b8dc2904ec75a",
                 "000_4f4d01b3acd55da0.txt", "publish 0.1.0", "Rights not cleared"):
        assert fact in colophon


def test_sample_validates(editions):
    _tei, pdf = editions["sample"]
    assert check_pdf(pdf, options()) == []
    assert "No syntax or stream encoding errors" in run("qpdf", "--check", str(pdf))


def test_embedded_tei_is_the_master_byte_for_byte(editions):
    tei, pdf = editions["sample"]
    with pikepdf.open(pdf) as document:
        associated = list(document.Root.AF)
        assert len(associated) == 1, "each associated file is listed once in /AF"
        filespec = associated[0]
        assert filespec.AFRelationship == "/Source"
        assert str(filespec.UF) == str(filespec.F) == f"{SAMPLE_ID}.xml"
        stream = filespec.EF.F
        assert stream.Subtype == "/text/xml"
        assert str(stream.Params.ModDate) == str(stream.Params.CreationDate) == "D:20230129000000Z"
        assert stream.read_bytes() == tei.read_bytes()
        names = document.Root.Names.EmbeddedFiles.Names
        assert str(names[0]) == f"{SAMPLE_ID}.xml" and names[1].objgen == filespec.objgen


def test_metadata_agrees_with_the_tei_header_and_info(editions):
    tei, pdf = editions["sample"]
    edition = Edition.from_tei(parse_file(tei))
    with pikepdf.open(pdf) as document:
        meta = document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        assert meta.pdfa_status == "3A"
        assert meta["dc:title"] == str(document.docinfo.Title) == edition.title
        assert meta["dc:description"] == str(document.docinfo.Subject) == edition.description
        assert meta["dc:identifier"] == "urn:uuid:3c46a367-a7c0-5bb7-872a-bef6a8289d32"
        assert meta["dc:language"] == {"en"}
        assert meta["dc:publisher"] == {"publish sample archive"}
        assert meta["dc:date"] == ["2023-01-29"]
        assert meta["dc:rights"].startswith("Rights not cleared")
        assert meta["xmp:CreateDate"] == meta["xmp:ModifyDate"] == "2023-01-29T00:00:00Z"
        assert str(document.docinfo.CreationDate) == "D:20230129000000+00'00'"
        assert meta["pdf:Producer"] == str(document.docinfo.Producer)
        assert meta["xmp:CreatorTool"] == str(document.docinfo.Creator)
        assert "dc:creator" not in meta and "/Author" not in document.docinfo  # no author recorded


def test_authors_and_language_reach_xmp_and_info(editions):
    _tei, pdf = editions["zh"]
    with pikepdf.open(pdf) as document:
        meta = document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        assert meta["dc:creator"] == ["测试编者"] == [str(document.docinfo.Author)]
        assert meta["dc:title"] == str(document.docinfo.Title) == "论语与档案：中文排版测试"
        assert meta["dc:language"] == {"zh"} and str(document.Root.Lang) == "zh"
        assert meta["dc:rights"] == "CC0 1.0: written for the publish test suite."


def test_sample_is_tagged_with_language_and_artifacts(editions):
    tei, pdf = editions["sample"]
    with pikepdf.open(pdf) as document:
        root = document.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "en"
        reachable = structure_elements(root.StructTreeRoot)
        kinds = {str(document.get_object(objgen).S) for objgen in reachable}
        assert {"/Document", "/H1", "/P", "/Sect"} <= kinds
        # One element per HTML element, though the text runs over three pages:
        # title page, text and colophon sections; one /P per TEI paragraph.
        sections = list(root.StructTreeRoot.K[0].K)
        assert [str(s.S) for s in sections] == ["/Sect", "/Sect", "/Sect"]
        assert [str(kid.S) for kid in sections[1].K] == ["/P"] * len(paragraphs(tei))
        pages_per_paragraph = [{span.Pg.objgen for span in p.K} for p in sections[1].K]
        assert any(len(pages) == 2 for pages in pages_per_paragraph), "a paragraph over a page break"
        # Every marked content sequence is in the structure tree or is an artifact.
        nums = root.StructTreeRoot.ParentTree.Nums
        for index, page in enumerate(document.pages):
            entries = nums[2 * index + 1]
            operators = [str(op) for _, op in pikepdf.parse_content_stream(page)]
            marked = [operands for operands, op in pikepdf.parse_content_stream(page) if str(op) == "BDC"]
            # A line's /ActualText span (ISO 32000-1 §14.9.4) sits inside a tagged sequence, without MCID.
            spans = [operands for operands in marked if "/MCID" not in operands[1]]
            assert all(str(o[0]) == "/Span" and "/ActualText" in o[1] for o in spans)
            marked = [operands for operands in marked if "/MCID" in operands[1]]
            for operands in marked:
                element = entries[int(operands[1].MCID)]
                assert element is not None and element.objgen in reachable
            artifacts = [operands for operands, op in pikepdf.parse_content_stream(page)
                         if str(op) == "BMC" and str(operands[0]) == "/Artifact"]
            if 0 < index < len(document.pages) - 1:  # body pages: running header and folio
                assert len(artifacts) >= 2 and "EMC" in operators
            elif index == len(document.pages) - 1:  # the colophon: its folio
                assert len(artifacts) >= 1


def structure_elements(root) -> set[tuple[int, int]]:
    """The object ids of every structure element reachable from the StructTreeRoot."""
    seen, todo = set(), list(root.K)
    while todo:
        kid = todo.pop()
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem" and kid.objgen not in seen:
            seen.add(kid.objgen)
            kids = kid.get("/K", [])
            todo.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    return seen


def test_outline_comes_from_the_headings(editions):
    tei, pdf = editions["sample"]
    with pikepdf.open(pdf) as document, document.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles == [Edition.from_tei(parse_file(tei)).title, "Colophon"]


#: Render a master in a fresh process: ``python -c RENDER_IN_A_PROCESS <tei> <out>``.
RENDER_IN_A_PROCESS = """
import sys
from pathlib import Path
from publish import pipeline
from publish.options import Options
master = pipeline.load_master(Path(sys.argv[1]))
Path(sys.argv[2]).write_bytes(pipeline.render(master, "pdf", Options.from_environment()))
"""


def test_reproducible_bytes_across_processes(editions, tmp_path):
    """A fresh process, other hash seed, same SOURCE_DATE_EPOCH: same bytes."""
    tei, pdf = editions["sample"]
    again = tmp_path / "again.pdf"
    environment = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONHASHSEED": "4242"}
    result = subprocess.run([sys.executable, "-c", RENDER_IN_A_PROCESS, str(tei), str(again)],
                            env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == pdf.read_bytes()



def test_bytes_do_not_depend_on_where_the_master_lies(tmp_path, options):
    """An edition with an image, rendered from two folders: same bytes (WeasyPrint names
    images by their URL, so the document is given a fixed virtual location)."""
    seed = SAMPLE.parent / "002_council_budget.html"
    master = pipeline.normalise(seed, options)
    assert master.assets, "the seed must carry an image for this test to mean anything"
    editions = []
    for folder in ("one", "elsewhere/two"):
        tei = write_master(master, tmp_path / folder / "tei" / f"{seed.stem}.xml")
        editions.append(render(pipeline.load_master(tei), options))
    assert editions[0] == editions[1]
    with pikepdf.open(io.BytesIO(editions[0])) as pdf:
        assert any(page.get_images() for page in pdf.pages), "the image must be in the PDF"


# -- any script ----------------------------------------------------------------

@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_font_is_embedded_subset_with_tounicode(editions, name):
    _tei, pdf = editions[name]
    rows = run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


@pytest.mark.parametrize("name", ["zh", "ar", "he", "ja", "mufi"])
def test_script_renders_in_its_own_face_and_extracts(editions, name):
    tei, pdf = editions[name]
    _seed, language, family = DOCUMENTS[name]
    fonts = [row.split()[0].split("+", 1)[1] for row in run("pdffonts", str(pdf)).splitlines()[2:]]
    assert any(font == family or font.startswith(family + "-") for font in fonts), fonts
    if language == "zh":
        assert not any("CJK-JP" in font for font in fonts), "a Japanese face was used for Chinese"
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == language
    assert check_pdf(pdf, options()) == []
    text = joined(body_text(pdf))
    for paragraph in paragraphs(tei):
        if language in ("zh", "ja"):  # no spaces between words: lines join without one
            assert spaceless(paragraph) in spaceless(text), paragraph
        elif direction(language) == "rtl":
            # Every character in order; pdftotext's bidi reordering puts a neutral
            # comma on the wrong side of the space ("هو ،دون" for "هو، دون"), so
            # only the places of spaces are not compared.
            assert spaceless(paragraph) in spaceless(text), paragraph
            assert paragraph.split()[0] in text.split() and paragraph.split()[-2] in text.split()
        else:
            assert paragraph in text, paragraph


def line_boxes(pdf: Path, page: int) -> list[tuple[float, float, str]]:
    """(xMin, xMax, text) of each body line of a page, from ``pdftotext -bbox-layout``."""
    xhtml = run("pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-")
    root = etree.fromstring(xhtml.encode())
    lines = []
    for line in root.iter("{http://www.w3.org/1999/xhtml}line"):
        if BODY_TOP <= float(line.get("yMin")) <= BODY_BOTTOM:
            words = " ".join(w.text or "" for w in line.iter("{http://www.w3.org/1999/xhtml}word"))
            lines.append((float(line.get("xMin")), float(line.get("xMax")), words))
    return lines


@pytest.mark.parametrize("name", ["ar", "he"])
def test_right_to_left_text_is_set_from_the_right(editions, name):
    _tei, pdf = editions[name]
    # Lines shorter than the measure (a paragraph's last line) hang from the right margin.
    lines = line_boxes(pdf, 2)
    short = [line for line in lines if line[1] - line[0] < 0.8 * (BODY_RIGHT - BODY_LEFT)]
    assert short, lines
    for x_min, x_max, words in short:
        assert abs(x_max - BODY_RIGHT) < 2 and x_min > BODY_LEFT + 20, words


def test_left_to_right_text_is_set_from_the_left(editions):
    _tei, pdf = editions["sample"]
    pages = len(run("pdftotext", str(pdf), "-").split("\f")) - 1
    lines = line_boxes(pdf, pages - 1)  # the last body page ends with a short line
    x_min, x_max, _words = lines[-1]
    assert abs(x_min - BODY_LEFT) < 2 and x_max < BODY_RIGHT - 40


# -- failures --------------------------------------------------------------------

@pytest.mark.warns
def test_characters_no_font_draws_are_boxed_in_the_pdf_and_kept_in_tei_and_epub(tmp_path):
    """Issue 15: an unassigned code point and a plane-16 private-use one, which no font has."""
    seed = tmp_path / "undrawable.txt"
    seed.write_text("Unassigned \u0378 and private use \U0010FFFD, both kept.\n", encoding="utf-8")
    master = pipeline.normalise(seed, options())
    assert "\u0378" in master.data.decode() and "\U0010FFFD" in master.data.decode()
    with warnings_logged() as records:
        pdf = pipeline.render(master, "pdf", options())
    messages = " ".join(r.getMessage() for r in records)
    assert "U+0378 (an unassigned code point)" in messages and "U+10FFFD (a private-use" in messages
    (tmp_path / "u.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "u.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "U+0378" in text and "U+10FFFD" in text  # the placeholder boxes, not tofu
    with zipfile.ZipFile(io.BytesIO(pipeline.render(master, "epub", options()))) as book:
        xhtml = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    assert "\u0378" in xhtml and "\U0010FFFD" in xhtml


def test_not_well_formed_tei_is_an_input_error(tmp_path, options):
    from publish.errors import InputError

    tei = tmp_path / "broken.xml"
    tei.write_bytes(b"<TEI xmlns='" + TEI_NS.encode() + b"'><teiHeader>")
    with pytest.raises(InputError) as raised:
        render(pipeline.load_master(tei), options)
    assert str(tei) in raised.value.one_line()


def test_xml_that_is_not_tei_is_refused(tmp_path, options):
    from publish.errors import InvalidTEIError

    other = tmp_path / "other.xml"
    other.write_bytes(b"<html xmlns='http://www.w3.org/1999/xhtml'/>")
    with pytest.raises(InvalidTEIError) as raised:
        render_pdf(other, tmp_path / "other.pdf", options)
    assert "not a TEI document" in raised.value.one_line() and not (tmp_path / "other.pdf").exists()


def test_print_css_parses_without_a_warning(caplog):
    """A broken rule in print.css (a lost line, say) makes WeasyPrint drop the next rule too."""
    import weasyprint

    caplog.set_level(logging.WARNING, logger="weasyprint")
    weasyprint.CSS(filename=str(TEMPLATES / "print.css"))
    assert [r.getMessage() for r in caplog.records if r.name == "weasyprint"] == []


# -- small parts ----------------------------------------------------------------

def test_short_title_is_cut_at_a_word():
    assert shorten("A short title") == "A short title"
    long = shorten("Provincial Government Party Group Meeting Studies the Spirit of the Second Plenary")
    assert long.endswith(" …") and len(long) <= 60 and "Provincial Government" in long


def test_dir_auto_takes_the_first_strong_character():
    root = etree.fromstring("<div><p dir='auto'>2024 — نص</p><p dir='auto'>« Text »</p>"
                            "<p dir='auto'>123</p><p dir='rtl'>x</p></div>")
    resolve_auto_direction(root)
    assert [p.get("dir") for p in root] == ["rtl", "ltr", "ltr", "rtl"]
