"""The ``OAI-PMH`` envelope (OAI-PMH 2.0 §3.2): responseDate, request, then the verb's answer.

The ``request`` element echoes the base URL, and the arguments only when the
request was understood (not for badVerb or badArgument, §3.2), and then only
those whose values the schema's attribute types admit.
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from publish.oai.dates import DAY, SECOND
from publish.oai.errors import OAIError

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
VERBS = ("Identify", "ListMetadataFormats", "ListSets", "GetRecord", "ListIdentifiers", "ListRecords")
#: OAI-PMH.xsd's patterns for the echoed attributes (metadataPrefixType, setSpecType).
TOKEN_CHARS = r"[A-Za-z0-9\-_\.!~\*'\(\)]+"
ECHO = {"metadataPrefix": re.compile(TOKEN_CHARS), "set": re.compile(rf"{TOKEN_CHARS}(:{TOKEN_CHARS})*"),
        "from": re.compile(f"{DAY.pattern}|{SECOND.pattern}"),
        "until": re.compile(f"{DAY.pattern}|{SECOND.pattern}"),
        "identifier": re.compile(r"\S+"), "resumptionToken": re.compile(r".+", re.DOTALL)}


#: What XML 1.0 cannot hold (§2.2 Char): C0 controls but tab, LF and CR, surrogates, U+FFFE, U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with each character XML cannot hold written as its code point (``\\u0001``).

    A request may carry anything; an error message that quotes it must still
    be XML, or the response would be a 500 instead of badArgument.
    """
    return NOT_XML.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def oai(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


def sub(parent: etree._Element, name: str, text: str | None = None, **attributes) -> etree._Element:
    """Append an OAI-namespace child with optional text and attributes, made XML-safe."""
    child = etree.SubElement(parent, oai(name), {k: xml_safe(v) for k, v in attributes.items() if v is not None})
    if text is not None:
        child.text = xml_safe(text)
    return child


def envelope(base_url: str, arguments: dict[str, str], echo: bool) -> etree._Element:
    """The root with responseDate (the real time of the response, §3.2) and request."""
    root = etree.Element(oai("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sub(root, "responseDate", now)
    request = sub(root, "request", base_url)
    if echo and arguments.get("verb") in VERBS:
        for key, value in arguments.items():
            # Echoed only as given: a value XML cannot hold is not echoed at all.
            if key == "verb" or (key in ECHO and ECHO[key].fullmatch(value) and not NOT_XML.search(value)):
                request.set(key, value)
    return root


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def error_response(base_url: str, arguments: dict[str, str], errors: list[OAIError]) -> bytes:
    """An error response: one ``error`` element per condition."""
    root = envelope(base_url, arguments, all(e.echoes_request for e in errors))
    for error in errors:
        sub(root, "error", error.message, code=error.code)
    return serialise(root)
