"""The one place publish reaches into WeasyPrint's internals, for one known version.

Two patches, each in place only for the length of one ``write_pdf``:
:func:`structure_origins` (below) and :func:`actual_text` (lines that would
lose letters to text extraction, ISO 32000-1 §14.9.4).

WeasyPrint 70 tags page by page (``weasyprint.pdf.tags._build_box_tree``, a
private function that calls itself through its module), so an element split
by a page break becomes one structure element per page, and nothing in its
public API says which pieces belong together. :func:`structure_origins`
wraps that function for the length of one ``write_pdf`` to record it, for
:func:`publish.render.pdf.tags.join_elements_split_by_pages`.

A private function may change in any release, so the patch is made only on
the major version it was written for (:data:`WEASYPRINT_MAJOR`); on another
the render fails, naming both versions, rather than tag a PDF wrongly.
:func:`page_boxes` gives the laid-out pages (``Page._page_box``), from which
:mod:`publish.render.pages` reads where each page begins for the EPUB.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator

from publish.errors import RenderError

#: The WeasyPrint major version whose ``weasyprint.pdf.tags`` this module patches.
WEASYPRINT_MAJOR = 70


def check_version(version: str) -> None:
    """Refuse a WeasyPrint whose major version is not :data:`WEASYPRINT_MAJOR`, naming both."""
    if version.split(".")[0] != str(WEASYPRINT_MAJOR):
        raise RenderError(f"WeasyPrint {version} is installed, but publish.render.pdf.weasyprint_patch "
                          f"patches the internals of WeasyPrint {WEASYPRINT_MAJOR}.x "
                          f"(weasyprint.pdf.tags._build_box_tree); install weasyprint {WEASYPRINT_MAJOR}.x "
                          "or update the patch")


@contextlib.contextmanager
def structure_origins() -> Iterator[dict[int, tuple[object, object]]]:
    """Record the HTML element each structure element WeasyPrint makes comes from.

    Yields ``id(structure element) → (structure element, HTML element)``,
    filled while WeasyPrint tags; WeasyPrint's own function is back in place
    when the block ends, however it ends.
    """
    import weasyprint
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import tags

    check_version(weasyprint.__version__)
    origins: dict[int, tuple[object, object]] = {}
    original = tags._build_box_tree

    def recording(box, *args, **kwargs):
        source = box._box if isinstance(box, AbsolutePlaceholder) else box
        for element in original(box, *args, **kwargs):
            # Keep the element itself so its id() is not reused while recorded.
            origins.setdefault(id(element), (element, getattr(source, "element", None)))
            yield element

    tags._build_box_tree = recording
    try:
        yield origins
    finally:
        tags._build_box_tree = original


def page_boxes(document) -> list:
    """The laid-out box tree of each page of a rendered WeasyPrint ``document``, for one known version.

    ``Page._page_box`` is private; :mod:`publish.render.pages` reads where
    each page begins from it, so it is reached here, on the version checked.
    """
    import weasyprint

    check_version(weasyprint.__version__)
    return [page._page_box for page in document.pages]


# -- /ActualText (ISO 32000-1 §14.9.4) -------------------------------------------------
#
# WeasyPrint 70 writes one ToUnicode string per glyph, the text of the first
# cluster it drew the glyph for (weasyprint.draw.text.draw_first_line). A glyph
# several clusters share (a Gujarati or Marathi conjunct's half-form, a Khmer
# subscript, Thai's decomposed sara am) then maps to one cluster's letters
# everywhere, and the others' are lost to extraction, search and screen readers.
# After each line is drawn, what its glyphs map back to is compared with the
# line's text; where an extractor could not read the line back, its text
# operators are enclosed in /Span <</ActualText (line)>> BDC ... EMC, inside the
# paragraph's tagged content. Other lines are left as WeasyPrint wrote them.

#: Below this code point (Latin, Greek, Cyrillic, Armenian) every glyph Noto
#: draws is one character or a ligature of them: no line needs checking.
SIMPLE_BELOW = 0x0590


def _letters(text: str) -> Counter[str]:
    return Counter(ch for ch in text if not ch.isspace())


def _line_text(textbox) -> str:
    first_line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    return utf8[first_line.start_index:first_line.start_index + first_line.length].decode()


def _mapped(stream, textbox) -> tuple[list[str], bool, bool]:
    """What each of the line's glyphs gives back through its font's ToUnicode map, in drawing order.

    Also whether any glyph is raised or lowered (a mark placed by the font),
    which WeasyPrint draws as a separate text run with a text rise, and
    whether any run is right to left.
    """
    from weasyprint.text.ffi import ffi, pango

    first_line, _ = textbox.pango_layout.get_first_line()
    parts, raised, rtl = [], False, False
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        font, _size = stream.add_font(glyph_item.item.analysis.font)
        rtl = rtl or glyph_item.item.analysis.level % 2 == 1
        glyphs = glyph_item.glyphs
        for info in glyphs.glyphs[0:glyphs.num_glyphs]:
            if info.glyph == pango.PANGO_GLYPH_EMPTY:  # not drawn (a zero-width character)
                continue
            parts.append(font.to_unicode.get(info.glyph, ""))
            raised = raised or info.geometry.y_offset != 0
    return parts, raised, rtl


def needs_actual_text(text: str, mapped: list[str], raised: bool = False, rtl: bool = False) -> bool:
    """Whether an extractor could not read the line's letters back from its glyphs alone.

    True when the glyphs' letters differ from the line's (compared as
    multisets: shaping reorders). In a left-to-right line also when a glyph
    stands for several characters or none (a conjunct, a vowel sign drawn by
    its neighbour) or is raised (drawn as its own text run): extractors split
    or reorder the word there. Not so in a right-to-left line: poppler takes an
    ActualText there for visual order and reverses it, so a right-to-left line
    gets one only when letters would otherwise be lost.
    """
    if _letters(text) != _letters("".join(mapped)):
        return True
    if rtl:
        return False
    return raised or any(len(part) != 1 and not _latin(part) for part in mapped)


def _latin(part: str) -> bool:
    """A glyph for spaces, or a ligature of simple letters (ﬁ → "fi"), which extractors read whole."""
    return bool(part) and max(map(ord, part)) < SIMPLE_BELOW


@contextlib.contextmanager
def actual_text() -> Iterator[list[str]]:
    """Give each line that would lose letters its ``/ActualText`` while WeasyPrint draws.

    Yields the list of the lines so marked (for the log and the tests).
    WeasyPrint's own function is back in place when the block ends.
    """
    import pydyf
    import weasyprint
    from weasyprint.draw import text as draw_text

    check_version(weasyprint.__version__)

    marked: list[str] = []
    original = draw_text.draw_first_line

    def drawing(stream, textbox, *args, **kwargs):
        start = len(stream.stream)
        emojis = original(stream, textbox, *args, **kwargs)
        if len(stream.stream) == start or max(map(ord, textbox.text), default=0) < SIMPLE_BELOW:
            return emojis
        line = _line_text(textbox)
        if needs_actual_text(line, *_mapped(stream, textbox)):
            span = pydyf.Dictionary({"ActualText": pydyf.String(line)})
            stream.stream[start:start] = ["/Span", span, b"BDC"]
            stream.stream.append(b"EMC")
            marked.append(line)
        return emojis

    draw_text.draw_first_line = drawing
    try:
        yield marked
    finally:
        draw_text.draw_first_line = original
