"""TEI → EPUB 3.3: split the shared XHTML into content documents and package them.

Follows EPUB 3.3 (W3C Recommendation 2023): §3 publication resources, §5
package document (metadata, manifest, spine), §6 XHTML content documents,
§7 navigation document, §4 OCF (the zip container), and EPUB Accessibility
1.1 (§5, discovery metadata; schema.org accessibility properties).

The path, one module a step: the TEI master (parsed once by the caller) →
its header's package metadata (:mod:`.metadata`) → :func:`publish.render.xhtml.to_xhtml`
(target ``epub``) → one content document per section of that XHTML
(:mod:`.documents`) plus a generated cover (:mod:`.cover`), a navigation
document and NCX (:mod:`.navigation`) and the master's images
(:mod:`.resources`) → the accessibility metadata, computed from those
documents (:mod:`.accessibility`) → an ebooklib ``EpubBook``
(:mod:`.package`) → the zip rewritten for reproducible bytes
(:mod:`.container`), returned to the caller.
"""

from __future__ import annotations

from pathlib import Path

from publish.errors import RenderError
from publish.options import Options
from publish.render.epub.accessibility import accessibility
from publish.render.epub.container import reproducible_zip
from publish.render.epub.cover import cover_document, cover_svg, text_width, wrap
from publish.render.epub.documents import (
    CSS_FILE,
    XML_LANG,
    Document,
    H,
    label_language,
    new_document,
    split_documents,
)
from publish.render.epub.metadata import BookMetadata, book_metadata
from publish.render.epub.navigation import nav_document, table_of_contents
from publish.render.epub.package import package
from publish.render.epub.pagebreaks import mark_pages, page_list, page_starts
from publish.render.epub.resources import document_images
from publish.render.xhtml import to_xhtml
from publish.tei.master import Master

__all__ = ["XML_LANG", "BookMetadata", "Document", "H", "accessibility", "cover_svg", "epub_bytes",
           "new_document", "render", "text_width", "wrap"]


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
    # Images first: one the EPUB refuses fails it before any PDF layout is made.
    images = document_images(documents, master, meta)
    # The PDF's page numbers, where WeasyPrint's layout of the same master begins each page.
    starts = page_starts(master, options)
    paged = [number for document in documents[1:] for number in mark_pages(document.root, starts)]
    toc = table_of_contents(documents[1:], meta)
    nav = nav_document(meta, toc, documents)
    pages = page_list(documents, label_language(meta))
    if pages is not None:
        nav.root.find(H + "body").append(pages)
    source = f"the PDF/A-3 edition {master.identifier}.pdf ({meta.identifier})" if paged else None
    access = accessibility(documents + [nav], toc, source)
    try:
        css = (Path(options.templates) / CSS_FILE).read_bytes()
    except OSError as error:
        raise RenderError(f"cannot read the stylesheet {CSS_FILE}: {error.strerror}") from None
    raw = package(meta, documents, nav, cover_svg(meta, Path(options.templates)), images, toc, access,
                  css, options)
    return reproducible_zip(raw, options.source_date_epoch)
