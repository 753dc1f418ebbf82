"""The glyph check: a character no installed font has is never drawn as tofu.

The renderer catches :class:`MissingGlyphs` and draws the document again with
those characters as placeholders (:mod:`publish.render.pdf.placeholders`);
a character missing even then is an error.
"""

from __future__ import annotations

from pathlib import Path

from publish.errors import RenderError


class MissingGlyphs(RenderError):
    """Characters drawn as ``.notdef``; the renderer draws them again as placeholders."""

    def __init__(self, message: str, path: Path, codepoints: set[int]) -> None:
        super().__init__(message, path)
        self.codepoints = codepoints


def refuse_missing_glyphs(document, tei_path: Path) -> None:
    """Raise :class:`RenderError` if any character was drawn as ``.notdef``.

    WeasyPrint records, per font, each code point Pango found in no installed
    font (``Font.missing``) when it draws the text: that is exactly the set of
    tofu in the output, whatever font fallback chose.
    """
    missing = sorted({codepoint for font in document.fonts.values() for codepoint in font.missing})
    if missing:
        listed = ", ".join(f"U+{cp:04X} {describe(cp)}" for cp in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise MissingGlyphs(f"no installed font has a glyph for {listed}{more} (.notdef would be drawn)",
                            tei_path, set(missing))


def describe(codepoint: int) -> str:
    """A character's Unicode name in parentheses, or what kind of nameless character it is."""
    import unicodedata

    kinds = {"Co": "a private-use character", "Cn": "an unassigned code point",
             "Cs": "a surrogate", "Cc": "a control character"}
    character = chr(codepoint)
    return f"({unicodedata.name(character, '') or kinds.get(unicodedata.category(character), 'unnamed')})"
