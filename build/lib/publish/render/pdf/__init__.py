"""TEI → archival PDF edition: PDF/A-3a, tagged, the TEI master embedded, any script.

The path is: the TEI master → :func:`publish.render.xhtml.to_xhtml` (the shared
XSLT) → HTML text for WeasyPrint (:mod:`.html`) → WeasyPrint with
``templates/print.css`` and the safe URL fetcher (:mod:`publish.render.fetcher`)
→ PDF. The result follows ISO 19005-3 (PDF/A-3), conformance level A:

* the TEI file is embedded as an associated file (ISO 19005-3 §6.8,
  ISO 32000-2 §14.13): ``/AFRelationship /Source``, MIME ``text/xml``, dates
  from ``SOURCE_DATE_EPOCH``, listed exactly once in the catalogue's ``/AF``
  (WeasyPrint lists it twice; :mod:`.pdfa`);
* the XMP packet (ISO 19005-3 §6.6.2, ISO 16684-1) is written from the
  teiHeader and agrees with the document information dictionary (:mod:`.metadata`);
* it is tagged (ISO 32000-1 §14.8: ``StructTreeRoot``, ``MarkInfo``,
  ``/Lang``); the running header and folio are artifacts, not dangling
  content, and the pieces of an element split by a page break are joined
  again, so a paragraph is one ``/P`` (:mod:`.tags`, with the origins that
  :mod:`.weasyprint_patch` records, the one module that touches WeasyPrint's
  internals);
* every font is embedded and subset with a ToUnicode map (WeasyPrint);
* a glyph missing from every font (``.notdef``, "tofu") is never drawn: the
  page is drawn again with the code point in a small box and a WARNING
  (:mod:`.glyphs`, :mod:`.placeholders`);
* the bytes are reproducible: every date comes from ``SOURCE_DATE_EPOCH`` and
  the trailer ``/ID`` is the MD5 of the objects (pydyf).

All fixes are made on WeasyPrint's in-memory PDF, in its ``finisher`` hook
(:mod:`.finisher`), and the renderer returns the bytes; the caller writes the
file, once, atomically.

Relative URLs in the text (``graphic/@url`` is ``<id>_assets/<name>``) resolve
against the TEI master; the fetcher reads only ``templates/`` and serves the
master's images from memory.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from publish.errors import PublishError, RenderError
from publish.options import Options
from publish.render.fetcher import SafeFetcher
from publish.render.pdf.finisher import Finisher
from publish.render.pdf.glyphs import MissingGlyphs
from publish.render.pdf.html import html_text, resolve_auto_direction
from publish.render.pdf.metadata import Edition, shorten
from publish.render.pdf.pdfa import PDF_VARIANT
from publish.render.pdf.placeholders import spelled_out, with_placeholders
from publish.render.pdf.weasyprint_patch import actual_text, structure_origins
from publish.render.xhtml import to_xhtml
from publish.tei.master import Master

__all__ = ["Edition", "layout", "render", "resolve_auto_direction", "shorten", "warm_up"]

STYLESHEET = "print.css"
#: Where WeasyPrint is told the TEI file lies; the safe fetcher maps it to the real folder.
VIRTUAL_FOLDER = Path("/publish-document")


def warm_up(templates: Path) -> None:
    """Pay WeasyPrint's import and font configuration once per worker process."""
    # The import loads Pango (through cffi), HarfBuzz and fontTools.
    from weasyprint.text.fonts import FontConfiguration

    FontConfiguration()  # reads fontconfig's configuration and font list once


def render(master: Master, options: Options) -> bytes:
    """The bytes of the PDF/A-3 edition of one TEI master (see :mod:`publish.formats`)."""
    tei = master.tree
    edition = Edition.from_tei(tei)
    stylesheet = stylesheet_url(options)
    html = html_text(to_xhtml(tei, options.templates, "pdf", stylesheet), edition)
    try:
        return write(html, master, options, edition)
    except MissingGlyphs as missing:  # drawn again, each such character as a visible placeholder
        xhtml = to_xhtml(tei, options.templates, "pdf", stylesheet)
        with_placeholders(xhtml.getroot(), missing.codepoints, master.shown)
        # The running header draws the short title from an attribute: there, the code point as text.
        header = dataclasses.replace(edition, short_title=spelled_out(edition.short_title,
                                                                       missing.codepoints))
        return write(html_text(xhtml, header), master, options, edition)


def stylesheet_url(options: Options) -> str:
    """``print.css`` by absolute URL; every other URL (``<id>_assets/…``) is relative to the TEI file."""
    return (options.templates / STYLESHEET).resolve().as_uri()


def fetcher_for(master: Master, options: Options) -> SafeFetcher:
    """The safe URL fetcher: ``templates/`` and the master's own images, served from memory."""
    return SafeFetcher((options.templates,), document=str(master.shown),
                       virtual=(VIRTUAL_FOLDER, master.assets))


def layout(master: Master, options: Options, html: str | None = None):
    """WeasyPrint's layout of a master's HTML: ``(html root, document)``, before any PDF is written.

    The page starts of the EPUB's page list are read from this same layout
    (:mod:`publish.render.pages`), so the PDF is laid out once per master.
    """
    import weasyprint

    if html is None:
        edition = Edition.from_tei(master.tree)
        html = html_text(to_xhtml(master.tree, options.templates, "pdf", stylesheet_url(options)), edition)
    # WeasyPrint names each image by the md5 of its URL, so the document is given a
    # fixed virtual location: the PDF's bytes must not depend on where the TEI sits.
    # Its images are served from memory under that location.
    try:
        parsed = weasyprint.HTML(string=html, base_url=(VIRTUAL_FOLDER / master.filename).as_uri(),
                                 url_fetcher=fetcher_for(master, options))
        return parsed.etree_element, parsed.render()
    except PublishError:
        raise
    except Exception as err:  # WeasyPrint failed: one line, the document named
        raise RenderError(f"WeasyPrint failed: {type(err).__name__}: {err}", master.shown) from err


def write(html: str, master: Master, options: Options, edition: Edition) -> bytes:
    """WeasyPrint's PDF/A-3 of the HTML, finished (see :class:`Finisher`)."""
    import weasyprint

    from publish.render.pages import remember

    root, document = layout(master, options, html)
    # The EPUB of this run takes its page list from this very layout.
    remember(master, options, root, document)
    built = options.build_datetime.replace(tzinfo=None)  # WeasyPrint appends the "Z" itself
    source = weasyprint.Attachment(
        string=master.data, url_fetcher=fetcher_for(master, options), name=master.filename,
        relationship="Source", description="TEI P5 master of this edition (archival source)",
        created=built, modified=built)
    try:
        # actual_text: every letter extractable, ligatures and conjuncts included
        with structure_origins() as origins, actual_text():
            return document.write_pdf(pdf_variant=PDF_VARIANT, attachments=[source],
                                      finisher=Finisher(edition, master.shown, options, origins))
    except PublishError:
        raise
    except Exception as err:  # WeasyPrint or pydyf failed: one line, the document named
        raise RenderError(f"WeasyPrint failed: {type(err).__name__}: {err}", master.shown) from err
