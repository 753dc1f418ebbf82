"""Reading while a build writes: the manifest once per request, each master at most once, and a
master that comes or goes in between is tolerated."""

from __future__ import annotations

import threading

from publish.layout import Layout
from publish.oai import repository
from publish.oai.repository import Snapshot, set_spec
from publish.oai.response import OAI_NS

from tests.conftest import EPOCH
from tests.oai.conftest import app_for, call, oai_id, rebuild, settings
from tests.oai.schemas import assert_valid

NS = {"o": OAI_NS}


def test_set_specs_are_stable_and_distinct():
    assert set_spec("Harbour Reports") == set_spec("Harbour Reports")
    assert set_spec("A B") != set_spec("a-b")
    assert set_spec("渤海报告").startswith("collection-")
    assert set_spec("Élan vital").startswith("elan-vital-")


def test_a_master_that_goes_after_the_manifest_was_read(project):
    layout = Layout(dist=project / "dist", seeds=project / "seeds")
    repository._cache.clear()
    snapshot = Snapshot(layout, settings())
    (project / "dist" / "tei" / "beta.xml").unlink()
    assert [item.identifier for item in snapshot.items()] == ["alpha", "gamma"]
    body = call(app_for(project), f"verb=GetRecord&identifier={oai_id('beta')}&metadataPrefix=oai_dc")[2]
    assert [e.get("code") for e in assert_valid(body).findall("o:error", NS)] == ["idDoesNotExist"]


def test_a_header_is_cached_only_under_its_own_digest(project):
    layout = Layout(dist=project / "dist", seeds=project / "seeds")
    repository._cache.clear()
    with open(project / "seeds" / "beta.txt", "a", encoding="utf-8") as seed:
        seed.write("\nA newer version.\n")
    snapshot = Snapshot(layout, settings())  # read before the build below replaces beta's master
    rebuild(project, EPOCH + 10)
    assert snapshot.item("beta") is not None  # the newer master, served...
    old_digest = snapshot.documents["beta"]["outputs"]["tei"]
    assert old_digest not in repository._cache  # ...but not cached under the old digest
    fresh = Snapshot(layout, settings())
    assert fresh.item("beta") is not None
    assert fresh.documents["beta"]["outputs"]["tei"] in repository._cache


def test_every_response_is_whole_while_builds_write(project):
    """Rebuilds that change a seed each time, and harvest requests at the same time."""
    app = app_for(project, page_size=2)
    done = threading.Event()
    failures = []

    def builder():
        try:
            for round in range(1, 7):
                with open(project / "seeds" / "beta.txt", "a", encoding="utf-8") as seed:
                    seed.write(f"\nRevision {round}.\n")
                rebuild(project, EPOCH + round)
        except BaseException as error:  # noqa: BLE001  reported by the test below
            failures.append(error)
        finally:
            done.set()

    thread = threading.Thread(target=builder)
    thread.start()
    answered = 0
    while not done.is_set() or answered < 3:
        for query in ("verb=ListRecords&metadataPrefix=oai_dc", "verb=ListIdentifiers&metadataPrefix=tei",
                      f"verb=GetRecord&identifier={oai_id('beta')}&metadataPrefix=tei"):
            root = assert_valid(call(app, query)[2], lax=True)
            assert root.find("o:error", NS) is None, query
            answered += 1
    thread.join(timeout=120)
    assert not failures, failures
    assert answered >= 3
