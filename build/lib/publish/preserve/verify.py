"""``publish verify`` for OCFL: is an object, or every object of a storage root, whole (OCFL 1.1 §3, §4)?

Every problem is named, one line each, as for bags:

* ``changed``: a content file whose sha512 differs from the manifest (or its
  sha256 from the fixity block), or an inventory its sidecar contradicts;
* ``missing``: a file the manifest lists, a version the inventory names, or
  an inventory, that is absent;
* ``unlisted``: a file in a content directory that no manifest lists, or an
  entry an object root or the storage hierarchy may not hold.

This is a fixity and completeness check, not a full validator: the tests run
ocfl-py's validator on what publish writes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from publish.errors import DepositError
from publish.preserve.inventory import ALGORITHM, CONTENT, FIXITY, INVENTORY, SIDECAR
from publish.preserve.storage import EXTENSIONS, OBJECT_DECLARATION, ROOT_DECLARATION, StorageRoot, namaste

ROOT_FILES = {OBJECT_DECLARATION, INVENTORY, SIDECAR, EXTENSIONS}


def is_ocfl(path: Path) -> bool:
    """Whether ``path`` is an OCFL storage root or object (it holds a NAMASTE declaration)."""
    return (path / ROOT_DECLARATION).is_file() or (path / OBJECT_DECLARATION).is_file()


def verify_ocfl(path: Path) -> list[str]:
    """The problems of an OCFL storage root or object; empty means whole."""
    path = Path(path)
    if (path / OBJECT_DECLARATION).is_file():
        return verify_object(path)
    try:
        root = StorageRoot.open(path)
    except DepositError as error:
        return [error.message]
    problems = []
    for folder, dirs, files in os.walk(path):
        here = Path(folder)
        if here == path:
            dirs[:] = sorted(d for d in dirs if d != EXTENSIONS)
            continue
        name = here.relative_to(path).as_posix()
        if OBJECT_DECLARATION in files:
            dirs[:] = []
            problems += [f"{name}/{problem}" for problem in verify_object(here)]
            problems += misplaced(root, here, name)
        elif files:
            problems += [f"{name}/{file}: unlisted (a file in the storage hierarchy outside any object)"
                         for file in sorted(files)]
        elif not dirs:
            problems.append(f"{name}: an empty folder in the storage hierarchy")
        dirs.sort()
    return problems


def misplaced(root: StorageRoot, folder: Path, name: str) -> list[str]:
    """An object whose id the layout puts elsewhere."""
    try:
        identifier = json.loads((folder / INVENTORY).read_bytes())["id"]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # verify_object has said why
    expected = root.object_path(identifier)
    if expected != folder:
        return [f"{name}: misplaced (the storage layout puts {identifier} at "
                f"{expected.relative_to(root.path).as_posix()})"]
    return []


def verify_object(folder: Path) -> list[str]:
    """Every changed, missing and unlisted file of one OCFL object."""
    declaration = folder / OBJECT_DECLARATION
    problems = [] if declaration.read_bytes() == namaste(OBJECT_DECLARATION) else [
        f"{OBJECT_DECLARATION}: changed (its content must be ocfl_object_1.1 and a newline)"]
    problems += inventory_problems(folder, "")
    try:
        inventory = json.loads((folder / INVENTORY).read_bytes())
        manifest, head = inventory["manifest"], inventory["head"]
        names = set(inventory["versions"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        return problems + [f"{INVENTORY}: cannot be read ({type(error).__name__}: {error})"]
    for entry in sorted(os.listdir(folder)):
        if entry not in ROOT_FILES and entry not in names:
            problems.append(f"{entry}: unlisted (not a version the inventory names)")
    for name in sorted(names, key=lambda v: int(v[1:])):
        if not (folder / name).is_dir():
            problems.append(f"{name}: missing (the inventory names this version)")
            continue
        problems += inventory_problems(folder / name, f"{name}/")
        for entry in sorted(os.listdir(folder / name)):
            if entry not in (INVENTORY, SIDECAR, CONTENT):
                problems.append(f"{name}/{entry}: unlisted (a version holds only its inventory and content)")
    head_inventory = folder / head / INVENTORY
    if head_inventory.is_file() and head_inventory.read_bytes() != (folder / INVENTORY).read_bytes():
        problems.append(f"{head}/{INVENTORY}: changed (differs from the root {INVENTORY})")
    return problems + content_problems(folder, manifest, inventory.get("fixity", {}).get(FIXITY, {}), names)


def inventory_problems(folder: Path, prefix: str) -> list[str]:
    """An inventory and its sidecar: both present, and the sidecar's sha512 right."""
    inventory, sidecar = folder / INVENTORY, folder / SIDECAR
    for path in (inventory, sidecar):
        if not path.is_file():
            return [f"{prefix}{path.name}: missing"]
    recorded = sidecar.read_text(encoding="utf-8", errors="replace").split()
    if not recorded or recorded[0].lower() != hashlib.sha512(inventory.read_bytes()).hexdigest():
        return [f"{prefix}{INVENTORY}: changed (its sha512 differs from {SIDECAR})"]
    return []


def content_problems(folder: Path, manifest: dict, fixity: dict, versions: set[str]) -> list[str]:
    """Manifest entries changed or missing, and content files no manifest lists."""
    sha256_of = {path: digest for digest, paths in fixity.items() for path in paths}
    listed = {path: digest for digest, paths in manifest.items() for path in paths}
    problems = []
    for path, digest in sorted(listed.items()):
        file = folder / path
        if not file.is_file():
            problems.append(f"{path}: missing (listed in the manifest)")
            continue
        found = file_digests(file)
        differs = [f"{ALGORITHM} differs from the manifest"] if found[ALGORITHM] != digest.lower() else []
        if path in sha256_of and found[FIXITY] != sha256_of[path].lower():
            differs.append(f"{FIXITY} differs from the fixity block")
        if differs:
            problems.append(f"{path}: changed ({', '.join(differs)})")
    for name in sorted(versions):
        content = folder / name / CONTENT
        for file in sorted(p for p in content.rglob("*") if p.is_file()) if content.is_dir() else []:
            path = file.relative_to(folder).as_posix()
            if path not in listed:
                problems.append(f"{path}: unlisted (in {name}/{CONTENT} but not in the manifest)")
    return problems


def file_digests(path: Path) -> dict[str, str]:
    """sha512 and sha256 of a file, read once."""
    hashers = {ALGORITHM: hashlib.sha512(), FIXITY: hashlib.sha256()}
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            for hasher in hashers.values():
                hasher.update(block)
    return {name: hasher.hexdigest() for name, hasher in hashers.items()}
