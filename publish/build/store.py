"""The one place a document's outputs are written into ``dist/``, and removed.

A published document whose rebuild fails keeps its last good outputs and
record (:func:`store`), so its site page, feeds and OAI-PMH record stay.

Every file is written atomically (:func:`publish.fileio.atomic_write`): a
temporary file beside it, then ``os.replace``. A master's images are written
before the master, so a master on disk never names an image that is not
there yet.

A document whose seed was removed becomes a **tombstone** (:func:`tombstone`):
its record says ``"deleted": true`` and when, so the OAI-PMH provider serves it
as deleted for ever (OAI-PMH 2.0 §2.5.1, ``deletedRecord=persistent``); its
editions leave ``dist/`` (the site and the feeds no longer show it), and its
bag in ``dist/deposit/`` is kept, as is anything an archive holds.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from publish.build.job import ASSET_PREFIX, Rendered
from publish.build.plan import Outcome, merged_entry, same_sources
from publish.errors import WriteError
from publish.fileio import atomic_write
from publish.formats import kinds
from publish.layout import Layout
from publish.log import LOGGER


def write_beside(path: Path, data: bytes, assets: dict[str, bytes]) -> dict[str, str]:
    """Write a master's images (by URL, relative to ``path``), then the master; their digests.

    Used by the build and by ``publish normalise -o``.
    """
    digests = {}
    for url, image in sorted(assets.items()):
        atomic_write(path.parent / url, image)
        digests[url] = hashlib.sha256(image).hexdigest()
    atomic_write(path, data)
    return digests


def write_outputs(layout: Layout, identifier: str, files: dict[str, bytes], old: dict | None = None):
    """Write a document's outputs; return their digests and those of its assets.

    An output whose bytes equal what ``old`` (the document's previous record)
    lists and which is on disk is left untouched, so a build that retries one
    failed edition does not rewrite the others. Asset digests are keyed by
    name inside the asset folder, as the manifest records them.
    """
    recorded = (old or {}).get("outputs") or {}
    assets = {key.removeprefix(ASSET_PREFIX): data for key, data in files.items()
              if key.startswith(ASSET_PREFIX)}
    written = {kind: hashlib.sha256(data).hexdigest() for kind, data in files.items()
               if not kind.startswith(ASSET_PREFIX)}
    folder = layout.assets(identifier).name + "/"
    master = layout.master(identifier)
    if recorded.get("tei") == written["tei"] and master.is_file() and all(
            (master.parent / url).is_file() for url in assets):
        by_url = {url: hashlib.sha256(data).hexdigest() for url, data in assets.items()}
    else:
        by_url = write_beside(master, files["tei"], assets)
    for kind, data in files.items():
        if kind == "tei" or kind.startswith(ASSET_PREFIX):
            continue
        path = layout.output(kind, identifier)
        if recorded.get(kind) != written[kind] or not path.is_file():
            atomic_write(path, data)
    return written, {url.removeprefix(folder): digest for url, digest in sorted(by_url.items())}


def store(rendered: Rendered, current: dict, entries: dict, layout: Layout,
          changes: dict) -> Outcome:
    """Write a document's outputs and record it.

    A document that was published before and now fails, wholly or in one
    edition (a corrupt upload, say), keeps its last good outputs and record
    untouched: a failed rebuild never unpublishes. The build still fails,
    naming it, and the next build tries the new sources again. A document never
    built before keeps what it made (a partial build) or nothing.
    """
    identifier = rendered.identifier
    if unpublishes(rendered, entries.get(identifier), current):
        return kept(rendered, current)
    if not rendered.reason:
        try:
            written, assets = write_outputs(layout, identifier, rendered.files, entries.get(identifier))
        except WriteError as error:  # no space left, say: named, and the document is not recorded
            rendered = dataclasses.replace(rendered, reason=error.one_line(), exit_code=WriteError.exit_code)
        else:
            failed = [kind for kind, _reason, _code in rendered.failed]
            entry, stale = merged_entry(entries.get(identifier), current, written, failed)
            entry["assets"] = assets
            remove_outputs(layout, identifier, stale)
            remove_assets(layout, identifier, keep=assets)
            changes[identifier] = entries[identifier] = entry
            if rendered.failed:  # the master and the other editions are kept; these are retried
                return Outcome(identifier, "partial", current["seed"],
                               "; ".join(reason for _kind, reason, _code in rendered.failed),
                               max(code for _kind, _reason, code in rendered.failed), rendered.seconds)
            return Outcome(identifier, "built", current["seed"], seconds=rendered.seconds)
    forget(layout, identifier, entries, changes)
    return Outcome(identifier, "failed", current["seed"], rendered.reason, rendered.exit_code,
                   rendered.seconds)


def unpublishes(rendered: Rendered, old: object, current: dict) -> bool:
    """Whether storing this failed (or partly failed) result would take a published build away.

    A whole failure would remove it; a failed edition would remove its good
    predecessor, or stand a new master beside editions of the old one. Retrying
    an edition that has never been made (the same sources) takes nothing away.
    """
    if not (isinstance(old, dict) and not old.get("deleted") and old.get("outputs")):
        return False
    if rendered.reason:
        return True
    failed = {kind for kind, _why, _code in rendered.failed}
    return bool(failed) and (bool(failed & set(old["outputs"])) or not same_sources(old, current))


def kept(rendered: Rendered, current: dict) -> Outcome:
    """A failed rebuild of a published document: its reason, and the last good build kept."""
    reasons = [rendered.reason] if rendered.reason else [why for _kind, why, _code in rendered.failed]
    code = rendered.exit_code or max((c for _kind, _why, c in rendered.failed), default=0)
    return Outcome(rendered.identifier, "failed", current["seed"],
                   "; ".join(reasons) + " (the last good build is kept)", code, rendered.seconds)


def forget(layout: Layout, identifier: str, entries: dict, changes: dict) -> None:
    """Remove every output of a failed document and drop its record, so the next build retries it."""
    remove_outputs(layout, identifier, kinds())
    remove_assets(layout, identifier)
    entries.pop(identifier, None)
    changes[identifier] = None


def remove_outputs(layout: Layout, identifier: str, output_kinds) -> None:
    """Delete a document's outputs of these kinds, if present."""
    for kind in output_kinds:
        layout.output(kind, identifier).unlink(missing_ok=True)


def remove_assets(layout: Layout, identifier: str, keep: dict | None = None) -> None:
    """Delete a document's assets other than those in ``keep``, and the folder if left empty."""
    folder = layout.assets(identifier)
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(folder).as_posix() not in (keep or {}):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if not any(folder.iterdir()):
        folder.rmdir()


def tombstone(layout: Layout, identifier: str, old: dict, when: int) -> dict:
    """The record of a withdrawn document, after removing its editions and assets.

    It keeps what the document was (seed name and digests) and its collection,
    read from the master before the master goes, so the deleted header still
    names its set (OAI-PMH 2.0 §2.5.1).
    """
    collection = None
    master = layout.master(identifier)
    if "tei" in (old.get("outputs") or {}) and master.is_file():
        from publish.collection import collection_name, read_header  # lxml: only for a removal

        try:
            collection = collection_name(read_header(master))
        except (OSError, ValueError) as error:
            LOGGER.warning("%s: cannot read its collection for the tombstone (%s)", master, error)
    remove_outputs(layout, identifier, kinds())
    remove_assets(layout, identifier)
    return {"deleted": True, "changed": when, "seed": old.get("seed"),
            "input_sha256": old.get("input_sha256"), "sidecar_sha256": old.get("sidecar_sha256"),
            "collection": collection}
