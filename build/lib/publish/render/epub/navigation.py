"""The navigation document and the NCX: contents and landmarks (EPUB 3.3 §7).

One list of :class:`TocEntry` makes both the EPUB 3 ``nav`` (table of contents
and landmarks, EPUB 3 Structural Semantics) and, through ebooklib, the NCX
that EPUB 2 reading systems read.
"""

from __future__ import annotations

import dataclasses

from ebooklib import epub
from lxml import etree

from publish.render.epub.documents import (
    EPUB_TYPE,
    HEADINGS,
    Document,
    H,
    label_language,
    mark_language,
    new_document,
)
from publish.render.epub.metadata import BookMetadata, clean


@dataclasses.dataclass
class TocEntry:
    """One entry of the table of contents: label, target, sub-entries."""

    label: str
    href: str
    lang: str | None = None
    children: list[TocEntry] = dataclasses.field(default_factory=list)


def table_of_contents(documents: list[Document], meta: BookMetadata) -> list[TocEntry]:
    """The contents: each document, and under the text its headings, nested by level."""
    entries = []
    for document in documents:
        entry = TocEntry(document.label or document.title, document.file,
                         label_language(meta) if document.label else None)
        if document.landmark == "bodymatter":
            entry.children = heading_entries(document)
        entries.append(entry)
    return entries


def heading_entries(document: Document) -> list[TocEntry]:
    """The headings of a document as nested entries (h2 above h3 above …)."""
    root: list[TocEntry] = []
    stack: list[tuple[int, list[TocEntry]]] = [(0, root)]
    for heading in document.root.iter(*HEADINGS):
        level = int(heading.tag[-1])
        text = clean("".join(heading.itertext()))
        if not text:
            continue
        while stack[-1][0] >= level:
            stack.pop()
        entry = TocEntry(text, f"{document.file}#{heading.get('id')}", heading.get("lang"))
        stack[-1][1].append(entry)
        stack.append((level, entry.children))
    return root


def nav_document(meta: BookMetadata, entries: list[TocEntry], documents: list[Document]) -> Document:
    """The navigation document: table of contents and landmarks (EPUB 3.3 §7)."""
    english = label_language(meta)
    html, body = new_document(meta, "Contents", english)
    toc = etree.SubElement(body, H + "nav", id="toc")
    toc.set(EPUB_TYPE, "toc")
    toc.set("role", "doc-toc")
    toc.set("aria-labelledby", "toc-heading")
    heading = etree.SubElement(toc, H + "h1", id="toc-heading")
    heading.text = "Contents"
    if english:
        mark_language(heading, english)
    toc.append(nav_list(entries))
    landmarks = etree.SubElement(body, H + "nav", id="landmarks", hidden="hidden")
    landmarks.set(EPUB_TYPE, "landmarks")
    landmarks.set("aria-labelledby", "landmarks-heading")
    heading = etree.SubElement(landmarks, H + "h2", id="landmarks-heading")
    heading.text = "Landmarks"
    if english:
        mark_language(heading, english)
    marks = [TocEntry("Cover", "cover.xhtml", english)]
    marks += [TocEntry(d.label or "Start of text", d.file, english) for d in documents[1:]]
    marks.insert(2, TocEntry("Contents", "nav.xhtml#toc", english))
    listing = nav_list(marks)
    types = ["cover"] + [d.landmark for d in documents[1:]]
    types.insert(2, "toc")
    for link, kind in zip(listing.iter(H + "a"), types, strict=False):
        link.set(EPUB_TYPE, kind)
    landmarks.append(listing)
    return Document("nav.xhtml", "Contents", html, "toc", "Contents", ("nav",))


def nav_list(entries: list[TocEntry]) -> etree._Element:
    """An ``ol`` of links, nested for sub-entries (EPUB 3.3 §7.3, nav element content)."""
    listing = etree.Element(H + "ol")
    for entry in entries:
        item = etree.SubElement(listing, H + "li")
        link = etree.SubElement(item, H + "a", href=entry.href)
        link.text = entry.label
        if entry.lang:
            mark_language(link, entry.lang)
        if entry.children:
            item.append(nav_list(entry.children))
    return listing


def ncx_toc(entries: list[TocEntry], prefix: str = "ncx") -> list:
    """The same contents as ebooklib's toc list, for the EPUB 2 NCX; ids from positions."""
    result = []
    for number, entry in enumerate(entries, 1):
        uid = f"{prefix}-{number}"
        link = epub.Link(entry.href, entry.label, uid=uid)
        result.append((link, ncx_toc(entry.children, uid)) if entry.children else link)
    return result
