"""OCFL 1.1 inventories: what an object holds, version by version (OCFL 1.1 §3.5).

An inventory is built here as a plain dict and written by
:func:`publish.preserve.storage.json_bytes` (sorted keys, fixed indent), so
the same versions give the same bytes. Content is addressed by sha512
(``digestAlgorithm``, §3.5.1); the ``fixity`` block (§3.5.4) adds the sha256
of every content file, the digest the TEI header, the bag manifests and the
PREMIS record use. Content paths are ``vN/content/<logical path>``: a file is
stored in the version that first holds its bytes and referenced by digest
from every later version's ``state`` (forward delta, §3.5.3.1).
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
from pathlib import Path

from publish.errors import DepositError
from publish.preserve.storage import json_bytes

INVENTORY = "inventory.json"
ALGORITHM = "sha512"
FIXITY = "sha256"
SIDECAR = f"{INVENTORY}.{ALGORITHM}"
TYPE = "https://ocfl.io/1.1/spec/#inventory"
CONTENT = "content"


@dataclasses.dataclass(frozen=True)
class Content:
    """One logical file of a new version: where its bytes are now, and their digests."""

    logical: str
    path: Path
    sha512: str
    sha256: str

    @classmethod
    def read(cls, logical: str, path: Path) -> Content:
        with open(path, "rb") as data:
            sha512, sha256 = hashlib.sha512(), hashlib.sha256()
            for block in iter(lambda: data.read(1 << 20), b""):
                sha512.update(block)
                sha256.update(block)
        return cls(logical, Path(path), sha512.hexdigest(), sha256.hexdigest())


@dataclasses.dataclass(frozen=True)
class User:
    """The agent a version names (§3.5.3.1 ``user``): a name and a URI, ``mailto:`` or other."""

    name: str
    address: str


def version_name(number: int) -> str:
    """``v1``, ``v2``, …: version directories are not zero-padded (§3.3)."""
    return f"v{number}"


def next_version(previous: dict | None, identifier: str, files: list[Content], created: str,
                 message: str, user: User) -> tuple[dict, dict[str, Content]]:
    """The inventory with one more version, and the files that version must store.

    ``files`` is the whole new state. A file whose sha512 the manifest already
    lists is not stored again; the returned mapping is content path → file for
    the rest, one copy per distinct digest.
    """
    inventory = copy.deepcopy(previous) if previous else {
        "digestAlgorithm": ALGORITHM, "fixity": {FIXITY: {}}, "id": identifier, "manifest": {},
        "type": TYPE, "versions": {}}
    version = version_name(len(inventory["versions"]) + 1)
    fixity = inventory.setdefault("fixity", {}).setdefault(FIXITY, {})
    state: dict[str, list[str]] = {}
    stored: dict[str, Content] = {}
    for item in sorted(files, key=lambda f: f.logical):
        state.setdefault(item.sha512, []).append(item.logical)
        if item.sha512 in inventory["manifest"]:
            continue
        content_path = f"{version}/{CONTENT}/{item.logical}"
        inventory["manifest"][item.sha512] = [content_path]
        fixity.setdefault(item.sha256, []).append(content_path)
        stored[content_path] = item
    inventory["versions"][version] = {"created": created, "message": message, "state": state,
                                      "user": {"name": user.name, "address": user.address}}
    inventory["head"] = version
    for paths in fixity.values():
        paths.sort()
    return inventory, stored


def sidecar_bytes(inventory_bytes: bytes) -> bytes:
    """The inventory digest file: the hex sha512, one space, ``inventory.json`` (§3.5.6)."""
    return f"{hashlib.sha512(inventory_bytes).hexdigest()} {INVENTORY}\n".encode()


def inventory_files(inventory: dict) -> dict[str, bytes]:
    """``inventory.json`` and its sidecar, as bytes."""
    data = json_bytes(inventory)
    return {INVENTORY: data, SIDECAR: sidecar_bytes(data)}


def read_inventory(folder: Path) -> dict:
    """The inventory in ``folder`` (an object root or a version), checked against its sidecar."""
    try:
        data = (folder / INVENTORY).read_bytes()
        recorded = (folder / SIDECAR).read_text(encoding="utf-8").split()
    except OSError as error:
        raise DepositError(f"cannot read the inventory: {error.strerror}", folder / INVENTORY) from None
    if not recorded or recorded[0].lower() != hashlib.sha512(data).hexdigest():
        raise DepositError(f"{INVENTORY} does not match its {SIDECAR}; run `publish verify`", folder)
    try:
        return json.loads(data)
    except ValueError as error:
        raise DepositError(f"{INVENTORY} is not JSON: {error}", folder) from None


def state_paths(inventory: dict, version: str | None = None) -> dict[str, str]:
    """Logical path → sha512 in a version's state (default: the head)."""
    state = inventory["versions"][version or inventory["head"]]["state"]
    return {path: digest for digest, paths in state.items() for path in paths}


def content_path(inventory: dict, digest: str) -> str:
    """The stored copy of the content with this digest."""
    return inventory["manifest"][digest][0]
