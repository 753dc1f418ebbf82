"""TEI → EPUB 3.3: split the shared XHTML into content documents and package them.

Follows EPUB 3.3 (W3C Recommendation 2023): §3 publication resources, §5
package document (metadata, manifest, spine), §6 XHTML content documents,
§7 navigation document, §4 OCF (the zip container), and EPUB Accessibility
1.1 (§5, discovery metadata; schema.org accessibility properties).

The path: the TEI master (parsed once by the caller) → :func:`publish.render.xhtml.to_xhtml`
(target ``epub``) → one content document per section of that XHTML (title
page, text, colophon, found by ``id``) plus a generated cover, a navigation
document and the images from the TEI's ``<id>_assets/`` folder → an ebooklib
:class:`EpubBook` (package document, NCX for EPUB 2 reading systems,
container) → the zip rewritten for reproducible bytes, returned to the caller.
The accessibility metadata is computed from those documents
(:func:`accessibility`), so it stays true whatever the source contains.

Identifier policy: ``dc:identifier`` is the document's ``urn:uuid`` from
``publicationStmt/idno[@type='URN']``; it names the document, not a version.
Rebuilding, or changing the text, keeps it; the version is recorded by
``dcterms:modified`` (from ``SOURCE_DATE_EPOCH``) and by the source's SHA-256
in ``dc:source``.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import io
import posixpath
import re
import unicodedata
import zipfile
from pathlib import Path

from ebooklib import epub
from lxml import etree

from publish.errors import InvalidTEIError, RenderError
from publish.images import image_type
from publish.layout import asset_folder_name
from publish.options import Options
from publish.render.xhtml import XHTML_NS, direction, to_xhtml
from publish.tei import xml
from publish.tei.header import HeaderFacts
from publish.tei.master import Master

EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = xml("lang")
H = "{%s}" % XHTML_NS
EPUB_TYPE = "{%s}type" % EPUB_NS
NSMAP = {None: XHTML_NS, "epub": EPUB_NS}
HEADINGS = tuple(f"{H}h{level}" for level in range(1, 7))

CSS_FILE = "epub.css"
COVER_IMAGE = "cover.svg"
COVER_TEMPLATE = "cover.svg.j2"

#: The content documents cut from the shared XHTML, in reading order:
#: section id → file, landmark (EPUB 3 Structural Semantics), label.
#: A label of ``None`` means the book's title; others are English template text.
SECTIONS = (
    # section id   file               landmark      label
    ("titlepage", "titlepage.xhtml", "titlepage", "Title page"),
    ("text",      "text.xhtml",      "bodymatter", None),
    ("colophon",  "colophon.xhtml",  "colophon",  "Colophon"),
)

#: Fallback fonts for the generated cover, by primary language subtag; the
#: reading stylesheet (templates/epub.css) has the same choice for the text.
COVER_FONTS = {
    "zh": "Noto Serif CJK SC, Noto Sans CJK SC, serif",
    "ja": "Noto Serif CJK JP, Noto Sans CJK JP, serif",
    "ko": "Noto Serif CJK KR, Noto Sans CJK KR, serif",
    "ar": "Noto Naskh Arabic, Noto Sans Arabic, serif",
    "fa": "Noto Naskh Arabic, Noto Sans Arabic, serif",
    "ur": "Noto Naskh Arabic, Noto Sans Arabic, serif",
    "he": "Noto Serif Hebrew, Noto Sans Hebrew, serif",
}
DEFAULT_COVER_FONT = "Noto Serif, serif"

#: The conformance claim (EPUB Accessibility 1.1 §5.1) made when it is met.
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
CERTIFIER = "publish (automated evaluation)"

#: The earliest time a zip entry can record (MS-DOS dates start in 1980).
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)


# -- what the teiHeader says ------------------------------------------------

@dataclasses.dataclass(frozen=True)
class BookMetadata:
    """The package metadata, read from the teiHeader only (TEI P5 §2)."""

    identifier: str
    title: str
    language: str
    local_id: str
    date: str | None
    publisher: str | None
    rights: str
    creators: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``, by the book's language."""
        return direction(self.language)

    @property
    def english(self) -> bool:
        """Whether the book is in English, the language of the template labels."""
        return self.language.split("-")[0].lower() == "en"


def book_metadata(tei: etree._ElementTree, path: Path) -> BookMetadata:
    """Read :class:`BookMetadata` from the teiHeader; refuse a header without identity."""
    facts = HeaderFacts.read(tei)
    if not facts.urn.startswith("urn:uuid:") or not facts.title:
        raise InvalidTEIError("the teiHeader has no urn:uuid idno or no title; "
                              "normalise the source again", path)
    sources = [facts.description]
    if facts.filename or facts.sha256:
        sources.append(f"{facts.filename} (SHA-256 {facts.sha256})" if facts.sha256 else facts.filename)
    return BookMetadata(
        identifier=facts.urn, title=facts.title, local_id=facts.local_id,
        language=facts.language, date=facts.source_date, publisher=facts.publisher,
        rights=facts.rights, creators=facts.creators, sources=tuple(s for s in sources if s),
    )


def clean(text: str | None) -> str:
    """Whitespace collapsed, as metadata values are shown."""
    return " ".join((text or "").split())


# -- content documents ------------------------------------------------------

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
    html.set("lang", meta.language)
    html.set(XML_LANG, meta.language)
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


# -- cover ------------------------------------------------------------------

COVER_SIZE = (1200, 1800)


def cover_text(meta: BookMetadata) -> str:
    """The cover's text alternative: exactly the words the cover shows, in order."""
    return " — ".join(part for part in (meta.title, meta.date, meta.publisher) if part)


def text_width(text: str) -> float:
    """A text's width in ems, roughly: wide (CJK) characters are 1, others about 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def wrap(text: str, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` ems: at spaces, or anywhere in CJK."""
    tokens = re.findall(r"\s+|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff]+", text)
    lines, line = [], ""
    for token in tokens:
        candidate = line + token
        if line.strip() and text_width(candidate.rstrip()) > width:
            lines.append(line.strip())
            line = token.lstrip()
        else:
            line = candidate
    if line.strip():
        lines.append(line.strip())
    return lines


@functools.cache
def cover_template(templates: Path):
    """The compiled cover template (templates/cover.svg.j2), once per process and templates folder."""
    import jinja2

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)),
                                     autoescape=True, keep_trailing_newline=True,
                                     undefined=jinja2.StrictUndefined)
    try:
        return environment.get_template(COVER_TEMPLATE)
    except jinja2.TemplateError as error:
        raise RenderError(f"cannot load the cover template {COVER_TEMPLATE}: {error}") from None


def cover_svg(meta: BookMetadata, templates: Path) -> bytes:
    """The cover image: title, date and publisher on a plain ground (templates/cover.svg.j2)."""
    width, height = COVER_SIZE
    usable = width - 240
    for size in (104, 92, 80, 70, 62, 54, 48, 42, 36):
        title_lines = wrap(meta.title, usable / size)
        if len(title_lines) * size * 1.3 <= height * 0.55:
            break
    # A title too long even at the smallest size is cut with an ellipsis;
    # the text alternative still gives it whole.
    fitting = int(height * 0.55 // (size * 1.3))
    if len(title_lines) > fitting:
        title_lines = title_lines[:fitting - 1] + [title_lines[fitting - 1] + " …"]
    small = 44
    publisher_lines = wrap(meta.publisher or "", usable / small)[:3]
    top = 300 + size
    svg = cover_template(templates).render(
        lang=meta.language, direction=meta.direction, width=width, height=height,
        alt=cover_text(meta), font_family=COVER_FONTS.get(meta.language.split("-")[0].lower(),
                                                           DEFAULT_COVER_FONT),
        title_size=size, small_size=small,
        title_lines=[{"text": t, "y": round(top + i * size * 1.3)} for i, t in enumerate(title_lines)],
        date=meta.date, date_y=round(top + len(title_lines) * size * 1.3 + 1.5 * small),
        publisher_lines=[{"text": t, "y": round(height - 200 - (len(publisher_lines) - 1 - i) * small * 1.3)}
                         for i, t in enumerate(publisher_lines)],
    )
    return svg.encode("utf-8")


def cover_document(meta: BookMetadata) -> Document:
    """The cover page: the cover image with its text alternative (EPUB 3.3 §5.5.6, cover-image)."""
    html, body = new_document(meta, meta.title)
    section = etree.SubElement(body, H + "section")
    section.set("class", "cover")
    section.set(EPUB_TYPE, "cover")
    section.set("aria-label", meta.title)
    image = etree.SubElement(section, H + "img", src=COVER_IMAGE, alt=cover_text(meta))
    image.set("role", "doc-cover")
    return Document("cover.xhtml", meta.title, html, "cover", None)


# -- navigation -------------------------------------------------------------

@dataclasses.dataclass
class TocEntry:
    """One entry of the table of contents: label, target, sub-entries."""

    label: str
    href: str
    lang: str | None = None
    children: list["TocEntry"] = dataclasses.field(default_factory=list)


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
    for link, kind in zip(listing.iter(H + "a"), types):
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


# -- accessibility ----------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Accessibility:
    """The EPUB Accessibility 1.1 discovery metadata, computed from the content."""

    access_modes: tuple[str, ...]
    sufficient: tuple[str, ...]
    features: tuple[str, ...]
    hazards: tuple[str, ...]
    summary: str
    conforms: bool


def accessibility(documents: list[Document], toc: list[TocEntry]) -> Accessibility:
    """What the book really offers, found by looking at its documents.

    Images (``img``, ``svg``, ``canvas``) make the book visual as
    well as textual; it is sufficient as text alone only if every image has a
    text alternative (``alt``; empty only for images marked decorative with
    ``role="presentation"``). The conformance claim is made only when the
    automated checks of :func:`wcag_problems` find nothing.
    """
    images = [element for document in documents for element in document.root.iter(
        H + "img", H + "canvas", "{http://www.w3.org/2000/svg}svg")]
    described = all(has_alternative(image) for image in images)
    # Structural navigation means the text itself has headings; the title
    # page's and colophon's own headings alone do not make it so.
    headings = any(True for d in documents if d.landmark == "bodymatter"
                   for _ in d.root.iter(*HEADINGS))
    modes = ("textual", "visual") if images else ("textual",)
    if not images:
        sufficient = ("textual",)
    elif described:
        sufficient = ("textual", "textual,visual")
    else:
        sufficient = ("textual,visual",)
    features = ["displayTransformability", "readingOrder"]
    if headings:
        features.append("structuralNavigation")
    if toc:
        features.append("tableOfContents")
    if images and described:
        features.append("alternativeText")
    problems = wcag_problems(documents)
    summary = summary_sentence(images, described, headings, problems)
    return Accessibility(modes, sufficient, tuple(sorted(features)), ("none",), summary, not problems)


def has_alternative(image: etree._Element) -> bool:
    """Whether an image has a text alternative, or is marked decorative."""
    if image.tag == "{http://www.w3.org/2000/svg}svg":
        return image.find("{http://www.w3.org/2000/svg}title") is not None or bool(image.get("aria-label"))
    alt = image.get("alt")
    if alt is None:
        return bool(image.get("aria-label"))
    return bool(alt.strip()) or image.get("role") in ("presentation", "none")


def wcag_problems(documents: list[Document]) -> list[str]:
    """The WCAG 2.1 A/AA failures, or doubts, that can be found automatically.

    Checks: every document has a title (2.4.2) and a known language, set the
    same in ``lang`` and ``xml:lang`` (3.1.1; ``und`` is not known); every
    image has a text alternative (1.1.1); headings are not empty and every
    table has header cells (1.3.1, 2.4.6); every link has text (2.4.4); no
    audio or video, whose captions nothing here can check (1.2); no fixed
    pixel font size in a ``style`` attribute (1.4.4). The reading stylesheet
    uses relative sizes only and sets no text colours (1.4.3, 1.4.4, 1.4.10).
    Anything found withholds the conformance claim; it does not fail the build.
    """
    problems = []
    for document in documents:
        root = document.root
        if not clean(root.findtext(f"{H}head/{H}title")):
            problems.append(f"{document.file}: no title")
        if not root.get("lang") or root.get("lang") != root.get(XML_LANG):
            problems.append(f"{document.file}: lang and xml:lang missing or different")
        elif root.get("lang").lower() == "und":
            problems.append(f"{document.file}: the language is undetermined (und)")
        problems += [f"{document.file}: {problem}" for element in root.iter()
                     for problem in element_problems(element)]
    return problems


def element_problems(element: etree._Element) -> list[str]:
    """What one element does against the checks of :func:`wcag_problems`."""
    name = element.tag if isinstance(element.tag, str) else ""
    text = clean("".join(element.itertext())) if name else ""
    problems = []
    if name in (H + "img", H + "canvas") and not has_alternative(element):
        problems.append("an image has no text alternative")
    if name in HEADINGS and not text:
        problems.append("an empty heading")
    if name == H + "table" and element.find(f".//{H}th") is None:
        problems.append("a table without header cells")
    if name == H + "a" and not text and not element.get("aria-label"):
        problems.append("a link without text")
    if name in (H + "audio", H + "video"):
        problems.append("audio or video, whose captions are not checked")
    if re.search(r"font-size\s*:\s*[\d.]+px", element.get("style") or ""):
        problems.append("a fixed pixel font size")
    return problems


def summary_sentence(images: list, described: bool, headings: bool, problems: list[str]) -> str:
    """The accessibility summary, in plain words, from the same facts as the metadata."""
    parts = ["Reflowable text that the reader can resize and restyle, in a logical reading order, "
             "with a table of contents and landmarks"]
    if headings:
        parts.append("headings for structural navigation")
    sentence = ", ".join(parts) + "."
    if images and described:
        sentence += " Every image, including the cover, has a text alternative."
    elif images:
        sentence += " Some images have no text alternative."
    sentence += " No flashing, motion or sound hazards."
    if not problems:
        sentence += f" Meets {CONFORMANCE} by the automated checks of publish."
    return sentence


# -- images -------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Resource:
    """A publication resource other than a content document: its path, bytes and type."""

    href: str
    data: bytes
    media_type: str


def document_images(documents: list[Document], master: Master, meta: BookMetadata) -> list[Resource]:
    """The images the documents show, from the master's assets (its ``<id>_assets/`` folder).

    Only the master's own images are taken (no absolute paths, no ``..``, no
    URLs: nothing is fetched); the image keeps its relative path inside the
    EPUB, so the ``src`` stays right.
    """
    folder = asset_folder_name(meta.local_id)
    found: dict[str, Resource] = {}
    for document in documents:
        for image in document.root.iter(H + "img"):
            href = image.get("src", "")
            if href == COVER_IMAGE or href in found:
                continue
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.startswith("/") \
                    or posixpath.normpath(href).split("/")[0] != folder or ".." in href.split("/"):
                raise RenderError(f"image {href!r} is not in the asset folder {folder}/")
            data = master.assets.get(posixpath.normpath(href))
            if data is None:
                raise RenderError(f"cannot read image {href}: No such file or directory")
            kind = image_type(data)
            if kind is None:
                raise RenderError(f"image {href} is not PNG, JPEG, GIF, WebP or SVG "
                                  "(the EPUB 3.3 core image types)")
            found[href] = Resource(href, data, kind[0])
    return [found[href] for href in sorted(found)]


# -- the package --------------------------------------------------------------

class KeptHtml(epub.EpubHtml):
    """An XHTML content document whose bytes ebooklib writes exactly as given.

    ebooklib's own ``EpubHtml`` re-parses content with an HTML parser and
    rebuilds the document, losing ``dir``, ``epub:type`` and the head.
    """

    def get_content(self, default=None):
        """The document's bytes as :meth:`Document.serialise` made them, untouched."""
        return self.content


def kept_item(document: Document) -> KeptHtml:
    """The ebooklib item of a content document, with its manifest properties."""
    item = KeptHtml(uid=document.file.removesuffix(".xhtml"), file_name=document.file,
                    media_type="application/xhtml+xml", title=document.title)
    item.content = document.serialise()
    item.properties = list(document.properties)
    return item


def package(meta: BookMetadata, documents: list[Document], nav: Document, cover: bytes,
            images: list[Resource], toc: list[TocEntry], access: Accessibility, css: bytes,
            options: Options) -> bytes:
    """Assemble the book with ebooklib and return the raw zip it writes."""
    book = epub.EpubBook()
    book.set_identifier(meta.identifier)
    book.set_title(meta.title)
    book.set_language(meta.language)
    book.set_direction(meta.direction)
    for number, creator in enumerate(meta.creators, 1):
        book.add_author(creator, uid=f"creator-{number}")
    for name, value in (("date", meta.date), ("publisher", meta.publisher), ("rights", meta.rights)):
        if value:
            book.add_metadata("DC", name, value)
    for source in meta.sources:
        book.add_metadata("DC", "source", source)
    for name, values in (("schema:accessMode", access.access_modes),
                         ("schema:accessModeSufficient", access.sufficient),
                         ("schema:accessibilityFeature", access.features),
                         ("schema:accessibilityHazard", access.hazards),
                         ("schema:accessibilitySummary", (access.summary,))):
        for value in values:
            book.add_metadata(None, "meta", value, {"property": name})
    if access.conforms:
        book.add_metadata(None, "meta", CONFORMANCE, {"property": "dcterms:conformsTo", "id": "conformance"})
        book.add_metadata(None, "meta", CERTIFIER, {"property": "a11y:certifiedBy", "refines": "#conformance"})

    cover_image = epub.EpubCover(file_name=COVER_IMAGE)
    cover_image.media_type = "image/svg+xml"
    cover_image.content = cover
    book.add_item(cover_image)
    book.add_metadata(None, "meta", "", {"name": "cover", "content": cover_image.id})
    style = epub.EpubItem(uid="style", file_name=CSS_FILE, media_type="text/css", content=css)
    book.add_item(style)
    for number, image in enumerate(images, 1):
        book.add_item(epub.EpubImage(uid=f"image-{number}", file_name=image.href,
                                     media_type=image.media_type, content=image.data))
    items = [kept_item(document) for document in documents]
    for item in items:
        book.add_item(item)
    nav_item = book.add_item(kept_item(nav))
    ncx = epub.EpubNcx()
    ncx.media_type = "application/x-dtbncx+xml"
    book.add_item(ncx)
    book.toc = ncx_toc(toc)
    # The contents page is reachable from the landmarks, so it is in the
    # spine, after the title page, out of the linear reading order.
    book.spine = items[:2] + [(nav_item, "no")] + items[2:]

    buffer = io.BytesIO()
    try:
        epub.EpubWriter(buffer, book, {"mtime": options.build_datetime, "epub2_guide": False,
                                       "epub3_landmark": False, "epub3_pages": False,
                                       "raise_exceptions": True}).write()
    except Exception as error:  # ebooklib raises anything; report it as a render failure
        raise RenderError(f"ebooklib could not write the EPUB: {type(error).__name__}: {error}") from None
    return buffer.getvalue()


def reproducible_zip(raw: bytes, source_date_epoch: int) -> bytes:
    """Rewrite an EPUB zip so equal input gives equal bytes (EPUB 3.3 §4.2, OCF ZIP container).

    ``mimetype`` first and stored; then ``META-INF/container.xml`` and the
    rest in name order; every entry dated ``SOURCE_DATE_EPOCH`` (no earlier than 1980, the
    first date a zip can hold), mode 0644, made on Unix, no extra fields.
    """
    moment = max(dt.datetime.fromtimestamp(source_date_epoch, tz=dt.timezone.utc), ZIP_EPOCH)
    stamp = moment.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(raw)) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    first = ["mimetype", "META-INF/container.xml"]
    order = first + sorted(n for n in entries if n not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, entries[name], compresslevel=9)
    return out.getvalue()


# -- the renderer -----------------------------------------------------------

def render(master: Master, options: Options) -> bytes:
    """The bytes of the EPUB 3.3 edition of one TEI master (see :mod:`publish.formats`)."""
    try:
        return epub_bytes(master, options)
    except RenderError as error:
        raise RenderError(error.message, master.shown) from None


def epub_bytes(master: Master, options: Options) -> bytes:
    """The complete EPUB for a TEI master, as bytes."""
    tei = master.tree
    meta = book_metadata(tei, master.shown)
    xhtml = to_xhtml(tei, options.templates, "epub", CSS_FILE)
    documents = [cover_document(meta)] + split_documents(xhtml, meta)
    toc = table_of_contents(documents[1:], meta)
    nav = nav_document(meta, toc, documents)
    access = accessibility(documents + [nav], toc)
    try:
        css = (Path(options.templates) / CSS_FILE).read_bytes()
    except OSError as error:
        raise RenderError(f"cannot read the stylesheet {CSS_FILE}: {error.strerror}") from None
    images = document_images(documents, master, meta)
    raw = package(meta, documents, nav, cover_svg(meta, Path(options.templates)), images, toc, access,
                  css, options)
    return reproducible_zip(raw, options.source_date_epoch)
