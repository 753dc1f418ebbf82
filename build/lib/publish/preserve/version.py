"""A new OCFL object version, staged in the work area and made visible in one rename (OCFL 1.1 §3.3).

An object is valid only when its root ``inventory.json``, that file's sidecar
and its version folders all agree (OCFL 1.1 §3.5.6, §3.1). Writing a version
folder into the object and then replacing the inventory and its sidecar with
``os.replace`` passes through two invalid states: a version folder the
inventory does not name (ocfl-py reports E046b), then an inventory its old
sidecar contradicts (E060). So the whole new object is staged instead: every
file of the current object is hard-linked into the work area (no bytes are
copied), the new version's content and both inventories are written beside
them, and the staged object is swapped with the live one by Linux
``renameat2(RENAME_EXCHANGE)``. At every instant the object's path holds the
old object or the new one, each whole. Where the exchange is not available,
the old object is moved aside first, so the path is for a moment absent but
never invalid. A new object is staged whole, with any of its 0004 tuple
folders that do not exist yet, and renamed into place, so the storage
hierarchy never holds an empty folder either (OCFL 1.1 §4.2).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from publish.deposit.package import PREMIS_NAME
from publish.fileio import exchange, remove_tree
from publish.formats import FORMATS
from publish.layout import SIDECAR_SUFFIX
from publish.preserve.inventory import INVENTORY, SIDECAR, Content, inventory_files
from publish.preserve.storage import OBJECT_DECLARATION, StorageRoot, namaste


def commit(root: StorageRoot, work: Path, inventory: dict, stored: dict[str, Content]) -> Path:
    """Write the version ``inventory["head"]`` of its object; return the object's path.

    The files in ``stored`` must lie in ``work`` (they are moved, not copied).
    """
    final = root.object_path(inventory["id"])
    stage = Path(tempfile.mkdtemp(prefix="object.", dir=work))
    new = stage / "object"
    if final.is_dir():
        mirror(final, new)
    else:
        new.mkdir()
        write_synced(new / OBJECT_DECLARATION, namaste(OBJECT_DECLARATION))
    for content_path, item in sorted(stored.items()):
        target = new / content_path
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(item.path, target)
    for name, data in inventory_files(inventory).items():
        write_synced(new / inventory["head"] / name, data)
        write_synced(new / name, data)
    if final.is_dir():
        swap(new, final, stage)
    else:
        place(new, final, stage)
    sync_folder(final.parent)
    remove_tree(stage)
    return final


def mirror(old: Path, new: Path) -> None:
    """Hard-link every file of the object ``old`` into ``new``, but its root inventory and sidecar."""
    for folder, _dirs, files in os.walk(old):
        here = new / Path(folder).relative_to(old)
        here.mkdir()
        for name in files:
            if here == new and name in (INVENTORY, SIDECAR):
                continue
            try:
                os.link(Path(folder, name), here / name)
            except OSError:  # a file system without hard links: copy instead
                shutil.copy2(Path(folder, name), here / name)


def swap(new: Path, final: Path, stage: Path) -> None:
    """Put the staged object ``new`` at ``final`` in one step; the old one ends up in ``stage``."""
    if exchange(new, final):
        return
    os.rename(final, stage / "old")
    os.rename(new, final)


def place(new: Path, final: Path, stage: Path) -> None:
    """Rename a new object into place, with whichever of its parent tuple folders are missing."""
    top = final
    while not top.parent.exists():
        top = top.parent
    carrier = stage / "tree"
    inside = carrier / final.relative_to(top.parent)
    inside.parent.mkdir(parents=True)
    os.rename(new, inside)
    os.rename(carrier / top.name, top)


def write_synced(path: Path, data: bytes) -> None:
    """Write a new file and flush it to the disk before it can become visible."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def copy_synced(source: Path, target: Path) -> None:
    """Copy a file byte for byte and flush the copy to the disk."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as reader, open(target, "xb") as writer:
        shutil.copyfileobj(reader, writer, 1 << 20)
        writer.flush()
        os.fsync(writer.fileno())


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries, so a rename into it survives a crash of the machine."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- what changed --------------------------------------------------------------

def label(logical: str) -> str:
    """What a logical path is, as a version message names it: source, sidecar, TEI, PDF, …"""
    folder, _, name = logical.partition("/")
    if folder == "source":
        return "sidecar" if name.endswith(SIDECAR_SUFFIX) else "source"
    if logical == PREMIS_NAME:
        return "provenance"
    return next((row.kind.upper() for row in FORMATS if row.folder == folder), folder.upper())


def describe(previous: dict[str, str] | None, current: dict[str, str]) -> str:
    """The version message: what changed since ``previous`` (logical path → sha512), in words.

    "first deposit"; or, e.g., "source corrected; TEI, PDF, EPUB re-rendered".
    The PREMIS record changes with every version and is not named.
    """
    if previous is None:
        return "first deposit"
    changed, added, removed = [], [], []
    for path in sorted(set(previous) | set(current), key=order):
        if path == PREMIS_NAME:
            continue
        if path not in previous:
            added.append(label(path))
        elif path not in current:
            removed.append(label(path))
        elif previous[path] != current[path]:
            changed.append(label(path))
    parts = []
    for what, verb in (("source", "corrected"), ("sidecar", "corrected")):
        if what in changed:
            parts.append(f"{what} {verb}")
        elif what in added and what in removed:
            parts.append(f"{what} replaced")
        elif what in added:
            parts.append(f"{what} added")
        elif what in removed:
            parts.append(f"{what} removed")
    for names, verb in ((changed, "re-rendered"), (added, "added"), (removed, "removed")):
        kinds = [name for name in names if name not in ("source", "sidecar")]
        if kinds:
            parts.append(f"{', '.join(kinds)} {verb}")
    return "; ".join(parts) or "no content changed"


def order(path: str) -> tuple[int, str]:
    """Sources first, then the outputs in FORMATS order, then anything else."""
    folders = ["source", *(row.folder for row in FORMATS)]
    folder = path.partition("/")[0]
    return (folders.index(folder) if folder in folders else len(folders), path)
