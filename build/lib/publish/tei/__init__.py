"""TEI namespace, element maker, safe parsing and canonical serialisation.

No other module writes a raw ``{http://www.tei-c.org/ns/1.0}`` tag string:
use :data:`T` (an ``ElementMaker``) and :func:`tag`.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from lxml.builder import ElementMaker

from publish.errors import InputError

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: TEI_NS}
NS = {"tei": TEI_NS}

#: ``T.p("text")`` makes ``<p xmlns="http://www.tei-c.org/ns/1.0">text</p>``.
T = ElementMaker(namespace=TEI_NS, nsmap=NSMAP)


def tag(local: str) -> str:
    """The Clark name of a TEI element: ``tag("p") == "{…tei…}p"``."""
    return f"{{{TEI_NS}}}{local}"


def xml(attr: str) -> str:
    """The Clark name of an ``xml:`` attribute such as ``xml:id``."""
    return f"{{{XML_NS}}}{attr}"


def localname(element: etree._Element) -> str:
    """The local name of an element (``""`` for comments and PIs)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def safe_parser(huge_tree: bool = False, **kwargs) -> etree.XMLParser:
    """An XML parser that resolves no entities, loads no DTD, touches no network.

    ``huge_tree`` lifts libxml2's limits (10 MB text nodes, 256 levels): only for
    masters publish wrote itself, whose nesting the normalisers bound.
    """
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=huge_tree, **kwargs)


#: Words of libxml2's messages when a parse meets one of its own limits rather than
#: bad syntax: nesting depth, a text node's size, the name dictionary, entity
#: amplification. Their wording changed between libxml2 2.9 and 2.14 (and lxml reads
#: ahead of its events, so such an error can come before a caller counts the depth).
LIBXML2_LIMITS = ("excessive depth", "huge text node", "huge input lookup", "dictionary size limit",
                  "amplification factor", "xml_parse_huge")


def limit_reached(error: etree.XMLSyntaxError) -> bool:
    """Whether a parse stopped at one of libxml2's limits (:data:`LIBXML2_LIMITS`), not at bad syntax."""
    message = str(error).lower()
    return any(words in message for words in LIBXML2_LIMITS)


def is_depth_limit(error: etree.XMLSyntaxError) -> bool:
    """Whether a parse stopped at libxml2's nesting limit (256 levels, 2048 with ``huge_tree``)."""
    return "excessive depth" in str(error).lower()


def parse_bytes(data: bytes, path: str | Path | None = None, *, huge_tree: bool = False
                ) -> etree._ElementTree:
    """Parse XML bytes safely; raise :class:`InputError` naming ``path``."""
    try:
        root = etree.fromstring(data, safe_parser(huge_tree=huge_tree))
    except etree.XMLSyntaxError as err:
        if is_depth_limit(err):  # libxml2's 256 levels: said in the user's words
            raise InputError(f"elements nested deeper than 256 levels (line {err.lineno}; libxml2's "
                             "limit for XML publish did not write); refused: nest less deeply",
                             path) from None
        if limit_reached(err):
            raise InputError(f"beyond libxml2's limits for XML publish did not write (line {err.lineno}: "
                             f"{err.msg}); refused", path) from None
        raise InputError(f"not well-formed XML: {err}", path) from None
    return root.getroottree()


def parse_file(path: Path) -> etree._ElementTree:
    """Parse an XML file safely."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", path) from None
    return parse_bytes(data, path)


def serialise(tree: etree._ElementTree | etree._Element) -> bytes:
    """The canonical bytes of a TEI document: UTF-8, XML declaration, final newline.

    The body is never re-indented: it carries ``xml:space="preserve"`` and its
    whitespace is part of the source text (see :mod:`publish.tei.text`).
    """
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n"


def xpath(node: etree._Element, expr: str):
    """Evaluate ``expr`` with the ``tei:`` prefix bound."""
    return node.xpath(expr, namespaces=NS)


def first_text(node: etree._Element, expr: str) -> str | None:
    """The string value of the first node ``expr`` selects, or ``None``."""
    found = xpath(node, expr)
    if not found:
        return None
    item = found[0]
    return item if isinstance(item, str) else "".join(item.itertext())
