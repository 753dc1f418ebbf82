"""End to end: build, preserve, correct a seed, rebuild later, preserve; ocfl-py validates every step.

Issue 13's "done when", the OCFL half: the corrected document's object now
has v2, which stores only the files that changed, and v1 still extracts
byte-identical to the first build's files; a removed seed's object is kept.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from publish.preserve.storage import StorageRoot
from publish.tei import first_text, parse_file
from publish.tei.header import document_urn

from tests.conftest import SAMPLE
from tests.preserve.conftest import (
    LATER,
    LAYOUT_0004,
    NOTE,
    ocfl_problems,
    preserve,
    publish,
    schema_errors,
    tree_bytes,
)

pytestmark = pytest.mark.slow
ID = SAMPLE.stem


def object_of(project: Path, identifier: str) -> Path:
    return StorageRoot.open(project / "dist" / "ocfl").object_path(document_urn(identifier))


def inventory_of(folder: Path) -> dict:
    return json.loads((folder / "inventory.json").read_bytes())


def test_every_step_succeeds_and_the_root_validates_with_ocfl_py(history):
    assert [history[k] for k in ("build1", "preserve1", "preserve_again", "build2", "preserve2")] == [0] * 5
    assert ocfl_problems(history["project"] / "dist" / "ocfl") == []
    for folder in StorageRoot.open(history["project"] / "dist" / "ocfl").objects():
        assert ocfl_problems(folder) == [], folder


def test_root_has_the_declaration_layout_and_extension_config(history):
    root = history["project"] / "dist" / "ocfl"
    assert (root / "0=ocfl_1.1").read_bytes() == b"ocfl_1.1\n"
    assert json.loads((root / "ocfl_layout.json").read_bytes())["extension"] == LAYOUT_0004
    config = json.loads((root / "extensions" / LAYOUT_0004 / "config.json").read_bytes())
    assert config == {"extensionName": LAYOUT_0004, "digestAlgorithm": "sha256",
                      "tupleSize": 3, "numberOfTuples": 3, "shortObjectRoot": False}
    assert sorted(p.name for p in (root / "extensions").iterdir()) == [LAYOUT_0004]


def test_object_id_is_the_tei_urn(history):
    project = history["project"]
    urn = first_text(parse_file(project / "dist" / "tei" / f"{ID}.xml"),
                     "//tei:publicationStmt/tei:idno[@type='URN']")
    assert inventory_of(object_of(project, ID))["id"] == urn == document_urn(ID)


def test_an_unchanged_document_adds_no_version(history):
    assert history["root_again"] == history["root_v1"]


def test_v2_stores_only_what_changed_and_says_so(history):
    inventory = inventory_of(object_of(history["project"], ID))
    assert inventory["head"] == "v2"
    v1, v2 = inventory["versions"]["v1"], inventory["versions"]["v2"]
    assert v1["message"] == "first deposit"
    assert v2["message"] == "source corrected; TEI, PDF, EPUB re-rendered"
    assert v1["created"] == "2023-01-29T00:00:00Z" and v2["created"] == "2023-02-28T00:00:00Z"
    assert v2["user"] == {"name": "Test Archivist", "address": "mailto:archivist@example.org"}
    stored = sorted(p for paths in inventory["manifest"].values() for p in paths if p.startswith("v2/"))
    assert stored == [f"v2/content/epub/{ID}.epub", "v2/content/metadata/premis.xml",
                      f"v2/content/pdf/{ID}.pdf", f"v2/content/source/{ID}.txt", f"v2/content/tei/{ID}.xml"]
    # The unchanged sidecar is referenced from v2's state by the digest v1 stored it under.
    sidecar = f"source/{ID}.toml"
    digest = next(d for d, paths in v2["state"].items() if sidecar in paths)
    assert inventory["manifest"][digest] == [f"v1/content/{sidecar}"]
    # The other document changed only because the later date re-rendered it.
    note = inventory_of(object_of(history["project"], NOTE))["versions"]["v2"]
    assert note["message"] == "TEI, PDF, EPUB re-rendered"


def test_fixity_sha256_agrees_with_the_tei_header(history):
    project = history["project"]
    folder = object_of(project, ID)
    inventory = inventory_of(folder)
    fixity = inventory["fixity"]["sha256"]
    assert {p for paths in fixity.values() for p in paths} == \
        {p for paths in inventory["manifest"].values() for p in paths}
    for digest, paths in fixity.items():
        for path in paths:
            assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == digest
    recorded = first_text(parse_file(folder / "v2" / "content" / "tei" / f"{ID}.xml"),
                          "//tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']")
    assert f"v2/content/source/{ID}.txt" in fixity[recorded]


def test_inventories_are_valid_against_the_ocfl_schema(history, inventory_schema):
    for folder in StorageRoot.open(history["project"] / "dist" / "ocfl").objects():
        for inventory in [folder / "inventory.json", *sorted(folder.glob("v*/inventory.json"))]:
            assert schema_errors(inventory_schema, inventory) == [], inventory


def test_v1_extracts_byte_identical_to_the_first_build(history, tmp_path, capsys):
    project = history["project"]
    assert preserve(project, "--extract", ID, "--version", "v1", str(tmp_path / "v1")) == 0
    got = tree_bytes(tmp_path / "v1")
    first = history["first_build"]
    assert sorted(got) == sorted([f"source/{ID}.txt", f"source/{ID}.toml", f"tei/{ID}.xml", f"pdf/{ID}.pdf",
                                  f"epub/{ID}.epub", "metadata/premis.xml"])
    for kind in ("tei/{}.xml", "pdf/{}.pdf", "epub/{}.epub"):
        assert got[kind.format(ID)] == first[kind.format(ID)]
    assert got[f"source/{ID}.txt"] == SAMPLE.read_bytes()
    assert got[f"source/{ID}.toml"] == SAMPLE.with_suffix(".toml").read_bytes()
    assert preserve(project, "--extract", ID, str(tmp_path / "head")) == 0  # the latest by default
    assert tree_bytes(tmp_path / "head")[f"source/{ID}.txt"] == (project / "seeds" / f"{ID}.txt").read_bytes()


def test_extract_refuses_a_folder_that_is_not_empty(history, tmp_path, capsys):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    assert preserve(history["project"], "--extract", ID, "--version", "v1", str(tmp_path / "full")) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    assert preserve(history["project"], "--extract", ID, "--version", "v9", str(tmp_path / "new")) == 2
    assert "has no version v9" in capsys.readouterr().err and not (tmp_path / "new").exists()


def test_show_lists_versions_with_dates_and_messages(history, capsys):
    assert preserve(history["project"], "--show", ID) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == document_urn(ID)
    assert lines[1].startswith("v1\t2023-01-29T00:00:00Z\tfirst deposit\tTest Archivist")
    assert lines[2].startswith("v2\t2023-02-28T00:00:00Z\tsource corrected; TEI, PDF, EPUB re-rendered")
    assert lines[2].endswith("6 file(s), 5 stored")


def test_same_inputs_and_date_give_byte_identical_roots(history, tmp_path, monkeypatch):
    """Two roots made from the same inputs and SOURCE_DATE_EPOCH, on other paths, are equal byte for byte."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(LATER))
    made = []
    for name in ("one", "two"):
        copy = tmp_path / name
        shutil.copytree(history["project"], copy, ignore=shutil.ignore_patterns("ocfl"))
        assert preserve(copy) == 0
        made.append(tree_bytes(copy / "dist" / "ocfl"))
    assert made[0] == made[1]
    assert any(name.endswith("/inventory.json") for name in made[0])


def test_a_removed_seed_keeps_its_object(history, tmp_path, monkeypatch, capsys):
    project = tmp_path / "project"
    shutil.copytree(history["project"], project)
    (project / "seeds" / f"{NOTE}.txt").unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(LATER))
    assert preserve(project) == 0
    assert f"{ID} unchanged (v2)" in capsys.readouterr().out
    assert tree_bytes(project / "dist" / "ocfl") == history["root_v2"]
    assert preserve(project, "--show", NOTE) == 0


def test_refused_like_deposit_stale_tei_and_missing_edition(history, tmp_path, monkeypatch, capsys):
    project = tmp_path / "project"
    shutil.copytree(history["project"], project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(LATER))
    seed = project / "seeds" / f"{ID}.txt"
    seed.write_bytes(seed.read_bytes() + b"\nA later paragraph.\n")
    (project / "dist" / "epub" / f"{NOTE}.epub").unlink()
    capsys.readouterr()
    assert preserve(project) == 74
    err = capsys.readouterr().err
    assert f"refused {ID}:" in err and "sourceDesc records" in err
    assert f"refused {NOTE}:" in err and "no EPUB edition; run `publish build` first" in err
    assert tree_bytes(project / "dist" / "ocfl") == history["root_v2"]
    assert not (project / "dist" / "ocfl" / "extensions" / "publish-work").exists()


def test_a_missing_user_is_refused_before_anything_is_written(history, tmp_path, capsys):
    project = tmp_path / "project"
    shutil.copytree(history["project"], project, ignore=shutil.ignore_patterns("ocfl"))
    (project / "publish.toml").write_text("[preserve]\nuser = { name = \"A\", address = \"nobody\" }\n")
    assert preserve(project) == 65
    assert "address must be a URI" in capsys.readouterr().err
    assert not (project / "dist" / "ocfl").exists()


def test_verify_names_changed_missing_and_unlisted_files(history, tmp_path, capsys):
    root = tmp_path / "ocfl"
    shutil.copytree(history["project"] / "dist" / "ocfl", root)
    assert publish("verify", str(root)) == 0
    folder = StorageRoot.open(root).object_path(document_urn(ID))
    name = folder.relative_to(root).as_posix()
    (folder / "v1" / "content" / "pdf" / f"{ID}.pdf").write_bytes(b"%PDF-1.7 not the one\n")
    (folder / "v2" / "content" / "tei" / f"{ID}.xml").unlink()
    (folder / "v2" / "content" / "added.txt").write_text("slipped in")
    capsys.readouterr()
    assert publish("verify", str(root), str(folder)) == 74
    err = capsys.readouterr().err
    assert f"{name}/v1/content/pdf/{ID}.pdf: changed (sha512 differs from the manifest, " \
           "sha256 differs from the fixity block)" in err
    assert f"{name}/v2/content/tei/{ID}.xml: missing (listed in the manifest)" in err
    assert f"{name}/v2/content/added.txt: unlisted (in v2/content but not in the manifest)" in err
    assert f"{folder}: v2/content/added.txt: unlisted" in err  # the object on its own, too
    assert ocfl_problems(folder)  # ocfl-py agrees that it is broken


def test_verify_names_a_changed_inventory(history, tmp_path, capsys):
    root = tmp_path / "ocfl"
    shutil.copytree(history["project"] / "dist" / "ocfl", root)
    folder = StorageRoot.open(root).object_path(document_urn(NOTE))
    inventory = folder / "inventory.json"
    inventory.write_bytes(inventory.read_bytes().replace(b"re-rendered", b"re-rendered!"))
    assert publish("verify", str(folder)) == 74
    err = capsys.readouterr().err
    assert "inventory.json: changed (its sha512 differs from inventory.json.sha512)" in err
