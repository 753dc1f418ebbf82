"""Parsing HTML for the HTML→TEI mapping: lxml.html, no network, active content dropped.

Every HTML the HTML, Markdown and DOCX normalisers read is parsed here (HTML
Living Standard §13.2 parsing, as libxml2's HTML parser does it) and then made
safe, which is the HTML normaliser's promise, kept for every source:
``script``, ``iframe``, ``frame``, ``object``, ``embed``, ``applet`` and ``base``
elements, ``on…`` event-handler attributes and ``javascript:`` URLs are dropped,
each drop logged as a WARNING.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from publish.log import LOGGER

UNSAFE_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background",
                  "cite", "longdesc", "srcset", "xlink:href", "lowsrc", "dynsrc"}
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_html(text: str) -> etree._Element:
    """An lxml.html document for a page or a fragment; no network, no comments."""
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  default_doctype=False)
    text = XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        text = "<html></html>"
    return lxml_html.document_fromstring(text, parser=parser)


def drop_unsafe(document: etree._Element, source: Path) -> None:
    """Remove active content, each removal logged as a WARNING (text around it kept)."""
    for element in list(document.iter()):
        if not isinstance(element.tag, str):
            continue
        name = element.tag.lower()
        if name in UNSAFE_ELEMENTS:
            LOGGER.warning("%s: dropped <%s> element (active content is never kept)", source, name)
            element.drop_tree()
            continue
        for attribute in list(element.attrib):
            value = element.get(attribute, "")
            if attribute.lower().startswith("on"):
                LOGGER.warning("%s: dropped event handler attribute %s on <%s>", source, attribute, name)
                del element.attrib[attribute]
            elif attribute.lower() in URL_ATTRIBUTES and is_script_url(value):
                LOGGER.warning("%s: dropped javascript: URL in %s on <%s>", source, attribute, name)
                del element.attrib[attribute]


def is_script_url(value: str) -> bool:
    """``javascript:`` or ``vbscript:``, however spaced or cased (as browsers read them)."""
    squeezed = re.sub(r"[\x00-\x20]+", "", value).lower()
    return squeezed.startswith(("javascript:", "vbscript:"))
