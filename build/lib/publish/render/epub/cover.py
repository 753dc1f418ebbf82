"""The generated cover: an SVG image of title, date and publisher, and its page (EPUB 3.3 §5.5.6).

The cover's text alternative is exactly the words it shows (:func:`cover_text`),
so the image is described without guessing. The SVG is
``templates/cover.svg.j2``; the title is wrapped and sized here to fit.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from lxml import etree

from publish.errors import RenderError
from publish.render.epub.documents import EPUB_TYPE, Document, H, new_document
from publish.render.epub.metadata import BookMetadata

COVER_IMAGE = "cover.svg"
COVER_TEMPLATE = "cover.svg.j2"

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
        lang=meta.content_language, direction=meta.direction, width=width, height=height,
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
