"""The storage root and its layout: Extension 0004's own worked examples, and ocfl-py on a new root."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.errors import DepositError
from publish.preserve.storage import LAYOUT_CONFIG, StorageRoot

from tests.preserve.conftest import Layout0004, ocfl_problems

EXAMPLE_1 = {  # Extension 0004, Example 1: the default configuration
    "object-01": "3c0/ff4/240/3c0ff4240c1e116dba14c7627f2319b58aa3d77606d0d90dfc6161608ac987d4",
    "..hor/rib:le-$id": "487/326/d8c/487326d8c2a3c0b885e23da1469b4d6671fd4e76978924b4443e9e3c316cda6d",
}
EXAMPLE_2 = {  # md5, tupleSize 2, numberOfTuples 15, shortObjectRoot
    "object-01": "ff/75/53/44/92/48/5e/ab/b3/9f/86/35/67/28/88/4e",
    "..hor/rib:le-$id": "08/31/97/66/fb/6c/29/35/dd/17/5b/94/26/77/17/e0",
}
EXAMPLE_3 = {  # no tuples at all
    "object-01": "3c0ff4240c1e116dba14c7627f2319b58aa3d77606d0d90dfc6161608ac987d4",
}


@pytest.mark.parametrize("config, examples", [
    ({}, EXAMPLE_1),
    ({"digestAlgorithm": "md5", "tupleSize": 2, "numberOfTuples": 15, "shortObjectRoot": True}, EXAMPLE_2),
    ({"tupleSize": 0, "numberOfTuples": 0}, EXAMPLE_3),
])
def test_layout_0004_maps_the_extensions_examples(config, examples):
    root = StorageRoot(Path("/root"), {**LAYOUT_CONFIG, **config})
    for identifier, path in examples.items():
        assert root.object_path(identifier) == Path("/root", path)


def test_the_layout_the_tests_give_ocfl_py_maps_the_examples_too():
    for identifier, path in EXAMPLE_1.items():
        assert Layout0004().identifier_to_path(identifier) == path


def test_a_new_root_is_valid_and_holds_only_what_the_spec_names(tmp_path):
    root = StorageRoot.create(tmp_path / "ocfl")
    assert sorted(p.relative_to(root.path).as_posix() for p in root.path.rglob("*")) == [
        "0=ocfl_1.1", "extensions", "extensions/0004-hashed-n-tuple-storage-layout",
        "extensions/0004-hashed-n-tuple-storage-layout/config.json", "ocfl_layout.json"]
    assert ocfl_problems(root.path) == []
    assert [p.name for p in tmp_path.iterdir()] == ["ocfl"]  # no temporary folder left beside it
    assert StorageRoot.create(tmp_path / "ocfl") == root  # opening again changes nothing


def test_an_empty_folder_becomes_a_root_and_a_full_one_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    assert (StorageRoot.create(tmp_path / "empty").path / "0=ocfl_1.1").is_file()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("not a store")
    with pytest.raises(DepositError, match="not an OCFL 1.1 storage root"):
        StorageRoot.create(tmp_path / "full")


def test_the_work_folder_exists_only_while_writing(tmp_path):
    root = StorageRoot.create(tmp_path / "ocfl")
    (root.work / "left-by-a-killed-run").mkdir(parents=True)
    with root.writing() as work:
        assert work.is_dir() and not any(work.iterdir())
    assert not root.work.exists()
