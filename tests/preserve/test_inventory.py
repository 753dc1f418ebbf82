"""Inventories and version messages, on small files; the schema and its fixtures from ../shared."""

from __future__ import annotations

import hashlib
import json

import pytest

from publish.preserve.inventory import Content, User, inventory_files, next_version, state_paths
from publish.preserve.storage import json_bytes
from publish.preserve.version import describe

from tests.conftest import SHARED, shared_path
from tests.preserve.conftest import SCHEMA

FIXTURES = SHARED / "schemas" / "ocfl" / "fixtures" / "1.1"
USER = User("Test Archivist", "mailto:archivist@example.org")


def contents(tmp_path, files: dict[str, bytes]) -> list[Content]:
    made = []
    for name, data in files.items():
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        made.append(Content.read(name, path))
    return made


def test_a_version_stores_each_new_digest_once_and_references_the_rest(tmp_path):
    first, stored1 = next_version(None, "urn:uuid:x", contents(tmp_path, {
        "source/a.txt": b"text", "tei/a.xml": b"<TEI/>", "metadata/premis.xml": b"<premis/>"}),
        "2023-01-29T00:00:00Z", "first deposit", USER)
    assert sorted(stored1) == ["v1/content/metadata/premis.xml", "v1/content/source/a.txt",
                               "v1/content/tei/a.xml"]
    second, stored2 = next_version(first, "urn:uuid:x", contents(tmp_path / "2", {
        "source/a.txt": b"text", "tei/a.xml": b"<TEI>new</TEI>", "metadata/premis.xml": b"<premis/>",
        "tei/copy.xml": b"<TEI>new</TEI>"}), "2023-02-28T00:00:00Z", "TEI re-rendered", USER)
    assert sorted(stored2) == ["v2/content/tei/a.xml"]  # the copy and the unchanged files: by digest
    assert second["head"] == "v2" and first["head"] == "v1"  # the previous inventory is not touched
    text = hashlib.sha512(b"text").hexdigest()
    assert second["manifest"][text] == ["v1/content/source/a.txt"]
    assert state_paths(second)["tei/copy.xml"] == state_paths(second)["tei/a.xml"]
    assert state_paths(second, "v1")["tei/a.xml"] == hashlib.sha512(b"<TEI/>").hexdigest()
    assert second["fixity"]["sha256"][hashlib.sha256(b"text").hexdigest()] == ["v1/content/source/a.txt"]


def test_inventory_bytes_are_fixed_and_the_sidecar_is_their_sha512(tmp_path):
    inventory, _ = next_version(None, "urn:uuid:x", contents(tmp_path, {"source/a.txt": b"x"}),
                                "2023-01-29T00:00:00Z", "first deposit", USER)
    files = inventory_files(inventory)
    assert files["inventory.json"] == json_bytes(json.loads(files["inventory.json"]))
    assert files["inventory.json"].startswith(b'{\n  "digestAlgorithm": "sha512",\n  "fixity"')
    assert files["inventory.json.sha512"] == \
        f"{hashlib.sha512(files['inventory.json']).hexdigest()} inventory.json\n".encode()


def test_the_inventory_is_valid_against_the_schema(tmp_path, inventory_schema):
    inventory, _ = next_version(None, "urn:uuid:x", contents(tmp_path, {"source/a.txt": b"x"}),
                                "2023-01-29T00:00:00Z", "first deposit", USER)
    assert list(inventory_schema.iter_errors(inventory)) == []
    inventory["versions"]["v1"]["created"] = "29 January 2023"
    errors = [e.message for e in inventory_schema.iter_errors(inventory)]
    assert errors == ["'29 January 2023' is not a 'date-time'"]


def test_the_schema_accepts_the_good_fixtures_and_rejects_the_bad(inventory_schema):
    for name in ("spec-ex-minimal", "spec-ex-full"):
        inventory = json.loads(shared_path(FIXTURES / "good-objects" / name / "inventory.json").read_bytes())
        assert list(inventory_schema.iter_errors(inventory)) == [], name
    for name in ("E041_no_manifest", "E040_wrong_head_format"):
        inventory = json.loads(shared_path(FIXTURES / "bad-objects" / name / "inventory.json").read_bytes())
        assert list(inventory_schema.iter_errors(inventory)), name


def test_the_in_memory_fix_reads_digits_as_ecma_262_does(inventory_schema):
    """Unfixed, Python's ``\\d`` takes ARABIC-INDIC DIGIT ONE for a version number."""
    import jsonschema

    minimal = FIXTURES / "good-objects" / "spec-ex-minimal" / "inventory.json"
    inventory = json.loads(shared_path(minimal).read_bytes())
    inventory["head"] = "v\u0661"
    raw = jsonschema.Draft7Validator(json.loads(shared_path(SCHEMA).read_bytes()))
    assert list(raw.iter_errors(inventory)) == []
    errors = [e.message for e in inventory_schema.iter_errors(inventory)]
    assert errors == ["'v١' does not match '^v[0-9]+$'"]


@pytest.mark.parametrize("before, after, message", [
    (None, {"source/a.txt": "1"}, "first deposit"),
    ({"source/a.txt": "1", "tei/a.xml": "1", "pdf/a.pdf": "1", "epub/a.epub": "1",
      "metadata/premis.xml": "1"},
     {"source/a.txt": "2", "tei/a.xml": "2", "pdf/a.pdf": "2", "epub/a.epub": "2",
      "metadata/premis.xml": "2"},
     "source corrected; TEI, PDF, EPUB re-rendered"),
    ({"source/a.txt": "1", "tei/a.xml": "1"}, {"source/a.txt": "1", "source/a.toml": "1", "tei/a.xml": "2"},
     "sidecar added; TEI re-rendered"),
    ({"source/a.txt": "1", "source/a.toml": "1"}, {"source/a.md": "1"}, "source replaced; sidecar removed"),
    ({"tei/a.xml": "1"}, {"tei/a.xml": "1", "toy/a.txt": "1"}, "TOY added"),
])
def test_the_message_says_what_changed(before, after, message):
    assert describe(before, after) == message
