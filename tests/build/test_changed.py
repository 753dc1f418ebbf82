"""The manifest's ``changed`` time and tombstones: what the OAI-PMH datestamps come from.

Real builds of the fixture seeds (TEI only, in this process). ``changed``
moves when a document's sources change and stays when only the build date
does; a seed removed from the seeds folder leaves a tombstone that the
collections and deposits skip.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from publish.build.manifest import load_manifest
from publish.build.plan import BuildRequest, merged_entry
from publish.build.run import build
from publish.collection import read_collection
from publish.deposit import deposit_all
from publish.errors import DepositError
from publish.layout import Layout
from publish.options import TEMPLATES, Options

from tests.conftest import EPOCH

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path


def run(project: Path, epoch: int, *seeds: Path, capsys=None) -> dict:
    """Build the TEI at ``epoch`` (quietly, one job); return the manifest's documents."""
    request = BuildRequest(seeds=seeds, seeds_dir=project / "seeds", dist=project / "dist", jobs=1,
                           outputs=("tei",), quiet=True)
    assert build(request, Options(source_date_epoch=epoch, templates=TEMPLATES, date_pinned=True)) == 0
    return load_manifest(Layout(dist=project / "dist"))["documents"]


def changed(documents: dict) -> dict[str, int]:
    return {identifier: record["changed"] for identifier, record in documents.items()}


def test_changed_moves_with_the_sources_not_the_build_date(project):
    assert changed(run(project, EPOCH)) == {"alpha": EPOCH, "beta": EPOCH, "gamma": EPOCH}
    # A later build date re-renders every master (its header is dated), but no source changed.
    documents = run(project, EPOCH + 100)
    assert {r["source_date_epoch"] for r in documents.values()} == {EPOCH + 100}
    assert changed(documents) == {"alpha": EPOCH, "beta": EPOCH, "gamma": EPOCH}
    with open(project / "seeds" / "alpha.txt", "a", encoding="utf-8") as seed:
        seed.write("\nA correction was printed the next day.\n")
    assert changed(run(project, EPOCH + 200)) == {"alpha": EPOCH + 200, "beta": EPOCH, "gamma": EPOCH}
    sidecar = project / "seeds" / "beta.toml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("2023-02-14", "2023-02-15"),
                       encoding="utf-8")
    assert changed(run(project, EPOCH + 300)) == {"alpha": EPOCH + 200, "beta": EPOCH + 300,
                                                  "gamma": EPOCH}


def test_a_no_op_rebuild_leaves_the_manifest_byte_identical(project):
    run(project, EPOCH)
    before = (project / "dist" / "manifest.json").read_bytes()
    run(project, EPOCH)
    assert (project / "dist" / "manifest.json").read_bytes() == before


def test_a_record_from_before_changed_counts_from_its_build_date():
    current = {"seed": "a.txt", "input_sha256": "1", "sidecar_sha256": None, "resources": {},
               "publish_version": "0.1.0", "code_sha256": "c", "source_date_epoch": 500, "encoding": None,
               "templates": {}}
    old = dict(current, source_date_epoch=100, outputs={"tei": "x"})
    entry, _stale = merged_entry(old, current, {"tei": "y"})
    assert entry["changed"] == 100
    entry, _stale = merged_entry(dict(old, input_sha256="0"), current, {"tei": "y"})
    assert entry["changed"] == 500


def test_a_removed_seed_leaves_a_tombstone(project):
    run(project, EPOCH)
    master = project / "dist" / "tei" / "gamma.xml"
    assert master.is_file()
    (project / "seeds" / "gamma.txt").unlink()
    documents = run(project, EPOCH + 50)
    assert documents["gamma"] == {"deleted": True, "changed": EPOCH + 50, "seed": "gamma.txt",
                                  "input_sha256": documents["gamma"]["input_sha256"],
                                  "sidecar_sha256": None, "collection": None}
    assert not master.exists()
    assert changed(documents) == {"alpha": EPOCH, "beta": EPOCH, "gamma": EPOCH + 50}
    # Later builds keep the tombstone as it is: it is served as deleted for ever.
    again = run(project, EPOCH + 60)
    assert again["gamma"] == documents["gamma"]
    collection = read_collection(Layout(dist=project / "dist"), again)
    assert [entry.identifier for entry in collection.entries] == ["alpha", "beta"]


def test_a_build_of_named_seeds_makes_no_tombstone(project):
    run(project, EPOCH)
    (project / "seeds" / "gamma.txt").unlink()
    documents = run(project, EPOCH + 50, project / "seeds" / "alpha.txt")
    assert "deleted" not in documents["gamma"]


def test_a_tombstone_keeps_its_collection(project):
    (project / "seeds" / "gamma.toml").write_text('collection = "Council Minutes"\n', encoding="utf-8")
    run(project, EPOCH)
    (project / "seeds" / "gamma.txt").unlink()
    assert run(project, EPOCH + 50)["gamma"]["collection"] == "Council Minutes"


@pytest.mark.warns
def test_a_seed_that_comes_back_is_a_new_version_with_a_new_datestamp(project, no_unexpected_warnings):
    seed = project / "seeds" / "gamma.txt"
    text = seed.read_bytes()
    run(project, EPOCH)
    seed.unlink()
    run(project, EPOCH + 50)
    seed.write_bytes(text)
    documents = run(project, EPOCH + 90)
    assert "deleted" not in documents["gamma"] and documents["gamma"]["changed"] == EPOCH + 90
    assert (project / "dist" / "tei" / "gamma.xml").is_file()
    messages = [r.getMessage() for r in no_unexpected_warnings.records]
    assert any("gamma was withdrawn" in m and "new datestamp" in m for m in messages), messages


def test_deposit_refuses_a_withdrawn_document(project):
    run(project, EPOCH)
    (project / "seeds" / "gamma.txt").unlink()
    run(project, EPOCH + 50)
    options = Options(source_date_epoch=EPOCH + 50)
    [outcome] = deposit_all(["gamma"], project / "seeds", project / "dist", False, options)
    assert isinstance(outcome.error, DepositError) and "withdrawn" in str(outcome.error)
    assert not (project / "dist" / "deposit" / "gamma").exists()
    json.loads((project / "dist" / "manifest.json").read_text(encoding="utf-8"))  # still whole
