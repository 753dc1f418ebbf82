"""Parsing HTML for the HTML→TEI mapping: the HTML5 algorithm, no network, bounded depth.

Every HTML the HTML, Markdown and DOCX normalisers read is parsed here by
tinyhtml5, an implementation of the HTML Living Standard §13.2 parsing
algorithm (the one browsers use, with scripting disabled, so ``noscript`` holds
elements), and rebuilt as an lxml.html tree without recursion. libxml2's HTML 4
parser, used before, mis-nests what follows ``object``, ``embed`` or ``svg`` and
so lost the rest of the page. Elements nested deeper than :data:`MAX_DEPTH` are
unwrapped into the element at that depth, their text kept, with a WARNING.

Then the page is made safe, which is the HTML normaliser's promise, kept for
every source: ``script``, ``frame``, ``embed`` and ``base`` elements (and SVG's
``script``, ``animate`` and ``set``), ``on…`` event handlers and ``javascript:``
URLs are dropped, each drop logged as a WARNING. ``object``, ``iframe``,
``video``, ``audio``, ``canvas`` and ``noscript`` are never run or fetched, but
their fallback content is text a reader was meant to see: the converter keeps
it, marked ``type="fallback"`` (:mod:`publish.normalise.xhtml_fallback`).
"""

from __future__ import annotations

import re
from pathlib import Path

import tinyhtml5
from lxml import etree
from lxml import html as lxml_html

from publish.log import LOGGER
from publish.normalise.structure import append_text

#: Deepest element nesting kept as it is (``html`` and ``body`` count). TEI and
#: the renderers would hold more, but WeasyPrint lays out by recursion, and 10,000
#: nested quotations are no longer a reading layout: deeper elements are unwrapped.
MAX_DEPTH = 48
UNSAFE_ELEMENTS = {"script", "frame", "frameset", "embed", "base", "animate", "set",
                   "animatemotion", "animatetransform", "discard", "handler", "listener"}
#: Never run, never fetched; what they hold is their fallback, which is kept.
FALLBACK_ELEMENTS = {"object", "applet", "iframe", "video", "audio", "canvas", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background",
                  "cite", "longdesc", "srcset", "lowsrc", "dynsrc", "to", "values", "from"}
#: Containers the converter reads only certain children of → the child that holds text.
HOLDER = {"table": "tr", "thead": "tr", "tbody": "tr", "tfoot": "tr", "tr": "td", "ul": "li",
          "ol": "li", "menu": "li", "dir": "li", "dl": "dd"}
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
#: An XML name lxml accepts for a tag or an attribute (HTML allows far more).
XML_NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
HTML_NS = "http://www.w3.org/1999/xhtml"


def parse_html(text: str, source: Path | None = None) -> etree._Element:
    """An lxml.html document for a page or a fragment, parsed as a browser parses it."""
    text = XML_DECLARATION.sub("", text, count=1)
    return to_lxml(tinyhtml5.parse(text, namespace_html_elements=False), source)


def local(tag: str) -> str:
    """An element or attribute name without its namespace, lower-cased."""
    return tag.rsplit("}", 1)[-1].lower()


def to_lxml(root, source: Path | None) -> etree._Element:
    """The ElementTree tree tinyhtml5 builds, as lxml.html, without recursion or comments.

    Names XML cannot hold (HTML allows ``<a:b>`` or ``<p @x>``) become ``span``
    and are left out respectively; elements below :data:`MAX_DEPTH` are unwrapped.
    """
    make = lxml_html.html_parser.makeelement
    top = make("html", safe_attributes(root.attrib))
    top.text = root.text
    deepest = 0
    # A work list instead of recursion: ("open", node, parent, depth) makes an
    # element, ("text", parent, text) appends a tail after what was made last.
    work: list[tuple] = [("children", root, top, 1)]
    while work:
        step, node, parent, depth = work.pop()
        if step == "text":
            append_text(parent, node)
            continue
        if step == "children":
            container = parent
        elif depth > MAX_DEPTH:
            deepest = max(deepest, depth)
            container = parent
            # A table, row or list keeps only its cells and items: text unwrapped
            # straight into one would be lost, so it goes into a new cell or item.
            while local(container.tag) in HOLDER:
                container = etree.SubElement(container, HOLDER[local(container.tag)])
            append_text(container, node.text)
        else:
            tag = node.tag if node.tag.startswith("{") else node.tag.lower()
            container = make(tag if XML_NAME.match(local(tag)) else "span",
                             safe_attributes(node.attrib))
            container.text = node.text
            parent.append(container)
        for child in reversed(node):
            work.append(("text", child.tail, container, None))
            if isinstance(child.tag, str):  # not a comment nor a processing instruction
                work.append(("open", child, container, depth + 1))
    if deepest:
        LOGGER.warning("%s: elements nested %d deep; below depth %d they are unwrapped into the "
                       "element at that depth (their text is kept, their structure is not)",
                       source or "HTML", deepest, MAX_DEPTH)
    return top


def safe_attributes(attributes: dict) -> dict:
    """The attributes whose names XML can hold (others carry no text)."""
    return {name: value for name, value in attributes.items()
            if XML_NAME.match(local(name)) and ("}" in name or ":" not in name)}


def drop_unsafe(document: etree._Element, source: Path) -> None:
    """Remove active content, each removal logged as a WARNING (text around it kept)."""
    for element in list(document.iter()):
        if not isinstance(element.tag, str):
            continue
        name = local(element.tag)
        if name in UNSAFE_ELEMENTS:
            LOGGER.warning("%s: dropped <%s> element (active content is never kept)", source, name)
            element.drop_tree()
            continue
        if name in FALLBACK_ELEMENTS:
            LOGGER.warning("%s: <%s> not included (never run or fetched); its fallback content "
                           "is kept, marked as fallback", source, name)
        for attribute in list(element.attrib):
            value = element.get(attribute, "")
            if local(attribute).startswith("on"):
                LOGGER.warning("%s: dropped event handler attribute %s on <%s>", source, attribute, name)
                del element.attrib[attribute]
            elif local(attribute) in URL_ATTRIBUTES and is_script_url(value):
                LOGGER.warning("%s: dropped javascript: URL in %s on <%s>", source, attribute, name)
                del element.attrib[attribute]


def is_script_url(value: str) -> bool:
    """``javascript:`` or ``vbscript:``, however spaced or cased (as browsers read them)."""
    squeezed = re.sub(r"[\x00-\x20]+", "", value).lower()
    return squeezed.startswith(("javascript:", "vbscript:"))
