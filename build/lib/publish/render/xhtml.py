"""TEI → XHTML 5, the one step both renderers share.

The transformation is ``templates/tei-to-xhtml.xsl`` (XSLT 1.0, run by
libxslt through lxml), compiled once per process and per templates folder.
The XHTML follows the HTML Living Standard's XML syntax, which EPUB 3.3
(§6.1, XHTML content documents) requires.

Direction and script come from the text (Unicode data, :mod:`publish.langid`),
not from the TEI, which records only languages: :func:`text_direction` gives
the document's ``dir`` from its main script, :func:`mark_directions` sets
``dir`` on each block whose first strong character disagrees (UAX #9 P2–P3),
and an undetermined language is written ``und-<Script>`` (BCP 47, RFC 5646
§2.2.3) so that stylesheets still choose the script's face; the TEI keeps ``und``.
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

from publish import langid
from publish.errors import RenderError
from publish.tei import parse_file, xml

XHTML_NS = "http://www.w3.org/1999/xhtml"
RTL_LANGUAGES = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "syr", "nqo", "ckb"}

#: Blocks that may take their own direction (HTML Living Standard, "The dir attribute").
BLOCKS = frozenset(f"{{{XHTML_NS}}}{name}" for name in (
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "caption",
    "figcaption", "blockquote", "pre", "div", "aside"))

#: The main script is read from this many characters at most: enough to tell
#: it, and a 500 KB document then costs no more than a short one.
SCRIPT_SAMPLE = 50_000


@functools.cache
def stylesheet(templates: Path) -> etree.XSLT:
    """The compiled TEI→XHTML stylesheet; no document() or network access."""
    access = etree.XSLTAccessControl.DENY_ALL
    return etree.XSLT(parse_file(templates / "tei-to-xhtml.xsl"), access_control=access)


def direction(language: str) -> str:
    """``rtl`` for right-to-left languages (by primary subtag), else ``ltr``."""
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def main_script(tei: etree._ElementTree) -> str | None:
    """The main script (ISO 15924) of the start of the TEI body (:data:`SCRIPT_SAMPLE`)."""
    body = tei.getroot().find("{http://www.tei-c.org/ns/1.0}text")
    text = "" if body is None else "".join(body.itertext())
    return langid.main_script(text[:SCRIPT_SAMPLE])


def text_direction(tei: etree._ElementTree, script: str | None) -> str:
    """The document's direction: its main script's, or, with no letters, its language's."""
    if script is None:
        return direction(tei.getroot().get(xml("lang"), "und"))
    return langid.script_direction(script)


def display_language(tei: etree._ElementTree, script: str | None) -> str:
    """The document's language for the editions: ``xml:lang``, or ``und-<Script>`` for ``und``."""
    language = tei.getroot().get(xml("lang"), "und")
    if language.lower() != "und" or script is None:
        return language
    return f"und-{script}"


def mark_directions(xhtml: etree._ElementTree, document_dir: str) -> None:
    """Set ``dir`` on each block of ``#text`` whose first strong character disagrees with the document.

    A block with no strong character, or one already marked, is left alone;
    so is anything outside the text (the title page and colophon set their own).
    """
    for section in xhtml.getroot().iter(f"{{{XHTML_NS}}}section"):
        if section.get("id") != "text":
            continue
        for block in section.iter(*BLOCKS):
            if block.get("dir"):
                continue
            text = "".join(block.itertext())
            if not langid.has_strong(text):
                continue
            found = langid.direction(text)
            if found != document_dir:
                block.set("dir", found)


def to_xhtml(tei: etree._ElementTree, templates: Path, target: str, css: str = "") -> etree._ElementTree:
    """Transform a TEI tree into one XHTML document for ``target`` (``pdf``, ``epub`` or ``site``)."""
    script = main_script(tei)
    document_dir = text_direction(tei, script)
    transform = stylesheet(Path(templates))
    try:
        xhtml = transform(tei, target=etree.XSLT.strparam(target), css=etree.XSLT.strparam(css),
                          dir=etree.XSLT.strparam(document_dir),
                          lang=etree.XSLT.strparam(display_language(tei, script)))
    except etree.XSLTApplyError as err:
        raise RenderError(f"TEI→XHTML failed: {err}") from None
    mark_directions(xhtml, document_dir)
    return xhtml
