"""The build manifest, ``dist/manifest.json``: what each document's outputs were made from.

::

    {"format": 2, "documents": {"<id>": {
        "seed": "<id>.txt",            "input_sha256": "…",
        "sidecar_sha256": "…" | null,  "resources": {"pics/a.png": "<sha256>"},
        "publish_version": "0.1.0",    "code_sha256": "… (publish's own source files)",
        "templates": {"pdf": "<sha256 of the templates the pdf row names>", "epub": "…"},
        "source_date_epoch": 1674950400, "encoding": null,
        "outputs": {"tei": "<sha256 of dist/tei/<id>.xml>", "pdf": "…", "epub": "…"},
        "assets": {"img-….png": "<sha256 of dist/tei/<id>_assets/img-….png>"},
        "changed": 1674950400 (when the sources last changed; publish.build.plan)},
      "<withdrawn id>": {"deleted": true, "changed": …, "seed": "…", "input_sha256": "…",
        "sidecar_sha256": "…" | null, "collection": "…" | null}},
     "collections": {"<kind>": {"inputs_sha256": "…", "files": {"<path>": "<sha256>"}}}}

A withdrawn document (its seed removed; :func:`publish.build.store.tombstone`)
stays as a tombstone for ever, so the OAI-PMH provider can say it was deleted.
``collections`` is there once a collection output (:data:`publish.formats.COLLECTIONS`)
has been built. Concurrent builds (``make -j``, two shells) may share
``dist/``: the manifest is re-read, merged and rewritten under an exclusive
lock (``dist/.manifest.lock``, ``flock(2)``), so no build loses another's records.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
from collections.abc import Iterator
from pathlib import Path

from publish.fileio import atomic_write
from publish.layout import Layout, file_sha256
from publish.log import LOGGER

FORMAT = 2


def empty() -> dict:
    return {"format": FORMAT, "documents": {}}


def load_manifest(layout: Layout) -> dict:
    """The manifest of the last build, or an empty one."""
    path = layout.manifest
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty()
    except (OSError, ValueError) as error:
        LOGGER.warning("%s: unreadable (%s); every document will be rebuilt", path, error)
        return empty()
    if not isinstance(data, dict) or not isinstance(data.get("documents"), dict):
        return empty()
    return data


@dataclasses.dataclass(frozen=True)
class FixityFailure:
    """A file that is not the bytes the build wrote: missing, or another SHA-256 than recorded."""

    path: Path
    recorded: str
    actual: str | None  # None: the file is gone

    def message(self) -> str:
        if self.actual is None:
            return f"{self.path}: missing; the build recorded SHA-256 {self.recorded}"
        return (f"{self.path}: SHA-256 {self.actual} is not the {self.recorded} the build recorded "
                "when it wrote it: the file changed since (rebuild it with publish build --force)")


def fixity_failures(layout: Layout, identifier: str, record: object) -> list[FixityFailure]:
    """Each output of a document whose bytes differ from the SHA-256 its record holds (a hand-over check)."""
    if not isinstance(record, dict) or record.get("deleted"):
        return []
    failures = []
    for kind, recorded in sorted((record.get("outputs") or {}).items()):
        path = layout.output(kind, identifier)
        try:
            actual = file_sha256(path)
        except FileNotFoundError:
            failures.append(FixityFailure(path, recorded, None))
            continue
        if actual != recorded:
            failures.append(FixityFailure(path, recorded, actual))
    return failures


def document_epoch(documents: dict, identifier: str) -> int | None:
    """The date a document's outputs were built with (its ``source_date_epoch``), if recorded."""
    record = documents.get(identifier)
    epoch = record.get("source_date_epoch") if isinstance(record, dict) else None
    return epoch if isinstance(epoch, int) else None


@contextlib.contextmanager
def manifest_lock(layout: Layout) -> Iterator[None]:
    """Hold the exclusive lock on ``dist/``'s manifest (``flock(2)``; released on exit or crash)."""
    layout.dist.mkdir(parents=True, exist_ok=True)
    with open(layout.manifest_lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def update_manifest(layout: Layout, changes: dict[str, dict | None],
                    collections: dict[str, dict] | None = None) -> None:
    """Merge ``changes`` (id → record, or ``None`` to drop) and collection records, under the lock."""
    with manifest_lock(layout):
        old = load_manifest(layout)
        documents = old["documents"]
        for identifier, entry in changes.items():
            if entry is None:
                documents.pop(identifier, None)
            else:
                documents[identifier] = entry
        data = {"format": FORMAT, "documents": dict(sorted(documents.items()))}
        merged = dict(old.get("collections") or {}, **(collections or {}))
        if merged:
            data["collections"] = dict(sorted(merged.items()))
        atomic_write(layout.manifest, (json.dumps(data, indent=1) + "\n").encode())
