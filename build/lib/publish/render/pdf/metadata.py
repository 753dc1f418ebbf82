"""What the PDF says about itself: the edition's facts, the XMP packet, the Info dictionary.

The facts come from the teiHeader only (TEI P5 ch. 2, :class:`Edition`); the
XMP packet (ISO 16684-1, ISO 19005-3 §6.6.2) is written from them and the
document information dictionary made to agree with it (:func:`write_metadata`).
"""

from __future__ import annotations

import dataclasses
import textwrap

import pydyf
from lxml import etree

from publish import __version__
from publish.options import Options
from publish.render.pdf.objects import pdf_object
from publish.render.pdf.pdfa import PDFA_CONFORMANCE, PDFA_PART
from publish.tei import first_text, xml
from publish.tei.header import HeaderFacts

#: Longest running-header title before it is shortened at a word boundary.
SHORT_TITLE_WIDTH = 60
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
    def from_tei(cls, tei: etree._ElementTree) -> Edition:
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
