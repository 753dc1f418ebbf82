"""The six verbs and every error the protocol requires (OAI-PMH 2.0 §3.6, §4), each response
checked against OAI-PMH.xsd and its imports."""

from __future__ import annotations

import pytest

from publish.oai.repository import set_spec
from publish.oai.response import OAI_NS

from tests.conftest import EPOCH
from tests.oai.conftest import COLLECTIONS, REPOSITORY_ID, app_for, call, oai_id
from tests.oai.schemas import assert_valid

NS = {"o": OAI_NS, "dc": "http://purl.org/dc/elements/1.1/",
      "id": "http://www.openarchives.org/OAI/2.0/oai-identifier"}


@pytest.fixture(scope="module")
def app(built):
    return app_for(built)


def ask(app, query: str, lax: bool = False):
    """GET ``query``; assert HTTP 200 text/xml and schema-valid; return the root."""
    status, headers, body = call(app, query)
    assert status == "200 OK" and headers["Content-Type"] == "text/xml; charset=utf-8"
    return assert_valid(body, lax=lax)


def error_codes(root) -> list[str]:
    return [e.get("code") for e in root.findall("o:error", NS)]


def test_identify(app):
    root = ask(app, "verb=Identify")
    identify = root.find("o:Identify", NS)
    assert identify.findtext("o:repositoryName", namespaces=NS) == "Test Archive"
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://127.0.0.1/oai"
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:adminEmail", namespaces=NS) == "archivist@example.org"
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == "2023-01-29T00:00:00Z"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext(".//id:repositoryIdentifier", namespaces=NS) == REPOSITORY_ID
    assert identify.findtext(".//id:sampleIdentifier", namespaces=NS) == oai_id("alpha")
    request = root.find("o:request", NS)
    assert request.text == "http://127.0.0.1/oai" and dict(request.attrib) == {"verb": "Identify"}


def test_list_metadata_formats(app):
    root = ask(app, "verb=ListMetadataFormats")
    assert [e.text for e in root.iterfind(".//o:metadataPrefix", NS)] == ["oai_dc", "tei", "mets"]
    root = ask(app, f"verb=ListMetadataFormats&identifier={oai_id('beta')}")
    assert len(root.findall(".//o:metadataFormat", NS)) == 3


def test_list_sets_one_per_collection(app):
    root = ask(app, "verb=ListSets")
    sets = {s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS)
            for s in root.iterfind(".//o:set", NS)}
    assert sets == {set_spec(name): name for name in COLLECTIONS.values()}
    assert set_spec("Harbour Reports").startswith("harbour-reports-")


def test_list_identifiers_and_records_list_every_document_in_id_order(app):
    root = ask(app, "verb=ListIdentifiers&metadataPrefix=oai_dc")
    assert [e.text for e in root.iterfind(".//o:header/o:identifier", NS)] == [
        oai_id("alpha"), oai_id("beta"), oai_id("gamma")]
    assert root.find(".//o:resumptionToken", NS) is None
    root = ask(app, "verb=ListRecords&metadataPrefix=oai_dc")
    assert [e.text for e in root.iterfind(".//dc:title", NS)] == [
        "Harbour Board Approves New Ferry Timetable", "Library Extends Opening Hours",
        "Volunteers Plant Trees Along the River"]
    assert {e.text for e in root.iterfind(".//o:datestamp", NS)} == {"2023-01-29T00:00:00Z"}


def test_list_records_by_set(app):
    spec = set_spec("Council Minutes")
    root = ask(app, f"verb=ListRecords&metadataPrefix=oai_dc&set={spec}")
    assert [e.text for e in root.iterfind(".//o:header/o:identifier", NS)] == [oai_id("gamma")]
    assert [e.text for e in root.iterfind(".//o:header/o:setSpec", NS)] == [spec]
    assert error_codes(ask(app, "verb=ListRecords&metadataPrefix=oai_dc&set=no-such-set")) == [
        "noRecordsMatch"]


@pytest.mark.parametrize("prefix", ["oai_dc", "tei", "mets"])
def test_get_record_in_every_format(app, prefix):
    root = ask(app, f"verb=GetRecord&identifier={oai_id('beta')}&metadataPrefix={prefix}",
               lax=prefix == "tei")
    assert root.findtext(".//o:header/o:identifier", namespaces=NS) == oai_id("beta")
    assert len(root.find(".//o:metadata", NS)) == 1


@pytest.mark.parametrize(("query", "code"), [
    ("", "badVerb"),
    ("verb=Frobnicate", "badVerb"),
    ("verb=Identify&verb=Identify", "badVerb"),
    ("verb=Identify&identifier=x", "badArgument"),
    ("verb=ListRecords", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=tei", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&colour=blue", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2023-01-29T00:00", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2023-02-30", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2023-01-29&until=2023-01-30T00:00:00Z", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2023-02-01&until=2023-01-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=", "badArgument"),
    ("verb=GetRecord&identifier=" + oai_id("beta"), "badArgument"),
    ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
    (f"verb=GetRecord&identifier={oai_id('beta')}&metadataPrefix=marc21", "cannotDisseminateFormat"),
    (f"verb=GetRecord&identifier={oai_id('delta')}&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=GetRecord&identifier=oai:elsewhere.org:beta&metadataPrefix=oai_dc", "idDoesNotExist"),
    (f"verb=ListMetadataFormats&identifier={oai_id('delta')}", "idDoesNotExist"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2030-01-01", "noRecordsMatch"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&until=2020-01-01T00:00:00Z", "noRecordsMatch"),
    ("verb=ListRecords&resumptionToken=not-a-token", "badResumptionToken"),
    ("verb=ListSets&resumptionToken=v1.e30", "badResumptionToken"),
])
def test_errors(app, query, code):
    root = ask(app, query)
    assert error_codes(root) == [code]
    request = root.find("o:request", NS)
    assert request.text == "http://127.0.0.1/oai"
    if code in ("badVerb", "badArgument"):  # §3.2: a request not understood is not echoed
        assert not request.attrib


def test_no_set_hierarchy_without_collections(project):
    for identifier in COLLECTIONS:
        (project / "seeds" / f"{identifier}.toml").unlink()
    from tests.oai.conftest import rebuild

    rebuild(project, EPOCH)
    app = app_for(project)
    assert error_codes(ask(app, "verb=ListSets")) == ["noSetHierarchy"]
    assert error_codes(ask(app, "verb=ListIdentifiers&metadataPrefix=oai_dc&set=a")) == ["noSetHierarchy"]


def test_an_empty_repository_still_identifies(tmp_path):
    (tmp_path / "seeds").mkdir()
    app = app_for(tmp_path)
    assert ask(app, "verb=Identify").findtext(".//o:earliestDatestamp", namespaces=NS) == \
        "1970-01-01T00:00:00Z"
    assert error_codes(ask(app, "verb=ListRecords&metadataPrefix=oai_dc")) == ["noRecordsMatch"]
