"""``from`` and ``until`` select inclusively, at second and at day granularity (OAI-PMH 2.0 §3.3)."""

from __future__ import annotations

import pytest

from publish.oai.dates import date_range, datestamp, parse_bound
from publish.oai.errors import OAIError
from publish.oai.response import OAI_NS

from tests.conftest import EPOCH
from tests.oai.conftest import app_for, call, oai_id, rebuild
from tests.oai.schemas import assert_valid

NS = {"o": OAI_NS}


def test_parse_bounds():
    assert parse_bound("2023-01-29T00:00:00Z", "from", upper=False) == (EPOCH, "second")
    assert parse_bound("2023-01-29", "from", upper=False) == (EPOCH, "day")
    assert parse_bound("2023-01-29", "until", upper=True) == (EPOCH + 86399, "day")
    assert datestamp(EPOCH) == "2023-01-29T00:00:00Z"
    for bad in ("2023-1-29", "2023-01-29T00:00:00", "2023-01-29T00:00:00+01:00", "yesterday",
                "2023-13-01", "2023-01-29T24:00:00Z"):
        with pytest.raises(OAIError) as caught:
            parse_bound(bad, "from", upper=False)
        assert caught.value.code == "badArgument"
    assert date_range(None, None) == (None, None)


def identifiers(app, query: str) -> list[str]:
    root = assert_valid(call(app, "verb=ListIdentifiers&metadataPrefix=oai_dc&" + query)[2])
    if root.find("o:error", NS) is not None:
        return []
    return [e.text for e in root.iterfind(".//o:identifier", NS)]


def test_boundaries_are_inclusive(project):
    later = EPOCH + 3600 * 30 + 7  # 2023-01-30T06:00:07Z
    with open(project / "seeds" / "beta.txt", "a", encoding="utf-8") as seed:
        seed.write("\nThe library will also open on Sundays.\n")
    rebuild(project, later)
    app = app_for(project)
    everything = [oai_id(i) for i in ("alpha", "beta", "gamma")]
    # Exactly at the datestamp, from either side.
    assert identifiers(app, "from=2023-01-30T06:00:07Z") == [oai_id("beta")]
    assert identifiers(app, "until=2023-01-30T06:00:07Z") == everything
    assert identifiers(app, "from=2023-01-30T06:00:08Z") == []
    assert identifiers(app, "until=2023-01-30T06:00:06Z") == [oai_id("alpha"), oai_id("gamma")]
    assert identifiers(app, "from=2023-01-29T00:00:00Z&until=2023-01-29T00:00:00Z") == [
        oai_id("alpha"), oai_id("gamma")]
    # Days: a day until takes in the whole day.
    assert identifiers(app, "from=2023-01-30") == [oai_id("beta")]
    assert identifiers(app, "until=2023-01-29") == [oai_id("alpha"), oai_id("gamma")]
    assert identifiers(app, "from=2023-01-30&until=2023-01-30") == [oai_id("beta")]
    assert identifiers(app, "from=2023-01-31") == []
