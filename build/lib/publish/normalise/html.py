"""HTML (a whole page or a fragment) → TEI P5.

Parsed by the HTML Living Standard's own algorithm (§13.2, tinyhtml5),
mapped by :mod:`publish.normalise.xhtml_to_tei` into the TEI P5 elements of
ch. 3, 4 and 14 of the Guidelines. Metadata follows the HTML Living Standard
§4.2.5 (``<meta name>``) and the Dublin Core in HTML convention (DCMI, "Expressing
Dublin Core metadata using HTML/XHTML meta and link elements"). The bytes are
decoded as plain text is (:mod:`publish.normalise.decode`: BOM, UTF-8, then
careful detection), and the encoding is recorded.

Supports:

- [x] a whole page or a fragment; XHTML (an XML declaration is ignored)
- [x] ``<title>``, ``<meta name="author|description|dcterms.*|DC.*">``, ``<html lang>`` → metadata
- [x] ``h1``–``h6`` → nested ``div``/``head`` (the outline); ``section`` and ``article`` follow it
- [x] ``p``, ``blockquote`` → ``quote``, ``pre`` → ``ab type="pre"``, ``hr`` → ``milestone``
- [x] ``ul``/``ol`` (nested) → ``list``/``item``; ``dl`` → ``list type="gloss"`` with ``label``
- [x] tables → ``table``/``row``/``cell``; ``thead`` and ``th`` rows → ``role="label"``;
      ``colspan``/``rowspan`` → ``cols``/``rows``; ``caption`` → ``head``
- [x] ``em``, ``strong``, ``u``, ``s``, ``sup``, ``sub``, ``mark`` … → ``hi rend=…``; ``code`` → ``code``
- [x] ``a href`` → ``ref target`` (http, https, mailto…; internal links follow the new ids)
- [x] footnotes as pandoc, markdown-it and EPUB write them (``role="doc-endnotes"``,
      ``epub:type="footnote"``, ``class="footnotes"``) → ``note place="foot"`` at the reference
- [x] ``img`` and ``figure``/``figcaption`` → ``figure``/``graphic``/``figDesc`` (alt text);
      images from ``data:`` URLs or files beside the page, copied into the assets
- [x] ``q`` → ``q``; ``br`` → ``lb``; ``lang`` on inline elements → ``foreign xml:lang``
- [x] scripts, event handlers, ``javascript:`` URLs, embeds, ``<base>``: dropped, each drop a WARNING
- [x] ``object``, ``iframe``, ``video``, ``audio``, ``canvas``, ``noscript``: never run or fetched
      (WARNING); their fallback content kept as ``seg``/``ab type="fallback" subtype=<name>``
- [x] inline SVG and MathML: their text kept (``seg type="svg"``), scripts and animations dropped
- [-] remote and ``file:`` images: never fetched; the figure keeps the alt text and says why (WARNING)
- [-] links to other files (relative URLs): kept as text, the target left out (it would be broken)
- [ ] CSS: styles are left out; ``dir`` attributes are left to the renderers' language rules
- [ ] forms: controls are left out, their labels kept
"""

from __future__ import annotations

import dataclasses

from publish.log import LOGGER
from publish.metadata import ISO_DATE, LANGUAGE_TAG, Metadata
from publish.normalise.base import Normalised, Source
from publish.normalise.decode import decode
from publish.normalise.document import from_document
from publish.normalise.words import html_reading
from publish.normalise.xhtml_parse import drop_unsafe, parse_html
from publish.tei import xml

NAME = "html"
MEDIA_TYPE = "text/html"

#: ``<meta name>`` (lower-cased) → metadata field.
META_NAMES = {
    "dc.title": "title", "dcterms.title": "title",
    "author": "author", "dc.creator": "author", "dcterms.creator": "author",
    "dc.date": "date", "dcterms.date": "date", "dcterms.created": "date", "dcterms.issued": "date",
    "dc.language": "language", "dcterms.language": "language",
    "dc.publisher": "publisher", "dcterms.publisher": "publisher",
    "dc.rights": "licence", "dcterms.rights": "licence", "dcterms.license": "licence_url",
    "dc.source": "source", "dcterms.source": "source",
    "description": "source", "dc.description": "source", "dcterms.description": "source",
}


def normalise(source: Source) -> Normalised:
    """Normalise an HTML page or fragment into a TEI ``text`` and its record."""
    decoded = decode(source.data, source.path, source.encoding)
    document = parse_html(decoded.text, source.path)
    found = page_metadata(document)
    reading = html_reading(document)  # before anything is dropped: what a browser shows
    drop_unsafe(document, source.path)
    result = from_document(source, document, found, encoding=decoded.encoding, bom=decoded.bom)
    return dataclasses.replace(result, reading=reading, reading_of="its text as an HTML5 parser reads it")


def page_metadata(document) -> Metadata:
    """Metadata from ``<title>``, ``<meta name>`` and ``<html lang>``; bad values are skipped."""
    values: dict[str, object] = {}
    title = document.find(".//head/title")
    if title is not None and (title.text_content() or "").strip():
        values["title"] = " ".join(title.text_content().split())
    authors: list[str] = []
    for meta in document.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = " ".join((meta.get("content") or "").split())
        field = META_NAMES.get(name)
        if not field or not content:
            continue
        if field == "author":
            if content not in authors:
                authors.append(content)
        elif field == "title" or field not in values:
            values[field] = content
    if authors:
        values["author"] = tuple(authors)
    language = document.get("lang") or document.get(xml("lang"))
    if language and "language" not in values:
        values["language"] = language.strip()
    return checked(values)


def checked(values: dict) -> Metadata:
    """Keep the values that are well formed; an ill-formed one is logged and skipped."""
    kept = {}
    for key, value in values.items():
        if key == "date":
            value = str(value)[:10]
            if not ISO_DATE.match(value):
                LOGGER.info("page date %r is not YYYY[-MM[-DD]]; not used", values[key])
                continue
        if key == "language" and not LANGUAGE_TAG.match(str(value)):
            LOGGER.info("page language %r is not a BCP 47 tag; not used", value)
            continue
        if key == "licence_url" and not str(value).startswith(("http://", "https://")):
            continue
        kept[key] = value
    return Metadata(**kept)
