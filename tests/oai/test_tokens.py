"""Paging with resumption tokens (OAI-PMH 2.0 §3.5): completeListSize, cursor, and tokens that
survive a rebuild."""

from __future__ import annotations

import pytest

from publish.oai import tokens
from publish.oai.errors import OAIError
from publish.oai.response import OAI_NS

from tests.conftest import EPOCH
from tests.oai.conftest import app_for, call, oai_id, rebuild
from tests.oai.schemas import assert_valid

NS = {"o": OAI_NS}


def page(app, query: str):
    root = assert_valid(call(app, query)[2])
    token = root.find(".//o:resumptionToken", NS)
    ids = [e.text for e in root.iterfind(".//o:header/o:identifier", NS)]
    return ids, token, root


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_pages_of_two(built, verb):
    app = app_for(built, page_size=2)
    ids, token, _root = page(app, f"verb={verb}&metadataPrefix=oai_dc")
    assert ids == [oai_id("alpha"), oai_id("beta")]
    assert (token.get("completeListSize"), token.get("cursor")) == ("3", "0") and token.text
    ids, last, _root = page(app, f"verb={verb}&resumptionToken={token.text}")
    assert ids == [oai_id("gamma")]
    # The last page carries an empty token, with the size and the cursor (§3.5.1).
    assert (last.text, last.get("completeListSize"), last.get("cursor")) == (None, "3", "2")


def test_the_token_carries_the_query(built):
    app = app_for(built, page_size=1)
    _ids, token, _root = page(app, "verb=ListIdentifiers&metadataPrefix=tei&from=2023-01-29")
    ids, token, root = page(app, f"verb=ListIdentifiers&resumptionToken={token.text}")
    assert ids == [oai_id("beta")] and token.get("cursor") == "1"
    assert dict(root.find("o:request", NS).attrib) == {"verb": "ListIdentifiers",
                                                       "resumptionToken": root.find("o:request", NS)
                                                       .get("resumptionToken")}


def test_a_token_stays_valid_across_a_rebuild_that_changes_nothing(project):
    app = app_for(project, page_size=2)
    _ids, token, _root = page(app, "verb=ListRecords&metadataPrefix=oai_dc")
    manifest = (project / "dist" / "manifest.json").read_bytes()
    rebuild(project, EPOCH)
    assert (project / "dist" / "manifest.json").read_bytes() == manifest
    ids, last, _root = page(app, f"verb=ListRecords&resumptionToken={token.text}")
    assert ids == [oai_id("gamma")] and last.get("cursor") == "2"
    # ... and across one that re-renders everything at a later build date, changing no source.
    rebuild(project, EPOCH + 1000)
    ids, last, _root = page(app, f"verb=ListRecords&resumptionToken={token.text}")
    assert ids == [oai_id("gamma")] and last.get("completeListSize") == "3"


def test_bad_tokens():
    good = tokens.encode("ListRecords", {"metadataPrefix": "oai_dc"}, "alpha")
    assert tokens.decode(good, "ListRecords") == ({"metadataPrefix": "oai_dc"}, "alpha")
    for bad, verb in ((good, "ListIdentifiers"), (good[:-3], "ListRecords"), ("v1.!!!", "ListRecords"),
                      ("v2." + good[3:], "ListRecords"),
                      (tokens.encode("ListRecords", {}, "alpha"), "ListRecords")):
        with pytest.raises(OAIError) as caught:
            tokens.decode(bad, verb)
        assert caught.value.code == "badResumptionToken"


def test_a_token_naming_an_unknown_format_is_a_bad_token(built):
    app = app_for(built)
    token = tokens.encode("ListRecords", {"metadataPrefix": "marc21"}, "alpha")
    root = assert_valid(call(app, f"verb=ListRecords&resumptionToken={token}")[2])
    assert [e.get("code") for e in root.findall("o:error", NS)] == ["badResumptionToken"]
