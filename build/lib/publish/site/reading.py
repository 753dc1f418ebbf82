"""The reading view: the text of a master, made by the same TEI → XHTML step as the editions.

:func:`publish.render.xhtml.to_xhtml` runs ``templates/tei-to-xhtml.xsl`` with
``target='site'`` (notes as the EPUB has them: a ``doc-noteref`` link in the
text, a ``doc-footnote`` aside after it). Only the ``#text`` section is kept;
the page shows the title page's and colophon's facts itself. The XHTML is
then written in the HTML syntax (HTML Living Standard §13): namespaces and
``epub:type`` (an EPUB attribute, not HTML) dropped, ``xml:lang`` left to
``lang``. Image URLs stay ``<id>_assets/<name>``, relative to the master; the
site copies the images to the same place beside the page.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from publish.render.xhtml import XHTML_NS, to_xhtml
from publish.tei.master import Master

#: Attributes of the XHTML that have no place in an HTML page.
DROPPED = {"{http://www.idpf.org/2007/ops}type", "{http://www.w3.org/XML/1998/namespace}lang"}


def reading_view(master: Master, templates: Path) -> str:
    """The document's text as an HTML fragment: the children of the XHTML ``#text`` section."""
    page = to_xhtml(master.tree, templates, "site")
    sections = page.getroot().xpath("//x:section[@id='text']", namespaces={"x": XHTML_NS})
    if not sections:
        return ""
    section = plain(sections[0])
    parts = [etree.tostring(child, method="html", encoding="unicode", with_tail=True)
             for child in section]
    return (section.text or "") + "".join(parts)


def plain(element: etree._Element) -> etree._Element:
    """A copy of an XHTML element with no namespaces: HTML names, without :data:`DROPPED`.

    A fresh tree, because an element renamed in place keeps the page's default
    namespace declaration, and the HTML serialiser then misses void elements.
    """
    copy = etree.Element(etree.QName(element).localname,
                         {name: value for name, value in element.attrib.items() if name not in DROPPED})
    copy.text = element.text
    for child in element:
        if isinstance(child.tag, str):
            copy.append(plain(child))
            copy[-1].tail = child.tail
        elif child.tail:  # a comment or processing instruction: keep only the text after it
            if len(copy):
                copy[-1].tail = (copy[-1].tail or "") + child.tail
            else:
                copy.text = (copy.text or "") + child.tail
    return copy
