"""``publish preserve --show`` and ``--extract``: read an object's versions back (OCFL 1.1 §3.5.3).

A version's files are its ``state``: each logical path names a sha512, and the
manifest names where those bytes are stored (possibly in an earlier version).
Extraction checks every file's sha512 as it copies it, writes into a
temporary folder beside the destination and renames it into place, so the
destination holds the whole version or nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
from pathlib import Path

from publish.errors import DepositError, UsageError
from publish.fileio import remove_tree
from publish.preserve.inventory import content_path, read_inventory, state_paths
from publish.preserve.storage import StorageRoot


@dataclasses.dataclass(frozen=True)
class VersionSummary:
    """One line of ``--show``: a version, its date, message and user, and what it stored."""

    name: str
    created: str
    message: str
    user: str
    files: int
    stored: int


def object_id(identifier: str) -> str:
    """The object id of a document id (its ``urn:uuid``, as the TEI header makes it), or a URN as given."""
    if identifier.startswith("urn:"):
        return identifier
    from publish.tei.header import document_urn  # the header module imports lxml; only now
    return document_urn(identifier)


def find_object(root: Path, identifier: str) -> tuple[Path, dict]:
    """The object of a document id or URN in the root, and its inventory."""
    urn = object_id(identifier)
    folder = StorageRoot.open(root).object_path(urn)
    if not folder.is_dir():
        raise DepositError(f"no OCFL object for {identifier} ({urn}) in this storage root", root)
    return folder, read_inventory(folder)


def versions(root: Path, identifier: str) -> tuple[str, list[VersionSummary]]:
    """The object's id and a summary of each of its versions, oldest first."""
    _folder, inventory = find_object(root, identifier)
    summaries = []
    for name, version in sorted(inventory["versions"].items(), key=lambda item: int(item[0][1:])):
        stored = sum(1 for paths in inventory["manifest"].values() for p in paths
                     if p.startswith(f"{name}/"))
        user = version.get("user", {})
        summaries.append(VersionSummary(name, version["created"], version.get("message", ""),
                                        f"{user.get('name', '')} <{user.get('address', '')}>",
                                        sum(len(p) for p in version["state"].values()), stored))
    return inventory["id"], summaries


def extract(root: Path, identifier: str, version: str, destination: Path) -> list[str]:
    """Write the files of ``version`` into ``destination``, byte for byte; return their paths."""
    destination = Path(destination)
    if destination.exists() and not (destination.is_dir() and not any(destination.iterdir())):
        raise UsageError("refusing to extract into an existing file or a folder that is not empty",
                         destination)
    folder, inventory = find_object(root, identifier)
    if version not in inventory["versions"]:
        raise UsageError(f"{inventory['id']} has no version {version} "
                         f"(versions: {', '.join(inventory['versions'])})")
    destination.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent))
    try:
        state = state_paths(inventory, version)
        for logical, digest in sorted(state.items()):
            copy_checked(folder / content_path(inventory, digest), scratch / logical, digest)
        os.chmod(scratch, 0o755)
        os.rename(scratch, destination)  # replaces an empty folder; the version appears whole
    finally:
        remove_tree(scratch)
    return sorted(state)


def copy_checked(source: Path, target: Path, sha512: str) -> None:
    """Copy one stored file, refusing if its bytes no longer have the digest the inventory records."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha512()
    with open(source, "rb") as reader, open(target, "xb") as writer:
        for block in iter(lambda: reader.read(1 << 20), b""):
            digest.update(block)
            writer.write(block)
    if digest.hexdigest() != sha512:
        raise DepositError("stored file changed: its sha512 differs from the manifest; "
                           "run `publish verify` on the object", source)
