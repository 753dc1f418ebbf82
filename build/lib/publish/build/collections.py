"""Build the collection outputs (:data:`publish.formats.COLLECTIONS`) after the documents.

Each row's renderer gets a :class:`publish.collection.Collection` (the
manifest's records and every master's header) and returns its files as
``{relative path: bytes}``. A collection is rebuilt only when what it is made
from changed: the manifest's document records, the templates and the publish
version, digested together as ``inputs_sha256``. Only files whose bytes
changed are rewritten (atomically); files it no longer makes are removed. So a
build with nothing to do touches nothing under a collection's folder.
"""

from __future__ import annotations

import hashlib
import json

from publish import __version__
from publish.fileio import atomic_write
from publish.formats import COLLECTIONS, load
from publish.layout import Layout
from publish.log import LOGGER
from publish.options import Options


def inputs_digest(kind: str, documents: dict, templates: str) -> str:
    """What a collection output is made from, as one sha256."""
    data = json.dumps({"kind": kind, "documents": documents, "templates": templates,
                       "publish_version": __version__}, sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()


def build_collections(layout: Layout, wanted: tuple[str, ...], documents: dict, recorded: dict,
                      templates: str, options: Options) -> dict[str, dict]:
    """Build each wanted collection output that is stale; return the new records by kind."""
    built = {}
    collection = None
    for row in COLLECTIONS:
        if row.kind not in wanted:
            continue
        digest = inputs_digest(row.kind, documents, templates)
        old = recorded.get(row.kind) or {}
        folder = layout.collection(row.kind)
        if old.get("inputs_sha256") == digest and all(
                (folder / name).is_file() for name in old.get("files") or {}):
            continue
        if collection is None:
            from publish.collection import read_collection  # lxml: only when one is stale

            collection = read_collection(layout, documents)
        files = load(row.render)(collection, options)
        built[row.kind] = {"inputs_sha256": digest,
                           "files": write_collection(folder, files, old.get("files") or {})}
        LOGGER.info("%s: built %s (%d files)", folder, row.kind, len(files))
    return built


def write_collection(folder, files: dict[str, bytes], old: dict[str, str]) -> dict[str, str]:
    """Write the files whose bytes changed, remove those no longer made; their digests."""
    digests = {}
    for name, data in sorted(files.items()):
        digest = hashlib.sha256(data).hexdigest()
        path = folder / name
        if old.get(name) != digest or not path.is_file():
            atomic_write(path, data)
        digests[name] = digest
    for name in sorted(set(old) - set(files)):
        (folder / name).unlink(missing_ok=True)
    return digests
