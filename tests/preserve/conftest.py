"""Preserve fixtures: a tiny project built and preserved once per session, and the real checkers.

The checkers are independent of publish: ocfl-py's validator for whole
objects and storage roots, and the OCFL 1.1 inventory JSON Schema from
``../shared/schemas/ocfl/`` (read in place) through ``jsonschema``.

Two adjustments, both in memory and both because the tools lag the
specifications, not to excuse publish:

* ocfl-py 2.1 knows no storage layout 0004 (its registry has 0002, 0003 and
  drafts), so it refuses the root with E071, and it lists only 0002 and 0003
  as registered extensions, so it warns (W901) about 0004's config folder.
  The tests register :class:`Layout0004`, written here from the extension's
  text (and checked against its worked examples in test_storage.py), and add
  0004 to the registered names.
* The schema's patterns use ``\\d``, which JSON Schema defines with ECMA-262
  semantics (ASCII digits) but Python's ``re`` reads as any Unicode digit, so
  it would accept ``"head": "v١"``; the patterns are rewritten to ``[0-9]``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from publish.cli import main

from tests.conftest import EPOCH, SAMPLE, SHARED, shared_path

SCHEMA = SHARED / "schemas" / "ocfl" / "inventory_schema.json"
LAYOUT_0004 = "0004-hashed-n-tuple-storage-layout"
LATER = EPOCH + 86400 * 30
USER_TOML = '[preserve]\nuser = { name = "Test Archivist", address = "mailto:archivist@example.org" }\n'
NOTE = "note"
NOTE_TEXT = "A short note.\n\nIt has two paragraphs.\n"


class Layout0004:
    """Extension 0004 for ocfl-py's registry: sha256 of the id, three 3-character tuples, the digest."""

    def __new__(cls):
        from ocfl.layout import Layout

        class Hashed(Layout):
            def __init__(self):
                super().__init__()
                self.NAME = LAYOUT_0004
                self.DESCRIPTION = "Extension 0004: Hashed N-tuple Storage Layout"
                self.PARAMS = {key: (lambda value: None) for key in
                               ("digestAlgorithm", "tupleSize", "numberOfTuples", "shortObjectRoot")}

            def identifier_to_path(self, identifier):
                digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()
                return "/".join([digest[0:3], digest[3:6], digest[6:9], digest])

        return Hashed()


def ocfl_problems(path: Path) -> list[str]:
    """Every error and warning ocfl-py reports for a storage root or an object (empty: valid)."""
    import ocfl
    from ocfl import layout_registry

    layout_registry.add_layout(LAYOUT_0004, Layout0004)
    path = Path(path)
    if (path / "0=ocfl_object_1.1").is_file():
        passed, validator = ocfl.Object().validate(str(path), log_warnings=True)
        messages = list(validator.log.messages)
        return messages or ([] if passed else ["invalid, no message"])
    store = ocfl.StorageRoot(root=str(path))
    store.registered_extensions.append(LAYOUT_0004)
    passed = store.validate(log_warnings=True)
    messages = list(store.log.messages) + [text for _where, text in store.errors]
    for folder, identifier in store.list_objects():
        expected = Layout0004().identifier_to_path(identifier)
        if folder != expected:
            messages.append(f"{folder}: object {identifier} belongs at {expected}")
    if store.num_objects != store.good_objects:
        messages.append(f"{store.num_objects - store.good_objects} invalid object(s)")
    return messages or ([] if passed else ["invalid, no message"])


@pytest.fixture(scope="session")
def inventory_schema():
    """A validator for the OCFL 1.1 inventory schema, its ``\\d`` read as ECMA-262 does."""
    import jsonschema

    schema = ascii_digits(json.loads(shared_path(SCHEMA).read_bytes()))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def ascii_digits(node):
    """The schema with ``\\d`` in every ``pattern`` and ``patternProperties`` key made ``[0-9]``."""
    def fixed(pattern: str) -> str:
        inside = re.sub(r"\[([^\]]*)\]", lambda m: "[" + m.group(1).replace("\\d", "0-9") + "]", pattern)
        return inside.replace("\\d", "[0-9]")

    if isinstance(node, list):
        return [ascii_digits(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key == "pattern" and isinstance(value, str):
            result[key] = fixed(value)
        elif key == "patternProperties":
            result[key] = {fixed(k): ascii_digits(v) for k, v in value.items()}
        else:
            result[key] = ascii_digits(value)
    return result


def schema_errors(validator, path: Path) -> list[str]:
    return [error.message for error in validator.iter_errors(json.loads(Path(path).read_bytes()))]


def publish(*args: str) -> int:
    return main(list(args))


def preserve(project: Path, *args: str) -> int:
    return publish("--config", str(project / "publish.toml"), "preserve", "--seeds-dir", str(project / "seeds"),
                   "--dist", str(project / "dist"), *args)


def build(project: Path) -> int:
    return publish("build", "--jobs", "1", "--quiet", "--seeds-dir", str(project / "seeds"),
                   "--dist", str(project / "dist"))


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def new_project(folder: Path) -> Path:
    """Two seeds (the sample with its sidecar, and a short note) and a publish.toml."""
    (folder / "seeds").mkdir(parents=True)
    shutil.copyfile(SAMPLE, folder / "seeds" / SAMPLE.name)
    shutil.copyfile(SAMPLE.with_suffix(".toml"), folder / "seeds" / f"{SAMPLE.stem}.toml")
    (folder / "seeds" / f"{NOTE}.txt").write_text(NOTE_TEXT, encoding="utf-8")
    (folder / "publish.toml").write_text(USER_TOML, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def history(tmp_path_factory):
    """The story of the issue, run once: build, preserve, correct a seed, rebuild later, preserve.

    Returns a dict of what each step left: the project, the first build's
    files, the root after v1 and after v2, and the exit codes.
    """
    mp = pytest.MonkeyPatch()
    try:
        project = new_project(tmp_path_factory.mktemp("history"))
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        steps = {"project": project, "build1": build(project)}
        steps["first_build"] = tree_bytes(project / "dist")
        steps["preserve1"] = preserve(project)
        steps["root_v1"] = tree_bytes(project / "dist" / "ocfl")
        steps["preserve_again"] = preserve(project)
        steps["root_again"] = tree_bytes(project / "dist" / "ocfl")
        seed = project / "seeds" / SAMPLE.name
        seed.write_bytes(seed.read_bytes().replace(b"Liaoning", b"Liaoning Province", 1))
        mp.setenv("SOURCE_DATE_EPOCH", str(LATER))
        steps["build2"] = build(project)
        steps["preserve2"] = preserve(project)
        steps["root_v2"] = tree_bytes(project / "dist" / "ocfl")
        return steps
    finally:
        mp.undo()
