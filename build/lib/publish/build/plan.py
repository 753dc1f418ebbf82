"""What a build must do: compare each seed with its manifest record, field by field.

A document is skipped when its seed, sidecar, resources, publish version,
date (``SOURCE_DATE_EPOCH`` if set, else its own: :mod:`publish.build.dates`)
and forced encoding match its record, publish's own code is the same
(``code_sha256``: a renderer changed in a working tree is seen), each asked-for
rendered output's own templates (its ``FORMATS`` row's ``templates``) match,
and every asked-for output and asset is present. There is no combined key,
and timestamps play no part, so ``touch seeds/*`` rebuilds nothing; a changed
``print.css`` re-renders the editions that read it and no master. The no-op path
hashes files and stats outputs only: it imports no normaliser, renderer,
lxml, rich or Dask.

``resources`` are the images beside the seed that it names (what the HTML
and Markdown normalisers may include).

``changed`` is when a record's content last changed, in seconds since 1970
from ``SOURCE_DATE_EPOCH``: the OAI-PMH datestamp (OAI-PMH 2.0 §2.7.1) and
what ``from``/``until`` select on. It moves when the seed's name or bytes,
its sidecar, its images or its forced encoding change, or when a withdrawn
document comes back; a re-render of the same sources (a new build date,
template or publish version) keeps it, so an incremental harvest returns the
documents that were corrected, not every re-dated edition.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

from publish.build.dates import History, document_date
from publish.build.job import Job
from publish.errors import InputError, UsageError
from publish.formats import format_for, kinds
from publish.layout import Layout, file_sha256, images_under, seed_problem, sidecar_path
from publish.log import LOGGER

#: The record fields every output depends on; each rendered output also depends on
#: its own templates (``templates``: kind → digest of the files its row names).
SOURCE_FIELDS = ("seed", "input_sha256", "sidecar_sha256", "resources", "publish_version",
                 "code_sha256", "source_date_epoch", "encoding")
#: The record fields that say what the document is; a change to any moves ``changed``.
CONTENT_FIELDS = ("seed", "input_sha256", "sidecar_sha256", "resources", "encoding")


@dataclasses.dataclass(frozen=True)
class BuildRequest:
    """What ``publish build`` was asked to do."""

    seeds: tuple[Path, ...] = ()
    seeds_dir: Path = Path("seeds")
    dist: Path = Path("dist")
    jobs: int | None = None
    #: Output kinds (rows of :data:`publish.formats.FORMATS`); empty means all.
    outputs: tuple[str, ...] = ()
    force: bool = False
    quiet: bool = False
    json: bool = False
    scheduler: str | None = None
    #: True when SOURCE_DATE_EPOCH was given: it dates every document. False: each
    #: document is dated by its own inputs (:mod:`publish.build.dates`).
    date_pinned: bool = True
    #: Check every output afterwards (cached by SHA-256) and write dist/report.json and .html.
    validate: bool = False

    @property
    def layout(self) -> Layout:
        return Layout(dist=self.dist, seeds=self.seeds_dir)

    @property
    def document_outputs(self) -> tuple[str, ...]:
        """The per-document outputs to make, in build order, the master always among them."""
        return canonical_outputs(tuple(k for k in self.outputs if k in kinds()))


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What happened to one document: ``built``, ``skipped`` or ``failed``."""

    identifier: str
    status: str
    seed: str = ""
    reason: str = ""
    exit_code: int = 0
    seconds: float = 0.0


def canonical_outputs(outputs: tuple[str, ...]) -> tuple[str, ...]:
    """The outputs to make, in build order; the master always, as every other is made from it."""
    unknown = set(outputs) - set(kinds())
    if unknown:
        raise UsageError(f"unknown output kind(s): {', '.join(sorted(unknown))}")
    return tuple(kind for kind in kinds() if kind == "tei" or not outputs or kind in outputs)


def source_record(seed: Path, environment: dict, images: tuple[str, ...] = ()) -> dict:
    """The fields of a document's record that say what its outputs are made from."""
    data = seed.read_bytes()
    sidecar = sidecar_path(seed)
    resources = {name: file_sha256(seed.parent / name) for name in images
                 if name.encode() in data}
    return {"seed": seed.name, "input_sha256": hashlib.sha256(data).hexdigest(),
            "sidecar_sha256": file_sha256(sidecar) if sidecar.is_file() else None,
            "resources": resources, **environment}


def is_fresh(entry: object, current: dict, outputs: tuple[str, ...], layout: Layout,
             identifier: str) -> bool:
    """True if the recorded build of a document still holds for ``outputs``."""
    if not isinstance(entry, dict) or any(entry.get(f) != current[f] for f in SOURCE_FIELDS):
        return False
    if not all(same_templates(entry, current, kind) for kind in outputs):
        return False
    recorded = entry.get("outputs") or {}
    if not all(kind in recorded and layout.output(kind, identifier).is_file() for kind in outputs):
        return False
    return all((layout.assets(identifier) / name).is_file() for name in entry.get("assets") or {})


def same_sources(old: object, current: dict) -> bool:
    """Whether a record was made from the same sources, code and date as ``current``."""
    return isinstance(old, dict) and all(old.get(f) == current[f] for f in SOURCE_FIELDS)


def same_templates(old: object, current: dict, kind: str) -> bool:
    """Whether ``kind`` was rendered from the same templates as ``current`` names (the master reads none)."""
    if not format_for(kind).rendered:
        return True
    recorded = old.get("templates") if isinstance(old, dict) else None
    return isinstance(recorded, dict) and recorded.get(kind) == current["templates"].get(kind)


def merged_entry(old: object, current: dict, written: dict[str, str],
                 failed: list[str] = ()) -> tuple[dict, list[str]]:
    """The new record after writing ``written`` outputs, and the kinds now stale.

    Outputs not rebuilt this time (a ``--only tei`` build after a full one, or
    a retry of one failed edition) are kept if the old record was made from the
    same sources and templates; otherwise they no longer match the master and
    are listed to be removed, as are the editions that ``failed`` this time.
    """
    outputs = dict(written)
    stale = list(failed)
    if isinstance(old, dict):
        same = same_sources(old, current)
        for kind, digest in (old.get("outputs") or {}).items():
            if kind not in outputs and kind in kinds() and kind not in failed:
                if same and same_templates(old, current, kind):
                    outputs[kind] = digest
                else:
                    stale.append(kind)
    entry = {field: current[field] for field in SOURCE_FIELDS}
    entry["templates"] = {kind: current["templates"][kind] for kind in kinds()
                          if kind in outputs and format_for(kind).rendered}
    entry["outputs"] = {kind: outputs[kind] for kind in kinds() if kind in outputs}
    entry["changed"] = changed_at(old, current)
    return entry, stale


def changed_at(old: object, current: dict) -> int:
    """When the record's content last changed: kept from ``old`` if its content is the same.

    A record written before ``changed`` existed counts as changed at its own
    build date; a tombstone (``deleted``) never passes its time on, so a
    document that comes back gets a new datestamp.
    """
    if isinstance(old, dict) and not old.get("deleted") \
            and all(old.get(f) == current[f] for f in CONTENT_FIELDS):
        kept = old.get("changed", old.get("source_date_epoch"))
        if isinstance(kept, int):
            return kept
    return current["source_date_epoch"]


def still_needed(entry: object, current: dict, outputs: tuple[str, ...], layout: Layout,
                 identifier: str) -> tuple[str, ...]:
    """The outputs to make: only the missing editions if the rest was made from the same sources.

    So a document whose PDF failed last time (a partial build) renders only the
    PDF again; its master is normalised again, cheaply, to render from.
    """
    if not same_sources(entry, current):
        return outputs
    recorded = entry.get("outputs") or {}
    return tuple(kind for kind in outputs if kind == "tei" or kind not in recorded
                 or not same_templates(entry, current, kind)
                 or not layout.output(kind, identifier).is_file())


def plan(seeds: list[Path], outputs: tuple[str, ...], entries: dict, environment: dict,
         request: BuildRequest, history: History | None = None):
    """Split seeds into jobs to run and outcomes already known (skipped, or failed early).

    With a ``history`` (no ``SOURCE_DATE_EPOCH`` given), each document's
    ``source_date_epoch`` is its own (:func:`publish.build.dates.document_date`).
    Returns ``(jobs, outcomes, records)``; ``records`` maps each job's id to its
    current source record.
    """
    todo, outcomes, records = [], [], {}
    images: dict[Path, tuple[str, ...]] = {}
    by_id: dict[str, list[Path]] = {}
    layout = request.layout
    for seed in seeds:
        by_id.setdefault(seed.stem, []).append(seed)
    for identifier, paths in by_id.items():
        seed = paths[0]
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            for path in paths:
                outcomes.append(Outcome(identifier, "failed", path.name,
                                        f"{path}: seeds {names} share the id {identifier!r}",
                                        UsageError.exit_code))
            continue
        problem = seed_problem(seed)
        if problem:  # before anything reads it: a FIFO would block, a link out would leak
            outcomes.append(Outcome(identifier, "failed", seed.name, f"{seed}: {problem}",
                                    InputError.exit_code))
            continue
        try:
            if seed.parent not in images:
                images[seed.parent] = images_under(seed.parent)
            current = source_record(seed, environment, images[seed.parent])
            if history is not None:
                current["source_date_epoch"] = document_date(seed, tuple(current["resources"]),
                                                             history).epoch
        except OSError as error:
            outcomes.append(Outcome(identifier, "failed", seed.name,
                                    f"{seed}: cannot read: {error.strerror}", InputError.exit_code))
            continue
        entry = entries.get(identifier)
        if isinstance(entry, dict) and entry.get("deleted"):
            LOGGER.warning("%s: %s was withdrawn (its seed was removed); it is built again as a "
                           "new version of that document, with a new datestamp", seed, identifier)
            entry = None
        if not request.force and is_fresh(entry, current, outputs, layout, identifier):
            outcomes.append(Outcome(identifier, "skipped", seed.name))
            continue
        records[identifier] = current
        todo.append(Job(identifier, seed, still_needed(entry, current, outputs, layout, identifier)
                        if not request.force else outputs,
                        dist=request.dist, resources=tuple(current["resources"]),
                        epoch=current["source_date_epoch"]))
    return todo, outcomes, records


def worker_count(request: BuildRequest, documents: int) -> int:
    """Worker processes to start: ``--jobs``, else the usable cores; never more than documents."""
    if request.jobs is not None and request.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {request.jobs}")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(request.jobs or cores or 1, documents or 1))
