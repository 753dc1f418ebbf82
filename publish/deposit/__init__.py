"""``publish deposit``: one BagIt bag (RFC 8493) per document, for an archive's ingest.

``dist/deposit/<id>/`` holds, under ``data/``, the original seed byte for byte
with its sidecar, the TEI master, the PDF and EPUB editions and a PREMIS 3
provenance record (:mod:`publish.deposit.provenance`); sha256 and sha512
payload and tag manifests; and ``bag-info.txt`` from the teiHeader. With
``--archive``, ``dist/deposit/<id>.tar`` is the same bag as one reproducible
tar (:mod:`publish.deposit.archive`). ``publish verify`` checks either form
(:mod:`publish.deposit.verify`).

A document whose TEI is stale, or whose PDF or EPUB is missing or fails
validation, is refused with :class:`publish.errors.DepositError` (exit 74);
no bag is written for it. Unless ``SOURCE_DATE_EPOCH`` is given, a bag is dated
by its document's own date, as its editions are (the manifest's record). A
withdrawn document (a tombstone in the manifest) is never deposited again: it
is left out of the default list and refused when named; its earlier bag stays
as it was.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from publish.build.manifest import document_epoch, fixity_failures, load_manifest
from publish.deposit.bag import Deposited, current_bag, deposit_document
from publish.deposit.package import check_outputs
from publish.errors import DepositError, PublishError
from publish.layout import Layout, find_seeds
from publish.normalise import seed_suffixes
from publish.options import Options


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What happened to one document: its bag, or why it was refused."""

    identifier: str
    deposited: Deposited | None = None
    error: PublishError | None = None
    #: The bag already held exactly these inputs, so it was left as it was.
    unchanged: bool = False


def deposit_all(identifiers: list[str], seeds_dir: Path, dist: Path, archive: bool,
                options: Options) -> list[Outcome]:
    """Deposit each document (default: every seed); a refusal does not stop the others."""
    layout = Layout(seeds=seeds_dir, dist=dist)
    records = load_manifest(layout)["documents"]
    withdrawn = {identifier for identifier, record in records.items()
                 if isinstance(record, dict) and record.get("deleted")}
    identifiers = list(identifiers) or [seed.stem for seed in find_seeds(layout, seed_suffixes)
                                        if seed.stem not in withdrawn]
    current = {identifier: bag for identifier in identifiers if identifier not in withdrawn
               for bag in [current_bag(layout, identifier, records.get(identifier), archive)] if bag}
    check_outputs(layout, [i for i in identifiers if i not in withdrawn and i not in current], options)
    outcomes = []
    for identifier in identifiers:
        if identifier in current:  # its bag already holds exactly these files: nothing to do
            outcomes.append(Outcome(identifier, current[identifier], unchanged=True))
            continue
        if identifier in withdrawn:
            outcomes.append(Outcome(identifier, error=DepositError(
                f"deposit refused: {identifier} was withdrawn (its seed was removed); "
                "run publish build after restoring the seed")))
            continue
        # A missing output is refused later, by name, where the inputs are found.
        failures = [f for f in fixity_failures(layout, identifier, records.get(identifier)) if f.actual is not None]
        if failures:  # a hand-over: only the bytes the build wrote and recorded are deposited
            outcomes.append(Outcome(identifier, error=DepositError(
                f"deposit refused: {failures[0].message()}")))
            continue
        try:
            dated = options.dated(document_epoch(records, identifier))
            outcomes.append(Outcome(identifier, deposit_document(identifier, seeds_dir, dist,
                                                                 archive, dated)))
        except PublishError as error:
            outcomes.append(Outcome(identifier, error=error))
    return outcomes
