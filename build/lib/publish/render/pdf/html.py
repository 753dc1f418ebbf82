"""The shared XHTML as the HTML text WeasyPrint parses, with what print needs added.

WeasyPrint reads HTML (its HTML5 parser), not XHTML, and does not compute
``dir="auto"``; both are dealt with here, on the tree made for this one
serialisation.
"""

from __future__ import annotations

from lxml import etree

from publish.render.pdf.metadata import Edition


def html_text(xhtml: etree._ElementTree, edition: Edition) -> str:
    """The XHTML as HTML text for WeasyPrint's HTML5 parser, with the running-header title.

    WeasyPrint parses HTML, where ``<p/>`` would open an element, so the tree
    is serialised with the HTML method after dropping the XHTML namespace.
    The tree is changed in place: it is made for this one serialisation.
    """
    root = xhtml.getroot()
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
            for name in [n for n in element.attrib if n.startswith("{")]:
                local = etree.QName(name).localname
                value = element.attrib.pop(name)
                if local == "lang":  # xml:lang → lang, which CSS :lang() reads
                    element.set("lang", value)
    etree.cleanup_namespaces(root)
    resolve_auto_direction(root)
    for heading in root.iter("h1"):
        if heading.get("class") == "title":
            heading.set("data-short-title", edition.short_title)
    return "<!DOCTYPE html>\n" + etree.tostring(root, method="html", encoding="unicode")


def resolve_auto_direction(root: etree._Element) -> None:
    """Replace ``dir="auto"`` by ``ltr`` or ``rtl``, which WeasyPrint does not compute.

    HTML Living Standard, "The dir attribute": an ``auto`` element takes the
    direction of the first character of bidirectional type L, R or AL in its
    text; with none, it is ``ltr``.
    """
    import unicodedata

    for element in root.iter():
        if isinstance(element.tag, str) and element.get("dir") == "auto":
            kinds = (unicodedata.bidirectional(c) for c in "".join(element.itertext()))
            strong = next((k for k in kinds if k in ("L", "R", "AL")), "L")
            element.set("dir", "ltr" if strong == "L" else "rtl")
