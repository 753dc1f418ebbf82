"""HTML → TEI: the one mapping shared by the HTML, Markdown and DOCX normalisers.

Markdown (through markdown-it-py) and DOCX (through mammoth) are first turned
into HTML, so one mapping, and one set of safety rules, serves all three.
The HTML is an lxml.html tree (HTML Living Standard parsing, as libxml2 does it).
The TEI follows the TEI P5 Guidelines: ch. 3 (``p``, ``hi``, ``q``, ``quote``,
``ref``, ``list``/``item``/``label``, ``note``, ``lb``, ``code``), ch. 4 (``div``/``head``
from the heading levels, as HTML's outline does), ch. 14 (``table``/``row``/``cell``
with ``role="label"``, ``figure``/``graphic``/``figDesc``), ch. 1.3 (``milestone``).

This module walks the tree and maps the phrases; the other element handlers
are mixed in by concern: :mod:`~publish.normalise.xhtml_blocks` (headings,
paragraphs, lists, tables), :mod:`~publish.normalise.xhtml_figures` (images,
never fetched) and :mod:`~publish.normalise.xhtml_notes` (footnotes).
Parsing, and dropping active content, is :mod:`publish.normalise.xhtml_parse`.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from publish.log import LOGGER
from publish.metadata import LANGUAGE_TAG
from publish.normalise import structure
from publish.normalise.resources import short
from publish.normalise.structure import Assets, Report, SourceIds, fill
from publish.normalise.xhtml_blocks import BlockElements
from publish.normalise.xhtml_fallback import FallbackElements
from publish.normalise.xhtml_figures import FigureElements
from publish.normalise.xhtml_notes import NoteElements
from publish.tei import T, xml

#: Not text: styling and machinery, left out quietly (recorded in the report).
QUIET_DROPS = {"style", "template", "link", "meta", "title", "head", "input", "select",
               "textarea", "source", "track", "param", "wbr", "colgroup", "col", "area", "map"}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
RENDS = {"em": "italic", "i": "italic", "cite": "italic", "var": "italic", "dfn": "italic",
         "strong": "bold", "b": "bold", "u": "underline", "ins": "underline",
         "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
         "sup": "superscript", "sub": "subscript", "mark": "highlight", "small": "small",
         "big": "large"}
CODE = {"code", "kbd", "samp", "tt"}
#: Containers that add nothing to the TEI structure: their content flows on.
TRANSPARENT = {"html", "body", "div", "section", "article", "main", "header", "footer", "nav",
               "aside", "center", "address", "details", "summary", "hgroup", "form", "fieldset",
               "legend", "span", "font", "abbr", "acronym", "time", "data", "bdi", "bdo",
               "label", "nobr", "ruby", "rb", "rt", "rp", "picture", "button",
               "figcaption", "caption", "thead", "tbody", "tfoot", "output", "meter",
               "progress", "dialog", "menu", "optgroup", "option", "blink", "marquee",
               "math"}
WHITESPACE = re.compile(r"[ \t\n\r\f]+")


class Converter(BlockElements, FigureElements, NoteElements, FallbackElements):
    """Walks an lxml.html body and yields TEI pieces (see :mod:`publish.normalise.structure`).

    An element named ``x`` goes to the method ``html_x`` if there is one (here or
    in a mixin), else to the tables below.
    """

    def __init__(self, source: Path, assets: Assets, report: Report, *,
                 images: dict[str, bytes | str] | None = None, local_images: bool = True) -> None:
        self.source = source
        self.assets = assets
        self.report = report
        self.images = images or {}
        self.local_images = local_images
        self.ids = SourceIds()
        self.note_bodies: dict[str, etree._Element] = {}
        self.consumed: set[str] = set()
        self.note_refs: dict[str, list[etree._Element]] = {}
        self.ref_ids: set[str] = set()
        self.preformatted = 0

    # -- the document ------------------------------------------------------

    def text(self, document: etree._Element) -> etree._Element:
        """The TEI ``<text>`` for an lxml.html document."""
        body = document.find("body")
        if body is None:
            body = document
        self.find_notes(body)
        tei_body = structure.sectioned(self.children(body, top=True), T.body(), self.ids)
        text = T.text(tei_body)
        text.set(xml("space"), "preserve")
        structure.assign_ids(text, self.ids)
        return text

    # -- walking -----------------------------------------------------------

    def children(self, element: etree._Element, top: bool = False) -> list:
        """The pieces for the content of an element: its text, children and their tails."""
        pieces: list = []
        self.add_text(pieces, element.text)
        for child in element:
            if isinstance(child.tag, str):
                pieces.extend(self.convert(child, top))
            self.add_text(pieces, child.tail)
        return pieces

    def add_text(self, pieces: list, text: str | None) -> None:
        if not text:
            return
        pieces.append(text if self.preformatted else WHITESPACE.sub(" ", text))

    def convert(self, element: etree._Element, top: bool = False) -> list:
        """The pieces one HTML element becomes."""
        if element.tag.startswith("{"):
            return self.foreign(element, element.tag.rsplit("}", 1)[1].lower())
        name = element.tag.lower()
        if element.get("id") in self.note_bodies and element.get("id") in self.note_refs:
            return []  # placed where it is referred to
        handler = getattr(self, "html_" + name, None)
        if handler is not None:
            return handler(element, top)
        if name in HEADINGS:
            return self.heading(element, HEADINGS[name], top)
        if name in RENDS:
            return [self.phrase(T.hi(rend=RENDS[name]), element)]
        if name in CODE:
            return [self.code(element)]
        if name in QUIET_DROPS:
            self.report.dropped[f"<{name}>"] += 1
            return []
        if name not in TRANSPARENT:
            self.report.kept_text[f"<{name}>"] += 1
        return self.with_language(element, self.children(element, top and name in TRANSPARENT))

    def phrase(self, container: etree._Element, element: etree._Element) -> etree._Element:
        return fill(container, self.children(element), "phrase")

    def with_language(self, element: etree._Element, pieces: list) -> list:
        """A ``lang`` on an inline container becomes ``foreign xml:lang``."""
        language = element.get("lang")
        if not language or element.tag in ("html", "body") or not LANGUAGE_TAG.match(language):
            return pieces
        if any(structure.kind(p) == "block" for p in pieces):
            return pieces
        foreign = fill(T.foreign(), pieces, "phrase")
        foreign.set(xml("lang"), language)
        return [foreign]

    # -- phrases -----------------------------------------------------------

    def html_br(self, element, top):
        return [T.lb()]

    def html_q(self, element, top):
        return [self.phrase(T.q(), element)]

    def code(self, element: etree._Element) -> etree._Element:
        return T.code("".join(element.itertext()))

    def html_a(self, element, top):
        href = element.get("href")
        if href is not None and href.startswith("#") and href[1:] in self.note_refs:
            return self.note_ref(element, href[1:])
        if href is not None and href.startswith("#") and self.backlink(element):
            return []
        pieces = self.children(element, top)
        if href is None:
            return pieces
        target, why = structure.safe_link(href)
        if target is None:
            LOGGER.info("%s: link to %s kept as text: %s", self.source, short(href), why)
            return pieces
        if any(structure.kind(p) == "block" for p in pieces):
            return pieces
        return [fill(T.ref(target=target), pieces, "phrase")]
