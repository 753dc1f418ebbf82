"""The metadata formats (OAI-PMH 2.0 §3.4), each made from the master's teiHeader only.

========  =============================================================  ==========================
prefix    what                                                           from
========  =============================================================  ==========================
oai_dc    Dublin Core (the protocol's required format, §3.4)             the teiHeader's facts
tei       the master's ``teiHeader`` itself (TEI P5 ch. 2), not the text  the master
mets      METS 1.12: a DC description, a reference to the TEI, and the   the teiHeader and the
          files (source, master, editions) with their SHA-256 sums       manifest record
========  =============================================================  ==========================

DataCite (kernel 4) is not offered: its mandatory ``identifier`` is a DOI,
and publish mints none, so a DataCite record could not be truthful.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable

from lxml import etree
from lxml.builder import ElementMaker

from publish import __version__
from publish.formats import FORMATS
from publish.oai.dates import datestamp
from publish.oai.repository import Item, Snapshot
from publish.tei import TEI_NS

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
#: DCMI Type Vocabulary: every document is text.
DC_TYPE = "Text"


@dataclasses.dataclass(frozen=True)
class MetadataFormat:
    """One row of ListMetadataFormats: prefix, schema, namespace, and how a record is made."""

    prefix: str
    schema: str
    namespace: str
    make: Callable[[Item, Snapshot], etree._Element]


def dc_elements(item: Item, snapshot: Snapshot) -> list[tuple[str, str]]:
    """The Dublin Core elements, in the 15-element order, each (name, value); nothing invented."""
    found = item.facts
    out = [("title", found.title)]
    out += [("creator", name) for name in found.creators if name]
    if found.description:
        out.append(("description", found.description))
    if found.publisher:
        out.append(("publisher", found.publisher))
    if found.source_date:
        out.append(("date", found.source_date))
    out.append(("type", DC_TYPE))
    out += [("format", row.media_type) for row in FORMATS if row.kind in (item.record.get("outputs") or {})]
    out.append(("identifier", found.urn))
    if found.filename:
        out.append(("source", f"{found.filename} (SHA-256 {found.sha256})"))
    if found.language and found.language != "und":
        out.append(("language", found.language))
    if found.rights:
        out.append(("rights", found.rights))
    return out


def oai_dc(item: Item, snapshot: Snapshot) -> etree._Element:
    """``oai_dc:dc`` (OAI-PMH 2.0 §6.2, oai_dc.xsd) from the teiHeader."""
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    for name, value in dc_elements(item, snapshot):
        etree.SubElement(root, f"{{{DC_NS}}}{name}").text = value
    return root


def tei_header(item: Item, snapshot: Snapshot) -> etree._Element:
    """The master's ``teiHeader``, a copy of the parsed element (the text is not included)."""
    header = copy.deepcopy(item.header)
    header.tail = None
    return header


def mets(item: Item, snapshot: Snapshot) -> etree._Element:
    """A METS 1.12 document: the DC description, a link to the TEI, the files and one div."""
    found = item.facts
    m = ElementMaker(namespace=METS_NS, nsmap={"mets": METS_NS, "xlink": XLINK_NS, "xsi": XSI_NS})
    root = m.mets(OBJID=found.urn, LABEL=found.title, TYPE="text")
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{METS_NS} http://www.loc.gov/standards/mets/mets.xsd")
    root.append(m.metsHdr(m.agent(m.name(f"publish {__version__}"), ROLE="CREATOR", TYPE="OTHER",
                                  OTHERTYPE="SOFTWARE"), LASTMODDATE=datestamp(item.changed)))
    root.append(m.dmdSec(m.mdWrap(m.xmlData(oai_dc(item, snapshot)), MDTYPE="DC"), ID="dmd-dc"))
    files = snapshot_files(item, snapshot)
    tei = [f for f in files if f[0] == "tei"]
    if tei:
        root.append(m.dmdSec(m.mdRef(LOCTYPE="URL", MDTYPE="TEIHDR", MIMETYPE="application/tei+xml",
                                     **{f"{{{XLINK_NS}}}href": tei[0][3]}), ID="dmd-tei"))
    groups = m.fileSec()
    if found.sha256:
        source = m.file(ID="file-source", MIMETYPE=source_media_type(item), CHECKSUM=found.sha256,
                        CHECKSUMTYPE="SHA-256")
        size = item.header.findtext(f".//{{{TEI_NS}}}sourceDesc//{{{TEI_NS}}}measure[@unit='byte']")
        if size:
            source.set("SIZE", size.split()[0])
        groups.append(m.fileGrp(source, USE="original"))
    for kind, media_type, digest, href in files:
        groups.append(m.fileGrp(m.file(m.FLocat(LOCTYPE="URL", **{f"{{{XLINK_NS}}}href": href}),
                                       ID=f"file-{kind}", MIMETYPE=media_type, CHECKSUM=digest,
                                       CHECKSUMTYPE="SHA-256"), USE=kind))
    if len(groups):
        root.append(groups)
    div = m.div(TYPE="document", LABEL=found.title,
                DMDID="dmd-dc dmd-tei" if tei else "dmd-dc")
    for fptr in (["source"] if found.sha256 else []) + [f[0] for f in files]:
        div.append(m.fptr(FILEID=f"file-{fptr}"))
    root.append(m.structMap(div, TYPE="physical"))
    return root


def snapshot_files(item: Item, snapshot: Snapshot) -> list[tuple[str, str, str, str]]:
    """(kind, media type, sha256, URL) of each output the manifest record lists.

    The URL is the file's path under ``dist/``, joined to ``dist_url`` when
    that is configured; otherwise it is a relative reference.
    """
    outputs = item.record.get("outputs") or {}
    base = snapshot.settings.dist_url or ""
    if base and not base.endswith("/"):
        base += "/"
    return [(row.kind, row.media_type, outputs[row.kind],
             base + snapshot.layout.output(row.kind, item.identifier).relative_to(snapshot.layout.dist)
             .as_posix()) for row in FORMATS if row.kind in outputs]


def source_media_type(item: Item) -> str:
    """The original file's media type, as the header's sourceDesc records it."""
    note = item.header.findtext(f".//{{{TEI_NS}}}sourceDesc//{{{TEI_NS}}}note[@type='mediaType']")
    return " ".join((note or "application/octet-stream").split())


METADATA_FORMATS: tuple[MetadataFormat, ...] = (
    MetadataFormat("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS, oai_dc),
    MetadataFormat("tei", "https://tei-c.org/release/xml/tei/custom/schema/xsd/tei_all.xsd", TEI_NS,
                   tei_header),
    MetadataFormat("mets", "http://www.loc.gov/standards/mets/mets.xsd", METS_NS, mets),
)


def metadata_format(prefix: str) -> MetadataFormat | None:
    return next((row for row in METADATA_FORMATS if row.prefix == prefix), None)
