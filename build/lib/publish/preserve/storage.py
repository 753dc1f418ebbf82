"""The OCFL 1.1 storage root: its declaration, its layout (extension 0004) and its work area.

OCFL 1.1 §4.1 (storage root): the root holds the NAMASTE declaration
``0=ocfl_1.1``, ``ocfl_layout.json`` naming the storage layout, and an
``extensions/`` folder with one folder per extension. The layout is OCFL
Community Extension 0004, *Hashed N-tuple Storage Layout*: an object's id,
UTF-8 encoded, is hashed (sha256), and the lowercase hex digest is cut into
``numberOfTuples`` folders of ``tupleSize`` characters, inside which the
object root is named by the whole digest. Its parameters are read from
``extensions/0004-hashed-n-tuple-storage-layout/config.json``, so a root made
with other values is read as it says.

A new root is made whole in a temporary folder beside it and renamed into
place. While ``publish preserve`` writes, it holds ``flock(2)`` on the root
folder, so two runs never stage into one root at once, and it stages under
``extensions/publish-work/``: inside the root, so every move into place is a
rename within one file system. The work folder is emptied at the start of a
run (what a killed run left) and removed at its end, so a finished root holds
only what the specification names.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from publish.errors import DepositError
from publish.fileio import remove_tree

SPEC = "ocfl_1.1"
ROOT_DECLARATION = f"0={SPEC}"
OBJECT_DECLARATION = "0=ocfl_object_1.1"
LAYOUT_FILE = "ocfl_layout.json"
EXTENSIONS = "extensions"
LAYOUT_EXTENSION = "0004-hashed-n-tuple-storage-layout"
LAYOUT_DESCRIPTION = ("OCFL object identifiers are hashed and encoded as lowercase hex strings. These "
                      "digests are then divided into N n-tuple segments, which are used to create nested "
                      "paths under the OCFL storage root.")
#: The extension's defaults (Extension 0004, "Parameters"), written out in full.
LAYOUT_CONFIG = {"extensionName": LAYOUT_EXTENSION, "digestAlgorithm": "sha256", "tupleSize": 3,
                 "numberOfTuples": 3, "shortObjectRoot": False}
#: Not a registered extension: publish's staging folder, present only while a run writes.
WORK = "publish-work"


def json_bytes(value: dict) -> bytes:
    """JSON as publish writes it in a store: sorted keys, two-space indent, UTF-8, final newline."""
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def namaste(name: str) -> bytes:
    """The content of a NAMASTE declaration file ``0=<name>``: the name and a newline (OCFL 1.1 §3.1)."""
    return f"{name.removeprefix('0=')}\n".encode()


@dataclasses.dataclass(frozen=True)
class StorageRoot:
    """An OCFL storage root laid out by extension 0004."""

    path: Path
    layout: dict

    @classmethod
    def open(cls, path: Path) -> StorageRoot:
        """Read an existing root; refuse anything that is not an OCFL 1.1 root with layout 0004."""
        path = Path(path)
        declaration = path / ROOT_DECLARATION
        if not declaration.is_file() or declaration.read_bytes() != namaste(SPEC):
            raise DepositError(f"not an OCFL 1.1 storage root (no valid {ROOT_DECLARATION})", path)
        try:
            layout = json.loads((path / LAYOUT_FILE).read_bytes())
            config = json.loads((path / EXTENSIONS / LAYOUT_EXTENSION / "config.json").read_bytes())
        except (OSError, ValueError) as error:
            raise DepositError(f"the storage layout cannot be read: {error}", path) from None
        if layout.get("extension") != LAYOUT_EXTENSION or config.get("extensionName") != LAYOUT_EXTENSION:
            raise DepositError(f"the storage root is not laid out by {LAYOUT_EXTENSION}", path)
        return cls(path, {**LAYOUT_CONFIG, **config})

    @classmethod
    def create(cls, path: Path) -> StorageRoot:
        """Open the root at ``path``, first making it (whole, in one rename) if it is absent or empty."""
        path = Path(path)
        if path.is_dir() and any(path.iterdir()):
            return cls.open(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
        try:
            (scratch / ROOT_DECLARATION).write_bytes(namaste(SPEC))
            (scratch / LAYOUT_FILE).write_bytes(json_bytes({"extension": LAYOUT_EXTENSION,
                                                            "description": LAYOUT_DESCRIPTION}))
            (scratch / EXTENSIONS / LAYOUT_EXTENSION).mkdir(parents=True)
            (scratch / EXTENSIONS / LAYOUT_EXTENSION / "config.json").write_bytes(json_bytes(LAYOUT_CONFIG))
            os.chmod(scratch, 0o755)
            # rename(2) replaces an empty folder and fails on a full one: another run made it first.
            with contextlib.suppress(OSError):
                os.rename(scratch, path)
        finally:
            remove_tree(scratch)
        return cls.open(path)

    def object_path(self, identifier: str) -> Path:
        """Where the object ``identifier`` lives (Extension 0004, "Procedure")."""
        digest = hashlib.new(self.layout["digestAlgorithm"], identifier.encode("utf-8")).hexdigest()
        size, count = int(self.layout["tupleSize"]), int(self.layout["numberOfTuples"])
        tuples = [digest[i * size:(i + 1) * size] for i in range(count)]
        name = digest[size * count:] if self.layout["shortObjectRoot"] else digest
        return self.path.joinpath(*tuples, name)

    def objects(self) -> list[Path]:
        """Every object root under the storage root (a folder holding the object declaration), sorted."""
        found = []
        for folder, dirs, files in os.walk(self.path):
            if Path(folder) == self.path:
                dirs[:] = [d for d in dirs if d != EXTENSIONS]
            if OBJECT_DECLARATION in files:
                found.append(Path(folder))
                dirs[:] = []
            dirs.sort()
        return sorted(found)

    @property
    def work(self) -> Path:
        return self.path / EXTENSIONS / WORK

    @contextlib.contextmanager
    def writing(self) -> Iterator[Path]:
        """Hold the root's lock and yield an empty work folder; remove it afterwards."""
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            remove_tree(self.work)  # whatever a killed run left: never visible, never needed
            self.work.mkdir()
            try:
                yield self.work
            finally:
                remove_tree(self.work)
        finally:
            os.close(fd)
