"""The provenance record of a deposit: PREMIS 3 objects, events and agents.

Follows the PREMIS Data Dictionary for Preservation Metadata, version 3.0,
and its XML schema (namespace ``http://www.loc.gov/premis/v3``). Event types
are terms of the PREMIS preservation event type vocabulary (2017 revision):
``normalization``, ``validation``, ``creation`` and ``information package
creation``. Every event names its tool and version (a linked software agent),
its date and its outcome.

The record agrees with the TEI master: one ``normalization`` event per
``revisionDesc/change``, dated by its ``@when`` and described by its text, and
linked to the ``application`` the TEI's ``appInfo`` names. Identifiers are
UUID 5s made from the document URN, so the record is reproducible.
"""

from __future__ import annotations

import dataclasses
import uuid

from lxml import etree
from lxml.builder import ElementMaker

from publish.tei import first_text, xpath

PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
P = ElementMaker(namespace=PREMIS_NS, nsmap={"premis": PREMIS_NS, "xsi": XSI_NS})


@dataclasses.dataclass(frozen=True)
class PayloadFile:
    """One file of the payload, as PREMIS describes an object."""

    path: str            # relative to the bag, e.g. ``data/tei/<id>.xml``
    role: str            # source, sidecar, master, edition
    size: int
    sha256: str
    format_name: str     # a media type
    original_name: str
    #: The PRONOM identification (publish.pronom): PUID, and who identified it by which signatures.
    puid: str | None = None
    identified_by: str = ""


@dataclasses.dataclass(frozen=True)
class Tool:
    """A software agent: what did something, and which version of it."""

    name: str
    version: str
    note: str = ""


@dataclasses.dataclass(frozen=True)
class Event:
    """Something that happened to the document, as a PREMIS event."""

    kind: str                         # a PREMIS eventType term
    when: str                         # ISO 8601 date and time
    detail: str
    outcome: str                      # success, pass, fail
    outcome_note: str
    tool: Tool
    sources: tuple[str, ...] = ()     # payload paths the event read
    outcomes: tuple[str, ...] = ()    # payload paths it made or judged


def normalisation_events(tei: etree._ElementTree, source: str, master: str) -> list[Event]:
    """One ``normalization`` event per ``revisionDesc/change`` of the TEI (TEI P5 §2.6)."""
    application = xpath(tei, "//tei:appInfo/tei:application[@ident='publish']")
    version = application[0].get("version", "unknown") if application else "unknown"
    desc = first_text(tei, "//tei:appInfo/tei:application[@ident='publish']/tei:desc") or ""
    tool = Tool("publish", version, desc)
    events = []
    for change in xpath(tei, "//tei:revisionDesc/tei:change"):
        events.append(Event(
            kind="normalization", when=change.get("when", ""),
            detail=" ".join("".join(change.itertext()).split()),
            outcome="success", outcome_note="The TEI master was written and is valid against publish.rng.",
            tool=tool, sources=(source,), outcomes=(master,)))
    return events


def premis_record(urn: str, files: list[PayloadFile], events: list[Event]) -> bytes:
    """The PREMIS 3 XML document for a deposit: objects, then events, then agents."""
    tools = sorted({event.tool for event in events}, key=lambda t: (t.name, t.version, t.note))
    root = P.premis(*[premis_object(f) for f in files],
                    *[premis_event(urn, e, i) for i, e in enumerate(events, 1)],
                    *[premis_agent(urn, t) for t in tools],
                    version="3.0")
    root.set(f"{{{XSI_NS}}}schemaLocation",
             f"{PREMIS_NS} https://www.loc.gov/standards/premis/premis.xsd")
    etree.indent(root, space=" ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def premis_format(payload: PayloadFile) -> etree._Element:
    """``format``: the media type, and the PRONOM registry's key for it where Siegfried knew it (PREMIS 3 §1.5.4)."""
    form = P.format(P.formatDesignation(P.formatName(payload.format_name)))
    if payload.puid:
        form.append(P.formatRegistry(P.formatRegistryName("PRONOM"), P.formatRegistryKey(payload.puid),
                                     P.formatRegistryRole("identification")))
        form.append(P.formatNote(payload.identified_by))
    return form


def premis_object(payload: PayloadFile) -> etree._Element:
    """A ``file`` object: its path in the bag, sha256, size, format, original name."""
    obj = P.object(
        P.objectIdentifier(P.objectIdentifierType("local path"), P.objectIdentifierValue(payload.path)),
        P.objectCharacteristics(
            P.compositionLevel("0"),
            P.fixity(P.messageDigestAlgorithm("SHA-256"), P.messageDigest(payload.sha256)),
            P.size(str(payload.size)),
            premis_format(payload)),
        P.originalName(payload.original_name))
    obj.set(f"{{{XSI_NS}}}type", "premis:file")
    return obj


def premis_event(urn: str, event: Event, number: int) -> etree._Element:
    """An event with its outcome and links to its software agent and objects."""
    element = P.event(
        P.eventIdentifier(P.eventIdentifierType("UUID"),
                          P.eventIdentifierValue(stable_uuid(urn, f"event {number} {event.kind}"))),
        P.eventType(event.kind),
        P.eventDateTime(event.when),
        P.eventDetailInformation(P.eventDetail(event.detail)),
        P.eventOutcomeInformation(
            P.eventOutcome(event.outcome),
            P.eventOutcomeDetail(P.eventOutcomeDetailNote(event.outcome_note))),
        P.linkingAgentIdentifier(
            P.linkingAgentIdentifierType("UUID"),
            P.linkingAgentIdentifierValue(agent_uuid(urn, event.tool)),
            P.linkingAgentRole("executing program")))
    for role, paths in (("source", event.sources), ("outcome", event.outcomes)):
        for path in paths:
            element.append(P.linkingObjectIdentifier(
                P.linkingObjectIdentifierType("local path"),
                P.linkingObjectIdentifierValue(path),
                P.linkingObjectRole(role)))
    return element


def premis_agent(urn: str, tool: Tool) -> etree._Element:
    """A software agent with its name and version (PREMIS 3 ``agentVersion``)."""
    agent = P.agent(
        P.agentIdentifier(P.agentIdentifierType("UUID"), P.agentIdentifierValue(agent_uuid(urn, tool))),
        P.agentName(tool.name),
        P.agentType("software"),
        P.agentVersion(tool.version))
    if tool.note:
        agent.append(P.agentNote(tool.note))
    return agent


def agent_uuid(urn: str, tool: Tool) -> str:
    """The stable identifier of a software agent within one record."""
    return stable_uuid(urn, f"agent {tool.name} {tool.version} {tool.note}")


def stable_uuid(urn: str, name: str) -> str:
    """A UUID 5 from the document URN and a name: the same inputs, the same id."""
    return str(uuid.uuid5(uuid.UUID(urn.removeprefix("urn:uuid:")), name))
