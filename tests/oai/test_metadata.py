"""The metadata formats say what the teiHeader and the manifest say, and nothing else."""

from __future__ import annotations

import hashlib

from lxml import etree

from publish.collection import read_header
from publish.oai.metadata import METS_NS, XLINK_NS
from publish.oai.response import OAI_NS

from tests.oai.conftest import app_for, call, oai_id
from tests.oai.schemas import assert_valid, lax_validator, mets_xsd, strict_validator

NS = {"o": OAI_NS, "dc": "http://purl.org/dc/elements/1.1/", "m": METS_NS, "x": XLINK_NS,
      "tei": "http://www.tei-c.org/ns/1.0"}


def metadata(built, identifier: str, prefix: str) -> etree._Element:
    body = call(app_for(built), f"verb=GetRecord&identifier={oai_id(identifier)}&metadataPrefix={prefix}")[2]
    return assert_valid(body, lax=prefix == "tei").find(".//o:metadata", NS)[0]


def test_oai_dc_from_the_header(built):
    dc = metadata(built, "beta", "oai_dc")
    values = [(etree.QName(e).localname, e.text) for e in dc]
    source_sha = hashlib.sha256((built / "seeds" / "beta.txt").read_bytes()).hexdigest()
    header = read_header(built / "dist" / "tei" / "beta.xml")
    urn = header.findtext(".//tei:idno[@type='URN']", namespaces=NS)
    assert values == [("title", "Library Extends Opening Hours"), ("publisher", "publish test archive"),
                      ("date", "2023-02-14"), ("type", "Text"), ("format", "application/tei+xml"),
                      ("identifier", urn), ("source", f"beta.txt (SHA-256 {source_sha})"),
                      ("language", "en"), ("rights", "No licence recorded.")]
    assert urn.startswith("urn:uuid:")


def test_oai_dc_invents_nothing(built):
    # alpha has no sidecar: no publisher, no creator, no language given.
    names = [etree.QName(e).localname for e in metadata(built, "alpha", "oai_dc")]
    assert "publisher" not in names and "creator" not in names


def test_tei_is_the_masters_header(built):
    served = metadata(built, "gamma", "tei")
    master = read_header(built / "dist" / "tei" / "gamma.xml")
    assert etree.QName(served).localname == "teiHeader"
    assert etree.tostring(served, method="c14n", exclusive=True) == \
        etree.tostring(master, method="c14n", exclusive=True)
    assert served.find(".//tei:text", NS) is None and served.getparent().find(".//tei:body", NS) is None


def test_a_tei_record_needs_the_lax_wildcard_and_nothing_else(built):
    body = call(app_for(built), f"verb=GetRecord&identifier={oai_id('gamma')}&metadataPrefix=tei")[2]
    root = etree.fromstring(body)
    assert not strict_validator().validate(root)  # no XSD for TEI: the strict wildcard refuses it
    assert lax_validator().validate(root)
    root.find(".//o:datestamp", NS).text = "yesterday"
    assert not lax_validator().validate(root)  # the envelope is still checked in full


def test_mets_lists_the_files_with_their_sums(built):
    mets = metadata(built, "beta", "mets")
    master = built / "dist" / "tei" / "beta.xml"
    header = read_header(master)
    assert mets.get("OBJID") == header.findtext(".//tei:idno[@type='URN']", namespaces=NS)
    files = {f.get("ID"): f for f in mets.iterfind(".//m:file", NS)}
    assert set(files) == {"file-source", "file-tei"}
    assert files["file-tei"].get("CHECKSUM") == hashlib.sha256(master.read_bytes()).hexdigest()
    assert files["file-tei"].find("m:FLocat", NS).get(f"{{{XLINK_NS}}}href") == "tei/beta.xml"
    source = (built / "seeds" / "beta.txt").read_bytes()
    assert files["file-source"].get("CHECKSUM") == hashlib.sha256(source).hexdigest()
    assert files["file-source"].get("SIZE") == str(len(source))
    assert files["file-source"].get("MIMETYPE") == "text/plain"
    assert [p.get("FILEID") for p in mets.iterfind(".//m:structMap/m:div/m:fptr", NS)] == [
        "file-source", "file-tei"]


def test_mets_links_are_absolute_when_dist_url_is_set(built):
    app = app_for(built, dist_url="https://archive.example.org/files")
    body = call(app, f"verb=GetRecord&identifier={oai_id('beta')}&metadataPrefix=mets")[2]
    hrefs = assert_valid(body).xpath("//m:FLocat/@x:href | //m:mdRef/@x:href", namespaces=NS)
    assert hrefs == ["https://archive.example.org/files/tei/beta.xml"] * 2


def test_the_mets_schema_really_checks_mets(built):
    if mets_xsd() is None:
        import pytest

        pytest.skip("metsrw (which ships mets.xsd) is not installed")
    body = call(app_for(built), f"verb=GetRecord&identifier={oai_id('beta')}&metadataPrefix=mets")[2]
    root = etree.fromstring(body)
    assert strict_validator().validate(root)
    root.find(".//m:file", NS).set("CHECKSUMTYPE", "CRC-7")
    assert not strict_validator().validate(root)
