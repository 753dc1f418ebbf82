"""A real harvester, sickle (PyPI), harvests over loopback: in full, incrementally, and deletions.

The end-to-end case of issue 13: build, harvest, correct a seed, rebuild at a
later SOURCE_DATE_EPOCH, harvest ``from`` the first harvest's time and get
only that record; remove a seed, rebuild, and the harvest shows it deleted.
"""

from __future__ import annotations

import pytest

from publish.oai.dates import datestamp
from publish.oai.repository import set_spec

from tests.conftest import EPOCH
from tests.oai.conftest import app_for, oai_id, rebuild, serving

sickle = pytest.importorskip("sickle")


def harvest(url: str, **arguments) -> dict[str, object]:
    """identifier → record, for every record a ListRecords harvest (every page) returns."""
    client = sickle.Sickle(url, max_retries=1, timeout=30)
    try:
        return {record.header.identifier: record
                for record in client.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False, **arguments)}
    except sickle.oaiexceptions.NoRecordsMatch:
        return {}


def test_full_incremental_and_deleted(project):
    app = app_for(project, page_size=2)  # three documents: two pages, so sickle follows a token
    with serving(app) as url:
        first = harvest(url)
        assert sorted(first) == [oai_id("alpha"), oai_id("beta"), oai_id("gamma")]
        assert first[oai_id("beta")].metadata["title"] == ["Library Extends Opening Hours"]
        assert not any(r.deleted for r in first.values())
        identify = sickle.Sickle(url).Identify()
        assert identify.deletedRecord == "persistent" and identify.granularity == "YYYY-MM-DDThh:mm:ssZ"

        # An editor corrects beta; the next build is a day later and re-renders every master.
        corrected = EPOCH + 86400
        with open(project / "seeds" / "beta.txt", "a", encoding="utf-8") as seed:
            seed.write("\nCorrection: the library also opens on Sundays.\n")
        rebuild(project, corrected)
        since = harvest(url, **{"from": datestamp(EPOCH + 1)})
        assert list(since) == [oai_id("beta")]
        assert since[oai_id("beta")].header.datestamp == datestamp(corrected)

        # The seed of gamma is removed: a tombstone, served as deleted.
        (project / "seeds" / "gamma.txt").unlink()
        removed = EPOCH + 2 * 86400
        rebuild(project, removed)
        since = harvest(url, **{"from": datestamp(corrected + 1)})
        assert list(since) == [oai_id("gamma")]
        assert since[oai_id("gamma")].deleted and "metadata" not in since[oai_id("gamma")].raw
        assert since[oai_id("gamma")].header.datestamp == datestamp(removed)
        everything = harvest(url)
        assert sorted(everything) == [oai_id("alpha"), oai_id("beta"), oai_id("gamma")]
        assert [i for i, r in everything.items() if r.deleted] == [oai_id("gamma")]
        # A harvest of its set sees the deletion too: the tombstone keeps its collection.
        by_set = harvest(url, set=set_spec("Council Minutes"))
        assert list(by_set) == [oai_id("gamma")] and by_set[oai_id("gamma")].deleted
        # ... and for ever: later builds keep it.
        rebuild(project, removed + 86400)
        assert harvest(url)[oai_id("gamma")].deleted
