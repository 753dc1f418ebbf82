"""The OAI-PMH 2.0 schemas, read in place from ../shared/schemas/oai-pmh/, compiled offline.

As SOURCE.md there says: every schemaLocation is an absolute http URL, so a
resolver maps each to its local file, and the parser never touches the
network. OAI-PMH.xsd's ``metadata`` wildcard is ``processContents="strict"``,
so one driver schema imports every namespace a response embeds: OAI-PMH,
oai_dc, oai-identifier, and METS 1.12 (``mets.xsd`` as the ``metsrw``
package ships it).

Two in-memory changes, each only here in the tests, never on disk:

* **TEI has no XML Schema here** (only RELAX NG, ../shared/schemas/tei/), so a
  ``tei`` record cannot pass the strict wildcard. :func:`lax_validator`
  compiles OAI-PMH.xsd with ``metadata``'s wildcard changed to
  ``processContents="lax"``: the envelope is checked in full, elements with a
  declaration still are, and the teiHeader is checked by the tests on its
  own (it is the master's header, which the TEI tests check against
  ``tei_all.rng``).
* **mets.xsd imports the Library of Congress ``xlink.xsd``**, which no
  installed package ships (xmlschema's is W3C XLink 1.1, with other group
  names). A stand-in declares the attributes and groups mets.xsd refers to
  (``simpleLink``, ``href``, …) loosely (``anyURI``/``string``), so METS is
  checked in structure, and xlink values are checked only as URIs.
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

from tests.conftest import SHARED, shared_path

OAI_SCHEMAS = SHARED / "schemas" / "oai-pmh"
URLS = {
    "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd": "OAI-PMH.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd": "oai_dc.xsd",
    "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd": "oai-identifier.xsd",
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "simpledc20021212.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
    "http://www.w3.org/2001/xml.xsd": "xml.xsd",
}
METS_URL = "http://www.loc.gov/standards/mets/mets.xsd"
XLINK_URL = "http://www.loc.gov/standards/xlink/xlink.xsd"
LAX_URL = "memory:OAI-PMH-lax.xsd"

XLINK_STAND_IN = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="http://www.w3.org/1999/xlink" xmlns:xlink="http://www.w3.org/1999/xlink">
  <xs:attribute name="type" type="xs:string"/>
  <xs:attribute name="href" type="xs:anyURI"/>
  <xs:attribute name="role" type="xs:string"/>
  <xs:attribute name="arcrole" type="xs:string"/>
  <xs:attribute name="title" type="xs:string"/>
  <xs:attribute name="show" type="xs:string"/>
  <xs:attribute name="actuate" type="xs:string"/>
  <xs:attribute name="label" type="xs:string"/>
  <xs:attribute name="from" type="xs:string"/>
  <xs:attribute name="to" type="xs:string"/>
  <xs:attributeGroup name="simpleLink"><xs:attribute ref="xlink:type"/><xs:attribute ref="xlink:href"/>
    <xs:attribute ref="xlink:role"/><xs:attribute ref="xlink:arcrole"/><xs:attribute ref="xlink:title"/>
    <xs:attribute ref="xlink:show"/><xs:attribute ref="xlink:actuate"/></xs:attributeGroup>
  <xs:attributeGroup name="extendedLink"><xs:attribute ref="xlink:type"/><xs:attribute ref="xlink:role"/>
    <xs:attribute ref="xlink:title"/></xs:attributeGroup>
  <xs:attributeGroup name="locatorLink"><xs:attribute ref="xlink:type"/><xs:attribute ref="xlink:href"/>
    <xs:attribute ref="xlink:role"/><xs:attribute ref="xlink:title"/><xs:attribute ref="xlink:label"/>
  </xs:attributeGroup>
  <xs:attributeGroup name="arcLink"><xs:attribute ref="xlink:type"/><xs:attribute ref="xlink:arcrole"/>
    <xs:attribute ref="xlink:title"/><xs:attribute ref="xlink:show"/><xs:attribute ref="xlink:actuate"/>
    <xs:attribute ref="xlink:from"/><xs:attribute ref="xlink:to"/></xs:attributeGroup>
  <xs:attributeGroup name="extendLink"><xs:attribute ref="xlink:type"/><xs:attribute ref="xlink:role"/>
    <xs:attribute ref="xlink:title"/></xs:attributeGroup>
</xs:schema>"""


def mets_xsd() -> Path | None:
    """mets.xsd as the metsrw package ships it, or None if metsrw is not installed."""
    try:
        import metsrw
    except ImportError:
        return None
    path = Path(metsrw.__file__).parent / "resources" / "mets.xsd"
    return path if path.is_file() else None


class Local(etree.Resolver):
    """Every schemaLocation to a local file (or the in-memory documents), never the network."""

    def __init__(self, lax: bytes | None = None) -> None:
        super().__init__()
        self.lax = lax

    def resolve(self, url, pubid, context):
        if url in URLS:
            return self.resolve_filename(str(OAI_SCHEMAS / URLS[url]), context)
        if url == METS_URL and mets_xsd():
            return self.resolve_filename(str(mets_xsd()), context)
        if url == XLINK_URL:
            return self.resolve_string(XLINK_STAND_IN, context)
        if url == LAX_URL and self.lax is not None:
            return self.resolve_string(self.lax, context)
        return None


def driver(oai_url: str) -> bytes:
    imports = [("http://www.openarchives.org/OAI/2.0/", oai_url),
               ("http://www.openarchives.org/OAI/2.0/oai_dc/", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"),
               ("http://www.openarchives.org/OAI/2.0/oai-identifier",
                "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd")]
    if mets_xsd():
        imports.append(("http://www.loc.gov/METS/", METS_URL))
    body = "".join(f'<xs:import namespace="{ns}" schemaLocation="{url}"/>' for ns, url in imports)
    return f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{body}</xs:schema>'.encode()


def compile_driver(oai_url: str, lax: bytes | None = None) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(Local(lax))
    root = etree.fromstring(driver(oai_url), parser, base_url=str(OAI_SCHEMAS / "driver.xsd"))
    return etree.XMLSchema(root)


@functools.cache
def strict_validator() -> etree.XMLSchema:
    """OAI-PMH.xsd as published, with oai_dc, oai-identifier and METS."""
    shared_path(OAI_SCHEMAS / "OAI-PMH.xsd")
    return compile_driver("http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")


@functools.cache
def lax_validator() -> etree.XMLSchema:
    """The same, with only the ``metadata`` wildcard made lax, for ``tei`` records (see above)."""
    source = shared_path(OAI_SCHEMAS / "OAI-PMH.xsd").read_bytes()
    start = source.index(b'<complexType name="metadataType">')
    end = source.index(b"</complexType>", start)
    part = source[start:end]
    assert part.count(b'processContents="strict"') == 1
    lax = source[:start] + part.replace(b'processContents="strict"', b'processContents="lax"') + source[end:]
    return compile_driver(LAX_URL, lax)


def assert_valid(body: bytes, lax: bool = False) -> etree._Element:
    """Parse a response and assert it is valid; return its root."""
    root = etree.fromstring(body)
    schema = lax_validator() if lax else strict_validator()
    assert schema.validate(root), "\n".join(str(e) for e in schema.error_log) + "\n" + body.decode()[:3000]
    return root
