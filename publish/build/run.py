"""``publish build``: every seed's outputs, incrementally by content, then the collection outputs.

For each seed, the TEI master and the editions :data:`publish.formats.FORMATS`
lists (or those ``--only`` names). :mod:`publish.build.plan` decides what
changed; the per-document task (:mod:`publish.build.task`) runs in this
process, the local pool (:mod:`publish.build.pool`) or on a Dask cluster
(:mod:`publish.build.cluster`) and returns each document's outputs as bytes;
this process writes them (:mod:`publish.build.store`), all of a document's
outputs or none, so a failure never leaves a partial file or a partial set,
and records them in the manifest (:mod:`publish.build.manifest`). Then each
collection output (:data:`publish.formats.COLLECTIONS`) is made from the
manifest and the masters' headers (:mod:`publish.build.collections`).

A full build (no seeds named) also turns the record of every document whose
seed is gone from the seeds folder into a tombstone
(:func:`publish.build.store.tombstone`); a build of named seeds says nothing
about the others, so it makes none.

A document that fails does not stop the others; its outputs are removed and
its record dropped, so the next build retries it. The summary counts built,
skipped and failed documents and names each failure with its one-line reason.

The pool, the cluster and the task are imported only when there is work to
do: a build with nothing to do must not pay for WeasyPrint, lxml or Dask.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from publish import __version__
from publish.build.collections import build_collections
from publish.build.manifest import load_manifest, update_manifest
from publish.build.plan import BuildRequest, plan, worker_count
from publish.build.progress import make_progress, summary
from publish.build.store import remove_assets, remove_outputs, store, tombstone
from publish.errors import UsageError
from publish.formats import collection_kinds, collection_templates, kinds
from publish.layout import Layout, tree_digest
from publish.log import LOGGER
from publish.options import Options


def build(request: BuildRequest, options: Options) -> int:
    """Build what changed; show progress and a summary; 0 only if nothing failed."""
    started = time.perf_counter()
    layout = request.layout
    document_outputs = request.document_outputs
    unknown = set(request.outputs) - set(kinds()) - set(collection_kinds())
    if unknown:
        raise UsageError(f"unknown output kind(s): {', '.join(sorted(unknown))}")
    manifest = load_manifest(layout)
    entries = manifest["documents"]
    known = frozenset(e.get("seed", "") for e in entries.values() if isinstance(e, dict))
    seeds = [Path(s) for s in request.seeds] or find_seeds(layout, known)
    # The editions depend on the templates but those only collection outputs read.
    editions_templates = tree_digest(options.templates, exclude=collection_templates())
    environment = {"publish_version": __version__, "source_date_epoch": options.source_date_epoch,
                   "encoding": options.encoding, "templates_sha256": editions_templates}
    todo, outcomes, records = plan(seeds, document_outputs, entries, environment, request)
    jobs = worker_count(request, len(todo))
    progress = make_progress(request, len(todo), len(outcomes))
    changes: dict[str, dict | None] = {}
    for outcome in outcomes:
        if outcome.status == "failed":  # unreadable, or an id two seeds share: no outputs kept
            remove_outputs(layout, outcome.identifier, kinds())
            remove_assets(layout, outcome.identifier)
            changes[outcome.identifier] = None
    if not request.seeds:
        withdraw(layout, entries, {seed.stem for seed in seeds}, options.source_date_epoch, changes)

    def finished(rendered) -> None:
        outcome = store(rendered, records[rendered.identifier], entries, layout, changes)
        for level, message in rendered.logs:
            LOGGER.log(level, "%s", message)
        outcomes.append(outcome)
        progress.advance(outcome)

    try:
        run_jobs(todo, jobs, request.scheduler, options, finished)
    finally:
        progress.close()
        if changes:
            update_manifest(layout, changes)
    wanted = tuple(k for k in collection_kinds() if not request.outputs or k in request.outputs)
    built = build_collections(layout, wanted, entries, manifest.get("collections") or {},
                              tree_digest(options.templates), options)
    if built:
        update_manifest(layout, {}, built)
    outcomes.sort(key=lambda o: o.identifier)
    code = max((o.exit_code for o in outcomes), default=0)
    summary(outcomes, request, jobs, time.perf_counter() - started, code)
    return code


def withdraw(layout: Layout, entries: dict, present: set[str], when: int, changes: dict) -> None:
    """Make a tombstone of every live record whose seed is not in ``present``."""
    for identifier, entry in sorted(entries.items()):
        if identifier not in present and isinstance(entry, dict) and not entry.get("deleted"):
            changes[identifier] = entries[identifier] = tombstone(layout, identifier, entry, when)
            LOGGER.info("%s: withdrawn: its seed %s is gone; kept as a deleted record",
                        identifier, entry.get("seed"))


def find_seeds(layout: Layout, known: frozenset[str] = frozenset()) -> list[Path]:
    """Every file in the seeds folder some normaliser takes, sorted by name.

    Names in ``known`` (seeds of the last build) are taken without asking the
    normaliser registry, so a build with nothing to do imports no normaliser.
    """
    if not layout.seeds.is_dir():
        raise UsageError(f"no seeds folder: {layout.seeds}")
    candidates = layout.seed_candidates()
    if all(path.name in known for path in candidates):
        return candidates
    from publish.normalise import seed_suffixes  # only now: it imports every normaliser

    suffixes = seed_suffixes()
    return [p for p in candidates if p.name in known or p.suffix.lower() in suffixes]


def run_jobs(todo: list, jobs: int, scheduler: str | None, options: Options,
             finished: Callable) -> None:
    """Run every job and pass each result to ``finished`` as it arrives."""
    if not todo:
        return
    level = LOGGER.getEffectiveLevel()
    if scheduler:
        from publish.build.cluster import run_on_cluster

        run_on_cluster(scheduler, todo, options, level, finished)
    elif jobs == 1:
        from publish.build.task import render_job

        for job in todo:
            finished(render_job(job, options))
    else:
        from publish.build.pool import run_pool

        run_pool(todo, jobs, options, level, finished)
