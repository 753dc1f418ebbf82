"""Whatever a request carries, the provider answers 200 with a response valid against OAI-PMH.xsd.

The reproductions are the ones that once gave HTTP 500 (an lxml ValueError when a
control character or U+FFFE reached an echoed argument or a message) or a response
the schema refused (full-width digits in a date). The property test draws arbitrary
query strings and POST bodies.
"""

from __future__ import annotations

import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish.oai.response import OAI_NS, xml_safe

from tests.oai.conftest import app_for, call, oai_id
from tests.oai.schemas import assert_valid

NS = {"o": OAI_NS}


def error_codes(root) -> list[str]:
    return [error.get("code") for error in root.findall("o:error", NS)]


@pytest.mark.parametrize("query, code", [
    ("verb=ListRecords&resumptionToken=v1.%00abc", "badResumptionToken"),
    ("verb=Identify&%01x=1", "badArgument"),
    ("verb=GetRecord&identifier=%EF%BF%BE&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=GetRecord&identifier=oai%3Ax%3A%1B&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%93-01-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&set=%00", "noRecordsMatch"),
    ("verb=%00", "badVerb"),
])
def test_requests_that_once_gave_500_are_oai_errors(built, query, code):
    status, _headers, body = call(app_for(built), query)
    assert status == "200 OK"
    assert error_codes(assert_valid(body)) == [code]


def test_a_post_body_with_a_control_character_in_a_key(built):
    status, _headers, body = call(app_for(built), method="POST", body=b"verb=Identify&%01=2")
    assert status == "200 OK" and error_codes(assert_valid(body)) == ["badArgument"]


def test_ascii_dates_still_select(built):
    status, _headers, body = call(app_for(built), "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2000-01-01")
    root = assert_valid(body)
    assert status == "200 OK" and len(root.findall(".//o:header", NS)) == 3


def test_xml_safe_writes_what_xml_cannot_hold_as_code_points():
    assert xml_safe("a\x00b\x1b\ufffe\ud800c\tok") == "a\\u0000b\\u001b\\ufffe\\ud800c\tok"


KEYS = st.sampled_from(["verb", "metadataPrefix", "identifier", "from", "until", "set", "resumptionToken"])
VALUES = st.one_of(st.sampled_from(["Identify", "ListRecords", "GetRecord", "ListIdentifiers", "ListSets",
                                    "ListMetadataFormats", "oai_dc", "tei", "mets", oai_id("beta"),
                                    "2023-01-29", "2023-01-29T00:00:00Z", "v1.e30"]),
                   st.text(max_size=30))
PAIRS = st.lists(st.tuples(st.one_of(KEYS, st.text(max_size=8)), VALUES), max_size=5)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=PAIRS, post=st.booleans(), raw=st.binary(max_size=40))
def test_any_query_or_body_gets_a_valid_200(built, pairs, post, raw):
    encoded = urllib.parse.urlencode(pairs).encode() + (b"&" + raw if raw else b"")
    if post:
        status, _headers, body = call(app_for(built), method="POST", body=encoded)
    else:
        status, _headers, body = call(app_for(built), encoded.decode("latin-1"))
    assert status == "200 OK"
    assert_valid(body, lax=True)
