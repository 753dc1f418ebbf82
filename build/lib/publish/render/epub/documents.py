"""The XHTML content documents (EPUB 3.3 §6): the shared XHTML cut by section, relinked.

The TEI→XHTML step (:mod:`publish.render.xhtml`) makes one document with a
``section`` per part of the book; each becomes its own content document, with
``lang``, ``xml:lang`` and ``dir`` on its root (EPUB 3.3 §6.1.4), headings
given ids for the table of contents, and ``#id`` links pointed at the document
that now holds the id.
"""

from __future__ import annotations

import copy
import dataclasses

from lxml import etree

from publish.errors import RenderError
from publish.render.epub.metadata import BookMetadata
from publish.render.xhtml import XHTML_NS
from publish.tei import xml

EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = xml("lang")
H = f"{{{XHTML_NS}}}"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
NSMAP = {None: XHTML_NS, "epub": EPUB_NS}
HEADINGS = tuple(f"{H}h{level}" for level in range(1, 7))

CSS_FILE = "epub.css"

#: The content documents cut from the shared XHTML, in reading order:
#: section id → file, landmark (EPUB 3 Structural Semantics), label.
#: A label of ``None`` means the book's title; others are English template text.
SECTIONS = (
    # section id   file               landmark      label
    ("titlepage", "titlepage.xhtml", "titlepage", "Title page"),
    ("text",      "text.xhtml",      "bodymatter", None),
    ("colophon",  "colophon.xhtml",  "colophon",  "Colophon"),
)


@dataclasses.dataclass
class Document:
    """One XHTML content document: its file name, title, tree and landmark."""

    file: str
    title: str
    root: etree._Element
    landmark: str
    label: str | None
    properties: tuple[str, ...] = ()

    def serialise(self) -> bytes:
        """The document as bytes: XML declaration, HTML doctype, UTF-8 (EPUB 3.3 §6.1.2)."""
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8",
                              doctype="<!DOCTYPE html>")


def new_document(meta: BookMetadata, title: str, title_lang: str | None = None
                 ) -> tuple[etree._Element, etree._Element]:
    """An empty XHTML document with lang, xml:lang, dir, title and the stylesheet."""
    html = etree.Element(H + "html", nsmap=NSMAP)
    html.set("lang", meta.content_language)
    html.set(XML_LANG, meta.content_language)
    html.set("dir", meta.direction)
    head = etree.SubElement(html, H + "head")
    etree.SubElement(head, H + "meta", charset="utf-8")
    title_element = etree.SubElement(head, H + "title")
    title_element.text = title
    if title_lang:
        mark_language(title_element, title_lang)
    etree.SubElement(head, H + "link", rel="stylesheet", type="text/css", href=CSS_FILE)
    body = etree.SubElement(html, H + "body")
    body.set("class", "epub")
    return html, body


def mark_language(element: etree._Element, language: str) -> etree._Element:
    """Set ``lang`` and ``xml:lang`` (both, as EPUB 3.3 §6.1.4 asks)."""
    element.set("lang", language)
    element.set(XML_LANG, language)
    return element


def label_language(meta: BookMetadata) -> str | None:
    """The language to mark on English template labels: ``en``, unless the book is English."""
    return None if meta.english else "en"


def split_documents(xhtml: etree._ElementTree, meta: BookMetadata) -> list[Document]:
    """Cut the shared XHTML into one content document per section of :data:`SECTIONS`."""
    body = xhtml.getroot().find(H + "body")
    documents = []
    for section_id, file, landmark, label in SECTIONS:
        found = body.xpath(f"h:section[@id='{section_id}']", namespaces={"h": XHTML_NS})
        if not found:
            raise RenderError(f"the TEI→XHTML step made no section#{section_id}")
        section = copy.deepcopy(found[0])
        title = meta.title if label is None else label
        html, new_body = new_document(meta, title, None if label is None else label_language(meta))
        new_body.append(section)
        documents.append(Document(file, title, html, landmark, label))
    number_headings(documents)
    relink(documents)
    label_sections(documents)
    add_semantics(documents)
    return documents


def number_headings(documents: list[Document]) -> None:
    """Give every heading without an id one, so the table of contents can point at it."""
    taken = {element.get("id") for document in documents for element in document.root.iter()}
    count = 0
    for document in documents:
        for heading in document.root.iter(*HEADINGS):
            if not heading.get("id"):
                count += 1
                while f"heading-{count}" in taken:  # never repeat an id the text has
                    count += 1
                heading.set("id", f"heading-{count}")


def relink(documents: list[Document]) -> None:
    """Point ``#id`` links at the document that now holds the id (a note, a cross-reference)."""
    where = {element.get("id"): document.file
             for document in documents for element in document.root.iter() if element.get("id")}
    for document in documents:
        for link in document.root.iter(H + "a"):
            href = link.get("href", "")
            target = where.get(href[1:]) if href.startswith("#") else None
            if target and target != document.file:
                link.set("href", f"{target}{href}")


def add_semantics(documents: list[Document]) -> None:
    """What the EPUB's accessibility checks ask of the shared XHTML, made in the EPUB only.

    A section whose ``epub:type`` has a DPUB-ARIA role gets it (EPUB
    Accessibility Techniques §2.3; Ace's ``epub-type-has-matching-role``):
    the colophon's ``doc-colophon``. An empty header cell heads nothing
    (WCAG 1.3.1; Ace's ``empty-table-header``), so it becomes a data cell,
    as pandoc's header-less pipe tables mean it. Both are made here rather
    than in the shared XSLT so the PDF's structure tree stays as it is.
    """
    for document in documents:
        section = document.root.find(f"{H}body/{H}section")
        if section.get("id") == "colophon" and not section.get("role"):
            section.set("role", "doc-colophon")
        for cell in list(section.iter(H + "th")):
            if len(cell) == 0 and not (cell.text or "").strip():
                cell.tag = H + "td"
                cell.attrib.pop("scope", None)


def label_sections(documents: list[Document]) -> None:
    """Name each section by its own heading rather than by an English ``aria-label``.

    In a book of another language an English label would be read with the
    wrong voice (WCAG 3.1.2); the heading is in the right language already.
    The colophon is English template text and says so itself (the shared
    XSLT marks it ``lang="en"``, keeping the title in the book's language).
    """
    for document in documents:
        section = document.root.find(f"{H}body/{H}section")
        heading = next(section.iter(*HEADINGS), None)
        if section.get("aria-label") and heading is not None and section.get("id") != "text":
            del section.attrib["aria-label"]
            section.set("aria-labelledby", heading.get("id"))
