"""``publish verify``: is a bag, or its .tar or .zip, complete and valid (RFC 8493 §3)?

An OCFL storage root or object is handed to :mod:`publish.preserve.verify`,
which names its faults the same way. A ``dist/`` folder (one holding the
build's manifest) gets a fixity audit: every output of every live document is
compared with the SHA-256 the build recorded when it wrote it.

bagit-python's ``Bag.validate`` is the verdict, but it stops at the first kind
of failure (a wrong Payload-Oxum hides which file changed), so every entry is
also checked here to name each problem:

* ``changed``: a file's checksum differs from a manifest's;
* ``missing``: a manifest lists a file the bag does not hold;
* ``unlisted``: a payload file no payload manifest lists, or a payload file
  missing from one of the payload manifests.

A serialised bag is unpacked member by member into a temporary folder (see
:mod:`publish.deposit.archive`, which refuses unsafe members) and checked the
same way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import bagit

from publish.build.manifest import fixity_failures, load_manifest
from publish.deposit.archive import is_archive, unpacked
from publish.deposit.bag import quiet_bagit
from publish.errors import DepositError
from publish.layout import Layout
from publish.preserve.verify import is_ocfl, verify_ocfl

#: bagit-python verdicts that add nothing to the itemised problems.
GENERIC_VERDICTS = ("Bag validation failed", "Bag is incomplete")


def verify_path(path: Path) -> list[str]:
    """The problems of a bag folder, .tar or .zip, OCFL root or object, or a dist/ (a fixity audit)."""
    path = Path(path)
    if path.is_dir() and is_ocfl(path):
        return verify_ocfl(path)
    if path.is_dir() and Layout(dist=path).manifest.is_file():
        return audit_dist(Layout(dist=path))
    if path.is_dir():
        return verify_folder(path)
    if path.is_file() and is_archive(path):
        try:
            with unpacked(path) as folder:
                return verify_folder(folder)
        except DepositError as error:
            return [error.message]
    if not path.exists():
        return ["no such bag, .tar, .zip or OCFL folder"]
    return ["not a bag folder, .tar, .zip or OCFL folder"]


def audit_dist(layout: Layout) -> list[str]:
    """A fixity audit of a ``dist/``: every output of every live document against its recorded SHA-256."""
    documents = load_manifest(layout)["documents"]
    return [failure.message() for identifier, record in sorted(documents.items())
            for failure in fixity_failures(layout, identifier, record)]


def verify_folder(folder: Path) -> list[str]:
    """Every missing, unlisted and changed file of a bag folder, then bagit-python's verdict."""
    with quiet_bagit():
        try:
            bag = bagit.Bag(str(folder))
        except bagit.BagError as error:
            return [f"not a valid bag: {error}"]
        problems = missing_and_unlisted(bag) + changed(bag)
        try:
            bag.validate()
        except bagit.BagError as error:
            verdict = getattr(error, "message", "") or str(error)
            if not problems:
                problems.append(f"bagit-python: {error}")
            elif verdict not in GENERIC_VERDICTS:
                problems.append(f"bagit-python: {verdict}")
    return problems


def missing_and_unlisted(bag: bagit.Bag) -> list[str]:
    """Files listed but absent, and payload files some payload manifest does not list."""
    problems = []
    root = Path(bag.path)
    for name in sorted(bag.entries):
        if not (root / name).is_file():
            problems.append(f"{name}: missing (listed in {manifests_listing(bag, name)})")
    listed = {bagit.normalize_unicode(name) for name in bag.payload_entries()}
    payload_algorithms = sorted({alg for name, hashes in bag.payload_entries().items() for alg in hashes})
    for name in sorted(bag.payload_files()):
        if bagit.normalize_unicode(name) not in listed:
            problems.append(f"{name}: unlisted (in data/ but in no payload manifest)")
            continue
        absent = [alg for alg in payload_algorithms if alg not in bag.entries.get(name, {})]
        if absent:
            problems.append(f"{name}: unlisted in " + ", ".join(f"manifest-{a}.txt" for a in absent))
    return problems


def changed(bag: bagit.Bag) -> list[str]:
    """Files whose bytes differ from what a manifest or tag manifest records."""
    problems = []
    root = Path(bag.path)
    for name in sorted(bag.entries):
        path = root / bag.normalized_filesystem_names.get(bagit.normalize_unicode(name), name)
        if not path.is_file():
            continue
        hashes = bag.entries[name]
        found = file_digests(path, sorted(hashes))
        differs = [alg for alg in sorted(hashes) if found.get(alg) != hashes[alg].lower()]
        if differs:
            problems.append(f"{name}: changed ({', '.join(differs)} differ from the manifest)")
    return problems


def manifests_listing(bag: bagit.Bag, name: str) -> str:
    """Which manifest files list ``name``, for the message."""
    prefix = "manifest" if name.startswith("data/") else "tagmanifest"
    return ", ".join(f"{prefix}-{alg}.txt" for alg in sorted(bag.entries[name]))


def file_digests(path: Path, algorithms: list[str]) -> dict[str, str]:
    """Hex digests of a file for each algorithm hashlib knows."""
    hashers = {}
    for algorithm in algorithms:
        try:
            hashers[algorithm] = hashlib.new(algorithm)
        except ValueError:
            continue
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            for hasher in hashers.values():
                hasher.update(block)
    return {alg: hasher.hexdigest() for alg, hasher in hashers.items()}
