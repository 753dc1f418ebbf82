"""TEI → XHTML 5, the one step both renderers share.

The transformation is ``templates/tei-to-xhtml.xsl`` (XSLT 1.0, run by
libxslt through lxml), compiled once per process and per templates folder.
The XHTML follows the HTML Living Standard's XML syntax, which EPUB 3.3
(§6.1, XHTML content documents) requires.
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

from publish.errors import RenderError
from publish.tei import parse_file, xml

XHTML_NS = "http://www.w3.org/1999/xhtml"
RTL_LANGUAGES = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "syr"}


@functools.cache
def stylesheet(templates: Path) -> etree.XSLT:
    """The compiled TEI→XHTML stylesheet; no document() or network access."""
    access = etree.XSLTAccessControl.DENY_ALL
    return etree.XSLT(parse_file(templates / "tei-to-xhtml.xsl"), access_control=access)


def direction(language: str) -> str:
    """``rtl`` for right-to-left languages (by primary subtag), else ``ltr``."""
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def to_xhtml(tei: etree._ElementTree, templates: Path, target: str, css: str = "") -> etree._ElementTree:
    """Transform a TEI tree into one XHTML document for ``target`` (``pdf``, ``epub`` or ``site``)."""
    language = tei.getroot().get(xml("lang"), "und")
    transform = stylesheet(Path(templates))
    try:
        return transform(tei, target=etree.XSLT.strparam(target), css=etree.XSLT.strparam(css),
                         dir=etree.XSLT.strparam(direction(language)))
    except etree.XSLTApplyError as err:
        raise RenderError(f"TEI→XHTML failed: {err}") from None
