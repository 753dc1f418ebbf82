"""Characters no installed font draws: a visible, documented placeholder in the PDF.

A private-use code point with no font, an unassigned one, or any character
Pango finds in no installed font would be drawn as ``.notdef`` (tofu), which
says nothing. The PDF shows instead the code point in a small box
(``<span class="notdef">U+E000</span>``, styled in ``templates/print.css``), and
each such character is logged as a WARNING naming it (``--strict`` makes that
fatal). The TEI master and the EPUB keep the character itself: code points are
never changed or normalised away, only this edition's picture of them.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from publish.log import LOGGER
from publish.render.pdf.glyphs import describe

XHTML_SPAN = "{http://www.w3.org/1999/xhtml}span"


def with_placeholders(root: etree._Element, codepoints: set[int], tei_path: Path) -> None:
    """Replace, in place, every character in ``codepoints`` by its placeholder box."""
    for codepoint in sorted(codepoints):
        LOGGER.warning("%s: no installed font has a glyph for U+%04X %s; the PDF shows the code "
                       "point in a box instead (the TEI and EPUB keep the character)",
                       tei_path, codepoint, describe(codepoint))
    characters = {chr(c) for c in codepoints}
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.get("class") == "notdef":
            continue
        if element.text and characters.intersection(element.text):
            pieces = split(element.text, characters)
            element.text = pieces[0]
            for index, box in enumerate(boxes(pieces[1:])):
                element.insert(index, box)
        if element.tail and characters.intersection(element.tail) and element.getparent() is not None:
            pieces = split(element.tail, characters)
            element.tail = pieces[0]
            for box in reversed(boxes(pieces[1:])):
                element.addnext(box)


def split(text: str, characters: set[str]) -> list[str]:
    """``text`` as [text, character, text, character, …, text]."""
    pieces, run = [], []
    for character in text:
        if character in characters:
            pieces += ["".join(run), character]
            run = []
        else:
            run.append(character)
    return pieces + ["".join(run)]


def boxes(pieces: list[str]) -> list[etree._Element]:
    """A placeholder span for each character, the text after it as its tail."""
    out = []
    for character, after in zip(pieces[::2], pieces[1::2], strict=True):
        box = etree.Element(XHTML_SPAN, {"class": "notdef",
                                         "title": f"U+{ord(character):04X} {describe(ord(character))}"})
        box.text = f"U+{ord(character):04X}"
        box.tail = after
        out.append(box)
    return out


def spelled_out(text: str, codepoints: set[int]) -> str:
    """``text`` with each character in ``codepoints`` written as ``U+XXXX`` (for attributes)."""
    return "".join(f"U+{ord(c):04X}" if ord(c) in codepoints else c for c in text)
