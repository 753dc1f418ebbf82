"""The HTML→TEI converter's fallback content and foreign (SVG, MathML) elements.

HTML Living Standard §4.8: ``object``, ``iframe``, ``video``, ``audio`` and
``canvas`` hold *fallback content*, shown when the embedded thing cannot be,
and ``noscript`` (§4.12.2) holds what is shown without scripting. publish never
runs or fetches the embedded thing, so the fallback is what a reader of the
edition is meant to see: it is kept, marked (TEI P5 Guidelines §16.3, ``seg``;
§16.3 ``ab``) ``type="fallback"`` with the element's name as ``subtype``.
Inline SVG and MathML (§4.8.16, §4.8.17) keep their text (``seg type="svg"``);
their active parts were dropped by :func:`publish.normalise.xhtml_parse.drop_unsafe`.
"""

from __future__ import annotations

from lxml import etree

from publish.normalise import structure
from publish.normalise.structure import fill
from publish.tei import T, localname

SVG_NS = "http://www.w3.org/2000/svg"
#: SVG and MathML elements whose content is not text: styling and definitions.
FOREIGN_QUIET = {"style", "defs", "lineargradient", "radialgradient", "pattern", "clippath",
                 "mask", "filter", "marker", "symbol", "metadata"}


class FallbackElements:
    """Handlers for fallback content and foreign elements, mixed into the converter."""

    def fallback(self, element: etree._Element, subtype: str) -> list:
        """The element's content, marked: ``seg`` around phrases, ``ab`` for each paragraph."""
        pieces = self.children(element)
        if not any(structure.kind(p) != "text" or p.strip() for p in pieces):
            return []
        self.report.mapped[f"<{subtype}> fallback"] += 1
        if not any(structure.kind(p) == "block" for p in pieces):
            return [mark(fill(T.seg(type="fallback"), pieces, "phrase"), subtype)]
        marked = []
        for piece in pieces:
            if not isinstance(piece, str) and localname(piece) == "p":
                block = T.ab(type="fallback")
                block.text, block[:] = piece.text, list(piece)
                piece = mark(block, subtype)
            marked.append(piece)
        return marked

    def html_object(self, element, top):
        return self.fallback(element, "object")

    def html_applet(self, element, top):
        return self.fallback(element, "applet")

    def html_iframe(self, element, top):
        return self.fallback(element, "iframe")

    def html_video(self, element, top):
        return self.fallback(element, "video")

    def html_audio(self, element, top):
        return self.fallback(element, "audio")

    def html_canvas(self, element, top):
        return self.fallback(element, "canvas")

    def html_noscript(self, element, top):
        return self.fallback(element, "noscript")

    def foreign(self, element: etree._Element, name: str) -> list:
        """An SVG or MathML element: its text is kept, its drawing is not."""
        if name in FOREIGN_QUIET:
            self.report.dropped[f"<{name}>"] += 1
            return []
        pieces = self.children(element)
        if name == "svg" and element.tag.startswith("{" + SVG_NS):
            self.report.mapped["<svg> text"] += 1
            if not any(structure.kind(p) != "text" or p.strip() for p in pieces):
                return []
            seg = fill(T.seg(type="svg"), pieces, "phrase")
            structure.trim(seg)
            return [seg]
        if name in ("text", "title", "desc", "mtext", "mi", "mn", "mo"):
            pieces.append(" ")  # separate SVG labels, which are positioned, not flowed
        return pieces


def mark(element: etree._Element, subtype: str) -> etree._Element:
    element.set("subtype", subtype)
    return element
