"""The book assembled with ebooklib: package document, manifest, spine (EPUB 3.3 §5).

ebooklib writes the package document, the NCX and the container; the content
documents go in exactly as :mod:`publish.render.epub.documents` made them
(:class:`KeptHtml`). Its zip is then rewritten for reproducible bytes
(:mod:`publish.render.epub.container`).
"""

from __future__ import annotations

import io

from ebooklib import epub

from publish.errors import RenderError
from publish.options import Options
from publish.render.epub.accessibility import CERTIFIER, CONFORMANCE, Accessibility
from publish.render.epub.cover import COVER_IMAGE
from publish.render.epub.documents import CSS_FILE, XML_LANG, Document
from publish.render.epub.metadata import BookMetadata
from publish.render.epub.navigation import TocEntry, ncx_toc
from publish.render.epub.resources import Resource


class KeptHtml(epub.EpubHtml):
    """An XHTML content document whose bytes ebooklib writes exactly as given.

    ebooklib's own ``EpubHtml`` re-parses content with an HTML parser and
    rebuilds the document, losing ``dir``, ``epub:type`` and the head.
    """

    def get_content(self, default=None):
        """The document's bytes as :meth:`Document.serialise` made them, untouched."""
        return self.content


class Writer(epub.EpubWriter):
    """ebooklib's writer, with the book's language on ``<package>`` (EPUB 3.3 §5.4.1, ``xml:lang``).

    ebooklib writes ``dc:language`` but no ``xml:lang`` on the package
    element, so the language of the metadata's own text (title, summary) is
    unstated; DAISY Ace reports that as the serious violation ``epub-lang``.
    """

    def _write_opf_file(self, root):
        """Set ``xml:lang`` on the package root, then write it as ebooklib does."""
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)


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
    if access.page_source:
        book.add_metadata(None, "meta", access.page_source, {"property": "pageBreakSource"})
    if access.conforms:
        book.add_metadata(None, "meta", CONFORMANCE,
                          {"property": "dcterms:conformsTo", "id": "conformance"})
        book.add_metadata(None, "meta", CERTIFIER,
                          {"property": "a11y:certifiedBy", "refines": "#conformance"})

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
        Writer(buffer, book, {"mtime": options.build_datetime, "epub2_guide": False,
                                  "epub3_landmark": False, "epub3_pages": False,
                                  "raise_exceptions": True}).write()
    except Exception as error:  # noqa: BLE001  ebooklib raises anything; report it as a render failure
        raise RenderError(f"ebooklib could not write the EPUB: {type(error).__name__}: {error}") from None
    return buffer.getvalue()
