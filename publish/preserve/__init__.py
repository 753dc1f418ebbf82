"""``publish preserve``: keep every version of each document as an OCFL 1.1 object.

The storage root (default ``dist/ocfl/``) is laid out by OCFL Community
Extension 0004 (:mod:`publish.preserve.storage`); each document is one
object whose id is its ``urn:uuid`` from the TEI ``publicationStmt``. A
version holds what its bag holds, under the same names without ``data/``:
``source/`` (the seed and its sidecar), one folder per row of
:data:`publish.formats.FORMATS` and ``metadata/premis.xml``. Inputs are
checked and the PREMIS record made by the deposit's own code
(:mod:`publish.deposit.package`), so preserve refuses exactly what deposit
refuses, with :class:`publish.errors.DepositError` (exit 74).

A document whose source, sidecar and outputs are byte for byte those of its
object's head adds no version (and is not re-validated). Otherwise the new
version stores only the files whose sha512 the object lacks
(:mod:`publish.preserve.inventory`), dated by ``SOURCE_DATE_EPOCH`` (else by the
document's own date, :mod:`publish.build.dates`), with a
message saying what changed and the user of ``publish.toml``
(:mod:`publish.preserve.config`), and it becomes visible in one rename
(:mod:`publish.preserve.version`). Objects of removed seeds are kept.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from publish import __version__
from publish.build.manifest import document_epoch, fixity_failures, load_manifest
from publish.deposit import package
from publish.deposit.provenance import Event, Tool
from publish.errors import DepositError, PublishError
from publish.fileio import remove_tree
from publish.layout import Layout, find_seeds
from publish.normalise import seed_suffixes
from publish.options import Options
from publish.preserve.inventory import Content, User, next_version, read_inventory, state_paths
from publish.preserve.storage import StorageRoot
from publish.preserve.version import commit, copy_synced, describe, write_synced
from publish.tei import first_text, parse_file


@dataclasses.dataclass(frozen=True)
class Preserved:
    """What preserving one document did: the object, its head, and what was stored."""

    identifier: str
    urn: str
    path: Path
    head: str
    added: bool
    message: str = ""
    stored_files: int = 0
    stored_bytes: int = 0


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One document: preserved, or refused and why."""

    identifier: str
    preserved: Preserved | None = None
    error: PublishError | None = None


def preserve_all(identifiers: list[str], seeds_dir: Path, dist: Path, root: Path, user: User,
                 options: Options) -> list[Outcome]:
    """Preserve each document (default: every seed); a refusal does not stop the others."""
    identifiers = list(identifiers) or [seed.stem for seed in find_seeds(Layout(seeds=seeds_dir), seed_suffixes)]
    layout = Layout(seeds=seeds_dir, dist=dist)
    records = load_manifest(layout)["documents"]
    # One batch of checks (one EPUBCheck JVM per core, one Ace browser) for every
    # document, so each new version's checks come from the cache.
    package.check_outputs(layout, identifiers, options)
    store = StorageRoot.create(root)
    outcomes = []
    with store.writing() as work:
        for identifier in identifiers:
            # A missing output is refused later, by name, where the inputs are found.
            failures = [f for f in fixity_failures(layout, identifier, records.get(identifier)) if f.actual is not None]
            if failures:  # a hand-over: only the bytes the build wrote and recorded are preserved
                outcomes.append(Outcome(identifier, error=DepositError(
                    f"preservation refused: {failures[0].message()}")))
                continue
            try:
                outcomes.append(Outcome(identifier, preserve_document(
                    identifier, seeds_dir, dist, store, work, user,
                    options.dated(document_epoch(records, identifier)))))
            except PublishError as error:
                outcomes.append(Outcome(identifier, error=error))
    return outcomes


def preserve_document(identifier: str, seeds_dir: Path, dist: Path, store: StorageRoot, work: Path,
                      user: User, options: Options) -> Preserved:
    """Add a version to the document's object if anything changed; refuse as deposit does."""
    inputs = package.find_inputs(identifier, find_seeds(Layout(seeds=seeds_dir), seed_suffixes), dist)
    urn = first_text(parse_file(inputs.tei), "//tei:publicationStmt/tei:idno[@type='URN']")
    if not urn:
        raise DepositError("preservation refused: the TEI's publicationStmt has no URN idno", inputs.tei)
    final = store.object_path(urn)
    previous = read_inventory(final) if final.is_dir() else None
    if previous is not None and previous.get("id") != urn:
        raise DepositError(f"preservation refused: the object here is {previous.get('id')}, not {urn}",
                           final)
    before = state_paths(previous) if previous else None
    now = {name: Content.read(name, path).sha512 for name, path, _role, _media in inputs.payload("")}
    if before is not None and {k: v for k, v in before.items() if k != package.PREMIS_NAME} == now:
        return Preserved(identifier, urn, final, previous["head"], added=False)

    checked = package.check_document(identifier, seeds_dir, dist, options, prefix="")
    payload = work / identifier
    files, contents = [], []
    for name, path, role, media_type in checked.inputs.payload(""):
        copy_synced(path, payload / name)
        files.append(package.payload_file(name, payload / name, role, media_type, checked.tei))
        contents.append(Content.read(name, payload / name))
    version = f"v{len(previous['versions']) + 1 if previous else 1}"
    record = package.provenance_record(checked, files, ingestion(urn, version, options))
    write_synced(payload / package.PREMIS_NAME, record)
    contents.append(Content.read(package.PREMIS_NAME, payload / package.PREMIS_NAME))
    message = describe(before, {item.logical: item.sha512 for item in contents})
    inventory, stored = next_version(previous, urn, contents, options.build_date_iso, message, user)
    commit(store, work, inventory, stored)
    remove_tree(payload)  # the copies of unchanged files: a long run must not keep them all
    return Preserved(identifier, urn, final, inventory["head"], True, message, len(stored),
                     sum((final / path).stat().st_size for path in stored))


def ingestion(urn: str, version: str, options: Options) -> Event:
    """The PREMIS event of adding this version to the store (event type ``ingestion``)."""
    return Event(kind="ingestion", when=options.build_date_iso,
                 detail=f"Version {version} of OCFL 1.1 object {urn}: sha512 inventory digests, "
                        "sha256 fixity, storage layout 0004-hashed-n-tuple-storage-layout.",
                 outcome="success",
                 outcome_note="The version was staged whole and made visible in one rename.",
                 tool=Tool("publish preserve", __version__), outcomes=())
