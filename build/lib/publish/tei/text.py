"""Regenerate the source text, and its bytes, from a TEI master.

The inverse of :mod:`publish.normalise.text`: the string value of ``<body>``
with every ``choice`` read through its ``orig`` (TEI P5 §3.5.2), then the
recorded line endings restored. With the recorded encoding and byte-order
mark, :func:`source_bytes` gives back the original file, whose sha256 the
``sourceDesc`` records.
"""

from __future__ import annotations

import codecs

from lxml import etree

from publish.errors import InputError
from publish.tei import first_text, localname, xpath

BOM_BYTES = {
    "UTF-8": codecs.BOM_UTF8, "UTF-16LE": codecs.BOM_UTF16_LE, "UTF-16BE": codecs.BOM_UTF16_BE,
    "UTF-32LE": codecs.BOM_UTF32_LE, "UTF-32BE": codecs.BOM_UTF32_BE,
}
SKIPPED = {"reg"}  # the regularised reading of a choice; orig holds the source


def source_text(tree: etree._ElementTree, path=None) -> str:
    """The decoded source text, exactly as it was before normalisation."""
    if first_text(tree.getroot(), "//tei:sourceDesc//tei:note[@type='mediaType']") != "text/plain":
        raise InputError("only a TEI master made from plain text regenerates its "
                         "source text; other formats keep the original in the deposit", path)
    bodies = xpath(tree.getroot(), "/tei:TEI/tei:text/tei:body")
    if not bodies:
        raise InputError("no text/body in this TEI document", path)
    parts: list[str] = [bodies[0].text or ""]
    for child in bodies[0]:
        _collect(child, parts)
    text = "".join(parts)
    endings = first_text(tree.getroot(), "//tei:sourceDesc//tei:note[@type='lineEndings']")
    if endings == "CRLF":
        text = text.replace("\n", "\r\n")
    elif endings == "CR":
        text = text.replace("\n", "\r")
    return text


def _collect(element: etree._Element, parts: list[str]) -> None:
    if localname(element) not in SKIPPED:
        parts.append(element.text or "")
        for child in element:
            _collect(child, parts)
    parts.append(element.tail or "")


def source_bytes(tree: etree._ElementTree, path=None) -> bytes:
    """The original file's bytes: the text re-encoded, with its BOM if it had one."""
    root = tree.getroot()
    encoding = first_text(root, "//tei:sourceDesc//tei:note[@type='characterEncoding']")
    if not encoding:
        raise InputError("the sourceDesc records no character encoding", path)
    bom = first_text(root, "//tei:sourceDesc//tei:note[@type='byteOrderMark']") == "present"
    data = source_text(tree, path).encode(encoding)
    return (BOM_BYTES[encoding] if bom else b"") + data
