"""Tests for publish.deposit.provenance: the PREMIS 3 record agrees with the TEI and names each tool."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from publish.deposit.package import edition_date, pdf_date_iso
from publish.deposit.provenance import PREMIS_NS
from publish.tei import parse_file, safe_parser, xpath

from tests.deposit.conftest import IDENTIFIER

PREMIS = {"premis": PREMIS_NS}


def tei_of(bag: Path):
    return parse_file(bag / "data" / "tei" / f"{IDENTIFIER}.xml")


def premis_of(bag: Path):
    return etree.parse(str(bag / "data" / "metadata" / "premis.xml"), safe_parser())


def test_provenance_agrees_with_revision_desc(deposited):
    tei, premis = tei_of(deposited), premis_of(deposited)
    changes = xpath(tei, "//tei:revisionDesc/tei:change")
    normalisations = premis.xpath("//premis:event[premis:eventType='normalization']", namespaces=PREMIS)
    assert [e.findtext(f"{{{PREMIS_NS}}}eventDateTime") for e in normalisations] == \
        [c.get("when") for c in changes]
    assert normalisations[0].findtext(f".//{{{PREMIS_NS}}}eventDetail") == " ".join(
        "".join(changes[0].itertext()).split())
    version = xpath(tei, "//tei:appInfo/tei:application/@version")[0]
    agent_id = normalisations[0].findtext(f".//{{{PREMIS_NS}}}linkingAgentIdentifierValue")
    agent = premis.xpath("//premis:agent[premis:agentIdentifier/premis:agentIdentifierValue=$a]",
                         namespaces=PREMIS, a=agent_id)[0]
    assert agent.findtext(f"{{{PREMIS_NS}}}agentVersion") == version


def test_provenance_covers_validations_and_renderings_each_with_tool_date_outcome(deposited):
    premis = premis_of(deposited)
    events = premis.xpath("//premis:event", namespaces=PREMIS)
    kinds = [e.findtext(f"{{{PREMIS_NS}}}eventType") for e in events]
    assert kinds.count("validation") == 3 and kinds.count("creation") == 2
    assert "information package creation" in kinds
    validated = premis.xpath("//premis:event[premis:eventType='validation']"
                             "//premis:linkingObjectIdentifierValue/text()", namespaces=PREMIS)
    assert sorted(validated) == sorted([f"data/tei/{IDENTIFIER}.xml", f"data/pdf/{IDENTIFIER}.pdf",
                                        f"data/epub/{IDENTIFIER}.epub"])
    agents = {a.findtext(f".//{{{PREMIS_NS}}}agentIdentifierValue"): a
              for a in premis.xpath("//premis:agent", namespaces=PREMIS)}
    for event in events:
        assert event.findtext(f"{{{PREMIS_NS}}}eventDateTime").startswith("20")
        assert event.findtext(f".//{{{PREMIS_NS}}}eventOutcome") in ("success", "pass")
        agent = agents[event.findtext(f".//{{{PREMIS_NS}}}linkingAgentIdentifierValue")]
        assert agent.findtext(f"{{{PREMIS_NS}}}agentName") and agent.findtext(f"{{{PREMIS_NS}}}agentVersion")
    # The PDF and EPUB renderings are dated; with SOURCE_DATE_EPOCH fixed, that is the build date.
    renderings = premis.xpath("//premis:event[premis:eventType='creation']/premis:eventDateTime/text()",
                              namespaces=PREMIS)
    assert renderings == ["2023-01-29T00:00:00Z"] * 2


def test_record_is_premis_3_with_objects_before_events_before_agents(deposited):
    root = premis_of(deposited).getroot()
    assert root.tag == f"{{{PREMIS_NS}}}premis" and root.get("version") == "3.0"
    order = [etree.QName(child).localname for child in root]
    assert order == sorted(order, key=["object", "event", "agent"].index)
    assert order.count("object") == 5  # source, sidecar, TEI, PDF, EPUB: the payload but the record itself
    paths = root.xpath("//premis:objectIdentifierValue/text()", namespaces=PREMIS)
    assert all((deposited / path).is_file() for path in paths)


def test_editions_are_dated_as_they_date_themselves(built):
    assert edition_date("pdf", built / "pdf" / f"{IDENTIFIER}.pdf") == "2023-01-29T00:00:00Z"
    assert edition_date("epub", built / "epub" / f"{IDENTIFIER}.epub") == "2023-01-29T00:00:00Z"


@pytest.mark.parametrize("raw, iso", [
    ("D:20230129000000Z", "2023-01-29T00:00:00Z"),
    ("D:20230129000000+00'00'", "2023-01-29T00:00:00Z"),
    ("D:20230129020000+02'00'", "2023-01-29T00:00:00Z"),
    ("D:20230128230000-01'00", "2023-01-29T00:00:00Z"),
    ("D:2023", None),
    ("", None),
])
def test_pdf_dates_become_iso_8601_utc(raw, iso):
    assert pdf_date_iso(raw) == iso


def test_every_file_has_its_pronom_format_and_who_identified_it(deposited):
    """PREMIS 3 §1.5.4: formatRegistry PRONOM with the PUID Siegfried gave, and the signature files in formatNote."""
    from publish import pronom

    expected = {"data/source/000_4f4d01b3acd55da0.txt": "x-fmt/111", f"data/tei/{IDENTIFIER}.xml": "fmt/1476",
                f"data/pdf/{IDENTIFIER}.pdf": "fmt/479", f"data/epub/{IDENTIFIER}.epub": "fmt/483"}
    root = premis_of(deposited).getroot()
    keys = {}
    for obj in root.findall("premis:object", PREMIS):
        path = obj.findtext(".//premis:objectIdentifierValue", namespaces=PREMIS)
        registry = obj.find(".//premis:format/premis:formatRegistry", PREMIS)
        assert registry.findtext("premis:formatRegistryName", namespaces=PREMIS) == "PRONOM", path
        keys[path] = registry.findtext("premis:formatRegistryKey", namespaces=PREMIS)
        note = obj.findtext(".//premis:format/premis:formatNote", namespaces=PREMIS)
        assert f"Siegfried {pronom.tool().version}" in note and "DROID_SignatureFile" in note
    assert {path: keys[path] for path in expected} == expected
