"""TEI → archival PDF edition: PDF/A-3a, tagged, the TEI master embedded, any script.

The path is: the TEI master → :func:`publish.render.xhtml.to_xhtml` (the shared
XSLT) → WeasyPrint with ``templates/print.css`` and the safe URL fetcher
(:mod:`publish.render.fetcher`) → PDF. The result follows ISO 19005-3
(PDF/A-3), conformance level A:

* the TEI file is embedded as an associated file (ISO 19005-3 §6.8,
  ISO 32000-2 §14.13): ``/AFRelationship /Source``, MIME ``text/xml``, dates
  from ``SOURCE_DATE_EPOCH``, listed exactly once in the catalogue's ``/AF``
  (WeasyPrint lists it twice; :func:`deduplicate_associated_files`);
* the XMP packet (ISO 19005-3 §6.6.2, ISO 16684-1) is written from the
  teiHeader and agrees with the document information dictionary;
* it is tagged (ISO 32000-1 §14.8: ``StructTreeRoot``, ``MarkInfo``,
  ``/Lang``); the running header and folio are artifacts, not dangling
  content (:func:`mark_margin_boxes_as_artifacts`);
* every font is embedded and subset with a ToUnicode map (WeasyPrint);
* a glyph missing from every font (``.notdef``, "tofu") is an error, never a
  warning (:func:`refuse_missing_glyphs`);
* the bytes are reproducible: every date comes from ``SOURCE_DATE_EPOCH`` and
  the trailer ``/ID`` is the MD5 of the objects (pydyf).

All fixes are made on WeasyPrint's in-memory PDF, in its ``finisher`` hook,
and the renderer returns the bytes; the caller writes the file, once, atomically.

Relative URLs in the text (``graphic/@url`` is ``<id>_assets/<name>``) resolve
against the TEI master; the fetcher reads only ``templates/`` and serves the
master's images from memory. WeasyPrint builds the structure tree page by page; the pieces of an
element split by a page break are joined again
(:func:`join_elements_split_by_pages`), so a paragraph is one ``/P``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import textwrap
from pathlib import Path
from typing import Iterator

import pydyf
from lxml import etree

from publish import __version__
from publish.errors import PublishError, RenderError
from publish.options import Options
from publish.render.fetcher import SafeFetcher
from publish.render.xhtml import to_xhtml
from publish.tei import first_text, xml
from publish.tei.header import HeaderFacts
from publish.tei.master import Master

#: ISO 19005-3 part and conformance level; see the README for why "a".
PDF_VARIANT = "pdf/a-3a"
PDFA_PART, PDFA_CONFORMANCE = "3", "A"
STYLESHEET = "print.css"
#: Longest running-header title before it is shortened at a word boundary.
SHORT_TITLE_WIDTH = 60
#: Where WeasyPrint is told the TEI file lies; the safe fetcher maps it to the real folder.
VIRTUAL_FOLDER = Path("/publish-document")
TEI_MEDIA_TYPE = "text/xml"
CREATOR_TOOL = f"publish {__version__}"


@dataclasses.dataclass(frozen=True)
class Edition:
    """What the PDF says about itself, read from the teiHeader (TEI P5 ch. 2)."""

    title: str
    short_title: str
    creators: tuple[str, ...]
    publisher: str | None
    date: str | None
    language: str
    identifier: str
    rights: str | None
    description: str | None

    @classmethod
    def from_tei(cls, tei: etree._ElementTree) -> "Edition":
        """Read title, people, dates, language, identifier and licence from the header."""
        facts = HeaderFacts.read(tei)
        title = facts.title or "Untitled"
        short = first_text(tei.getroot(), "//tei:titleStmt/tei:title[@type='short']")
        return cls(
            title=title,
            short_title=" ".join(short.split()) if short else shorten(title),
            creators=facts.creators,
            publisher=facts.publisher,
            date=facts.source_date,
            language=facts.language,
            identifier=facts.urn,
            rights=facts.rights or None,
            description=facts.description or None,
        )


def shorten(title: str) -> str:
    """A running-header title: the title, or its first words and an ellipsis."""
    return textwrap.shorten(title, SHORT_TITLE_WIDTH, placeholder=" …")


# -- rendering ---------------------------------------------------------------

def warm_up(templates: Path) -> None:
    """Pay WeasyPrint's import and font configuration once per worker process."""
    from weasyprint.text.fonts import FontConfiguration  # loads Pango (cffi), HarfBuzz, fontTools

    FontConfiguration()  # reads fontconfig's configuration and font list once


def render(master: Master, options: Options) -> bytes:
    """The bytes of the PDF/A-3 edition of one TEI master (see :mod:`publish.formats`)."""
    import weasyprint

    tei = master.tree
    edition = Edition.from_tei(tei)
    # The stylesheet by absolute URL; everything else (graphic/@url = "<id>_assets/…")
    # relative to the TEI file, as the normalisers write it.
    stylesheet = (options.templates / STYLESHEET).resolve().as_uri()
    html = html_text(to_xhtml(tei, options.templates, "pdf", stylesheet), edition)
    # WeasyPrint names each image by the md5 of its URL, so the document is given a
    # fixed virtual location: the PDF's bytes must not depend on where the TEI sits.
    # Its images are served from memory under that location.
    fetcher = SafeFetcher((options.templates,), document=str(master.shown),
                          virtual=(VIRTUAL_FOLDER, master.assets))
    built = options.build_datetime.replace(tzinfo=None)  # WeasyPrint appends the "Z" itself
    source = weasyprint.Attachment(
        string=master.data, url_fetcher=fetcher, name=master.filename, relationship="Source",
        description="TEI P5 master of this edition (archival source)", created=built, modified=built)
    try:
        document = weasyprint.HTML(string=html, base_url=(VIRTUAL_FOLDER / master.filename).as_uri(),
                                   url_fetcher=fetcher).render()
        with structure_origins() as origins:
            return document.write_pdf(pdf_variant=PDF_VARIANT, attachments=[source],
                                      finisher=Finisher(edition, master.shown, options, origins))
    except PublishError:
        raise
    except Exception as err:  # WeasyPrint or pydyf failed: one line, the document named
        raise RenderError(f"WeasyPrint failed: {type(err).__name__}: {err}", master.shown) from err


def html_text(xhtml: etree._ElementTree, edition: Edition) -> str:
    """The XHTML as HTML text for WeasyPrint's HTML5 parser, with the running-header title.

    WeasyPrint parses HTML, where ``<p/>`` would open an element, so the tree
    is serialised with the HTML method after dropping the XHTML namespace.
    The tree is changed in place: it is made for this one serialisation.
    """
    root = xhtml.getroot()
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
            for name in [n for n in element.attrib if n.startswith("{")]:
                local = etree.QName(name).localname
                value = element.attrib.pop(name)
                if local == "lang":  # xml:lang → lang, which CSS :lang() reads
                    element.set("lang", value)
    etree.cleanup_namespaces(root)
    resolve_auto_direction(root)
    for heading in root.iter("h1"):
        if heading.get("class") == "title":
            heading.set("data-short-title", edition.short_title)
    return "<!DOCTYPE html>\n" + etree.tostring(root, method="html", encoding="unicode")


def resolve_auto_direction(root: etree._Element) -> None:
    """Replace ``dir="auto"`` by ``ltr`` or ``rtl``, which WeasyPrint does not compute.

    HTML Living Standard, "The dir attribute": an ``auto`` element takes the
    direction of the first character of bidirectional type L, R or AL in its
    text; with none, it is ``ltr``.
    """
    import unicodedata

    for element in root.iter():
        if isinstance(element.tag, str) and element.get("dir") == "auto":
            kinds = (unicodedata.bidirectional(c) for c in "".join(element.itertext()))
            strong = next((k for k in kinds if k in ("L", "R", "AL")), "L")
            element.set("dir", "ltr" if strong == "L" else "rtl")


# -- fixing WeasyPrint's PDF before it is written ----------------------------

class Finisher:
    """WeasyPrint's ``finisher`` hook: check and complete the PDF in memory."""

    def __init__(self, edition: Edition, tei_path: Path, options: Options,
                 origins: dict[int, tuple[object, object]]) -> None:
        self.edition, self.tei_path, self.options = edition, tei_path, options
        self.origins = origins  # filled while WeasyPrint tags

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        """Refuse tofu first, then fix the PDF/A-3 details WeasyPrint leaves (module docstring)."""
        refuse_missing_glyphs(document, self.tei_path)
        deduplicate_associated_files(pdf)
        set_embedded_media_type(pdf, TEI_MEDIA_TYPE)
        mark_margin_boxes_as_artifacts(pdf)
        join_elements_split_by_pages(pdf, self.origins)
        write_metadata(pdf, self.edition, self.options)


def refuse_missing_glyphs(document, tei_path: Path) -> None:
    """Raise :class:`RenderError` if any character was drawn as ``.notdef``.

    WeasyPrint records, per font, each code point Pango found in no installed
    font (``Font.missing``) when it draws the text: that is exactly the set of
    tofu in the output, whatever font fallback chose.
    """
    missing = sorted({codepoint for font in document.fonts.values() for codepoint in font.missing})
    if missing:
        listed = ", ".join(f"U+{cp:04X} {describe(cp)}" for cp in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise RenderError(f"no installed font has a glyph for {listed}{more} (.notdef would be drawn)",
                          tei_path)


def describe(codepoint: int) -> str:
    """A character's Unicode name in parentheses, or what kind of nameless character it is."""
    import unicodedata

    kinds = {"Co": "a private-use character", "Cn": "an unassigned code point",
             "Cs": "a surrogate", "Cc": "a control character"}
    character = chr(codepoint)
    return f"({unicodedata.name(character, '') or kinds.get(unicodedata.category(character), 'unnamed')})"


def object_number(reference) -> int:
    """The object number of a reference such as ``b"12 0 R"`` (ISO 32000-1 §7.3.10)."""
    return int(bytes(reference).split()[0])


def pdf_object(pdf: pydyf.PDF, reference) -> object:
    """The object a reference such as ``b"12 0 R"`` points at."""
    return pdf.objects[object_number(reference)]


def deduplicate_associated_files(pdf: pydyf.PDF) -> None:
    """List each associated file once in the catalogue's ``/AF`` (ISO 32000-2 §14.13).

    WeasyPrint appends each file specification twice: once from the
    ``EmbeddedFiles`` name tree and once from scanning for ``/Filespec``.
    """
    if "AF" not in pdf.catalog:
        return
    unique = []
    for reference in pdf.catalog["AF"]:
        if bytes(reference) not in map(bytes, unique):
            unique.append(reference)
    pdf.catalog["AF"] = pydyf.Array(unique)


def set_embedded_media_type(pdf: pydyf.PDF, media_type: str) -> None:
    """Give every embedded file the MIME type as ``/Subtype`` (ISO 19005-3 §6.8).

    WeasyPrint guesses from the file name, which gives ``application/xml``;
    the TEI master is declared ``text/xml`` as the archive expects.
    """
    for filespec in pdf.objects:
        if isinstance(filespec, dict) and filespec.get("Type") == "/Filespec":
            pdf_object(pdf, filespec["EF"]["F"]).extra["Subtype"] = "/" + media_type.replace("/", "#2f")


def mark_margin_boxes_as_artifacts(pdf: pydyf.PDF) -> None:
    """Mark running headers and folios as artifacts (ISO 32000-1 §14.8.2.2).

    WeasyPrint tags margin-box text as ``/Span`` with an MCID whose structure
    element is left out of the structure tree: content that is neither real
    content nor an artifact. Such elements become ``/Artifact`` marked content
    and their ``ParentTree`` entries become null.
    """
    if "StructTreeRoot" not in pdf.catalog:
        return
    root = pdf_object(pdf, pdf.catalog["StructTreeRoot"])
    reachable = reachable_elements(pdf, root)
    parent_tree = pdf_object(pdf, root["ParentTree"])["Nums"]
    mcids_by_page: dict[int, set[int]] = {}
    for number, element in enumerate(pdf.objects):
        if (isinstance(element, dict) and element.get("Type") == "/StructElem"
                and number not in reachable and "Pg" in element):
            page = object_number(element["Pg"])
            mcids_by_page.setdefault(page, set()).update(k for k in element["K"] if isinstance(k, int))
    page_numbers = {object_number(ref): index for index, ref in enumerate(pdf.page_references)}
    for page, mcids in mcids_by_page.items():
        stream = pdf_object(pdf, pdf.objects[page]["Contents"])
        artifact_marked_content(stream, mcids)
        entries = parent_tree[2 * page_numbers[page] + 1]
        for mcid in mcids:
            if mcid < len(entries):
                entries[mcid] = "null"


def reachable_elements(pdf: pydyf.PDF, root: dict) -> set[int]:
    """Object numbers of the structure elements reachable from the structure tree root."""
    seen: set[int] = set()
    todo = [k for k in root["K"]]
    while todo:
        kid = todo.pop()
        if isinstance(kid, int):
            continue
        number = object_number(kid)
        element = pdf.objects[number]
        if number in seen or not isinstance(element, dict) or element.get("Type") != "/StructElem":
            continue
        seen.add(number)
        todo.extend(element.get("K", ()))
    return seen


def artifact_marked_content(stream: pydyf.Stream, mcids: set[int]) -> None:
    """Turn ``/Tag <</MCID n>> BDC`` for the given MCIDs into ``/Artifact BMC``."""
    ops = stream.stream
    for index in range(len(ops) - 2, 0, -1):
        item = ops[index]
        if isinstance(item, dict) and item.get("MCID") in mcids and ops[index + 1] == b"BDC":
            ops[index - 1:index + 2] = ["/Artifact", b"BMC"]


@contextlib.contextmanager
def structure_origins() -> Iterator[dict[int, tuple[object, object]]]:
    """Record the HTML element each structure element WeasyPrint makes comes from.

    WeasyPrint 70 tags page by page (``weasyprint.pdf.tags._build_box_tree``,
    which calls itself through its module), so an element split by a page
    break becomes one structure element per page. Wrapping that function for
    the length of one ``write_pdf`` tells :func:`join_elements_split_by_pages`
    which pieces belong together. If WeasyPrint changes, nothing is recorded
    and the pieces stay apart: still valid tagging, only less tidy.
    """
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import tags

    origins: dict[int, tuple[object, object]] = {}
    original = getattr(tags, "_build_box_tree", None)
    if original is None:
        yield origins
        return

    def recording(box, *args, **kwargs):
        source = box._box if isinstance(box, AbsolutePlaceholder) else box
        for element in original(box, *args, **kwargs):
            # Keep the element itself so its id() is not reused while recorded.
            origins.setdefault(id(element), (element, getattr(source, "element", None)))
            yield element

    tags._build_box_tree = recording
    try:
        yield origins
    finally:
        tags._build_box_tree = original


def join_elements_split_by_pages(pdf: pydyf.PDF, origins: dict[int, tuple[object, object]]) -> None:
    """Make one structure element of the pieces a page break made (ISO 32000-1 §14.7.2).

    Siblings of one structure type from the same HTML element on different
    pages are joined into the first: its ``/K`` takes the later pieces' kids
    (marked-content ids become marked-content references with their page),
    and the ``ParentTree`` points at it. A paragraph over two pages is then
    one ``/P``, and the text section one ``/Sect``.
    """
    if "StructTreeRoot" not in pdf.catalog or not origins:
        return
    root = pdf_object(pdf, pdf.catalog["StructTreeRoot"])
    replaced: dict[bytes, bytes] = {}
    for reference in root["K"]:
        join_kids(pdf, pdf_object(pdf, reference), origins, replaced)
    if replaced:
        nums = pdf_object(pdf, root["ParentTree"])["Nums"]
        for index in range(1, len(nums), 2):
            entry = nums[index]
            if isinstance(entry, list):
                nums[index] = pydyf.Array(replaced.get(bytes(e), e) if isinstance(e, bytes) else e
                                          for e in entry)
            elif isinstance(entry, bytes):
                nums[index] = replaced.get(entry, entry)


def join_kids(pdf: pydyf.PDF, element: dict, origins: dict, replaced: dict[bytes, bytes]) -> None:
    """Join split siblings among ``element``'s kids, then do the same below each kid."""
    def origin(item):
        return origins.get(id(item), (None, None))[1]

    kept: list = []
    for kid in element.get("K", ()):
        previous = pdf_object(pdf, kept[-1]) if kept and isinstance(kept[-1], bytes) else None
        current = pdf_object(pdf, kid) if isinstance(kid, bytes) else None
        if (isinstance(previous, dict) and isinstance(current, dict)
                and current.get("Type") == previous.get("Type") == "/StructElem"
                and current["S"] == previous["S"] and current.get("Pg") != previous.get("Pg")
                and origin(current) is not None and origin(current) is origin(previous)):
            for grandchild in current["K"]:
                if isinstance(grandchild, int):  # an MCID on the later page
                    grandchild = pydyf.Dictionary({"Type": "/MCR", "Pg": current["Pg"], "MCID": grandchild})
                elif isinstance(grandchild, bytes):
                    child = pdf_object(pdf, grandchild)
                    if isinstance(child, dict) and child.get("Type") == "/StructElem":
                        child["P"] = previous.reference
                previous["K"].append(grandchild)
            current["K"] = pydyf.Array()
            replaced[bytes(current.reference)] = previous.reference
            continue
        kept.append(kid)
    if "K" in element:
        element["K"] = pydyf.Array(kept)
    for kid in kept:
        if isinstance(kid, bytes):
            child = pdf_object(pdf, kid)
            if isinstance(child, dict) and child.get("Type") == "/StructElem":
                join_kids(pdf, child, origins, replaced)


# -- metadata: XMP and the information dictionary ------------------------------

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XMP_NAMESPACES = {
    "rdf": RDF,
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


def write_metadata(pdf: pydyf.PDF, edition: Edition, options: Options) -> None:
    """Replace WeasyPrint's XMP with one from the teiHeader; make the Info dictionary agree.

    ISO 19005-3 §6.6.2.3.1: each Info entry has its XMP equivalent with the
    same value (Title ↔ dc:title, Author ↔ dc:creator, Subject ↔
    dc:description, Creator ↔ xmp:CreatorTool, Producer ↔ pdf:Producer,
    CreationDate ↔ xmp:CreateDate, ModDate ↔ xmp:ModifyDate).
    """
    producer = pdf.info["Producer"].string if "Producer" in pdf.info else "WeasyPrint"
    info = {"Title": edition.title, "Creator": CREATOR_TOOL, "Producer": producer}
    if edition.creators:
        info["Author"] = ", ".join(edition.creators)
    if edition.description:
        info["Subject"] = edition.description
    pdf.info.clear()
    for key, value in info.items():
        pdf.info[key] = pydyf.String(value)
    pdf_date = options.build_datetime.strftime("D:%Y%m%d%H%M%S+00'00'")
    pdf.info["CreationDate"] = pydyf.String(pdf_date)
    pdf.info["ModDate"] = pydyf.String(pdf_date)
    stream = pdf_object(pdf, pdf.catalog["Metadata"])
    stream.stream = [xmp_packet(edition, options, producer)]
    stream.compress = False  # readable by tools that do not inflate streams
    stream.extra.pop("Filter", None)


def xmp_packet(edition: Edition, options: Options, producer: str) -> bytes:
    """The XMP packet (ISO 16684-1) with Dublin Core, xmp, pdf and pdfaid properties."""
    E = {prefix: (lambda local, ns=ns: f"{{{ns}}}{local}") for prefix, ns in XMP_NAMESPACES.items()}
    rdf = etree.Element(E["rdf"]("RDF"), nsmap=XMP_NAMESPACES)
    description = etree.SubElement(rdf, E["rdf"]("Description"), {E["rdf"]("about"): ""})

    def simple(name: str, value: str) -> None:
        etree.SubElement(description, name).text = value

    def container(name: str, kind: str, values, lang: bool = False) -> None:
        holder = etree.SubElement(etree.SubElement(description, name), E["rdf"](kind))
        for value in values:
            item = etree.SubElement(holder, E["rdf"]("li"))
            item.text = value
            if lang:
                item.set(xml("lang"), "x-default")

    simple(E["pdfaid"]("part"), PDFA_PART)
    simple(E["pdfaid"]("conformance"), PDFA_CONFORMANCE)
    container(E["dc"]("title"), "Alt", [edition.title], lang=True)
    if edition.creators:
        # One entry: PDF/A compares it with the single Info /Author string.
        container(E["dc"]("creator"), "Seq", [", ".join(edition.creators)])
    if edition.description:
        container(E["dc"]("description"), "Alt", [edition.description], lang=True)
    if edition.publisher:
        container(E["dc"]("publisher"), "Bag", [edition.publisher])
    if edition.date:
        container(E["dc"]("date"), "Seq", [edition.date])
    container(E["dc"]("language"), "Bag", [edition.language])
    simple(E["dc"]("identifier"), edition.identifier)
    if edition.rights:
        container(E["dc"]("rights"), "Alt", [edition.rights], lang=True)
    simple(E["dc"]("format"), "application/pdf")
    built = options.build_date_iso
    simple(E["xmp"]("CreatorTool"), CREATOR_TOOL)
    simple(E["xmp"]("CreateDate"), built)
    simple(E["xmp"]("ModifyDate"), built)
    simple(E["xmp"]("MetadataDate"), built)
    simple(E["xmpMM"]("DocumentID"), edition.identifier)
    simple(E["pdf"]("Producer"), producer)
    body = etree.tostring(rdf, encoding="UTF-8")
    return (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + body + b'</x:xmpmeta>\n'
            b'<?xpacket end="r"?>')
