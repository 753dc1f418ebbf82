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

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from publish import __version__
from publish.build.collections import build_collections
from publish.build.dates import History, removal_date
from publish.build.manifest import load_manifest, update_manifest
from publish.build.plan import BuildRequest, plan, worker_count
from publish.build.progress import make_progress, summary
from publish.build.store import remove_assets, remove_outputs, store, tombstone
from publish.errors import UsageError
from publish.fileio import sweep_stale_scratch
from publish.formats import FORMATS, collection_kinds, kinds
from publish.layout import Layout, code_digest, files_digest, find_seeds, tree_digest
from publish.log import LOGGER
from publish.options import Options

#: How often, in seconds, a running build records the documents that have landed.
FLUSH_EVERY = 2.0


def build(request: BuildRequest, options: Options) -> int:
    """Build what changed; show progress and a summary; 0 only if nothing failed."""
    started = time.perf_counter()
    swept = sweep_stale_scratch()
    if swept:
        LOGGER.info("removed %d scratch folder(s) a killed build left in %s", swept, tempfile.gettempdir())
    layout = request.layout
    document_outputs = request.document_outputs
    unknown = set(request.outputs) - set(kinds()) - set(collection_kinds())
    if unknown:
        raise UsageError(f"unknown output kind(s): {', '.join(sorted(unknown))}")
    manifest = load_manifest(layout)
    entries = manifest["documents"]
    known = frozenset(e.get("seed", "") for e in entries.values() if isinstance(e, dict))
    seeds = [Path(s) for s in request.seeds] or find_seeds(layout, seed_suffixes, known)
    # Each edition depends on the templates its FORMATS row names, and on publish's code.
    environment = {"publish_version": __version__, "code_sha256": code_digest(),
                   "source_date_epoch": options.source_date_epoch, "encoding": options.encoding,
                   "templates": {row.kind: files_digest(options.templates, row.templates)
                                 for row in FORMATS if row.rendered}}
    history = None if request.date_pinned else History.read(layout.seeds)
    todo, outcomes, records = plan(seeds, document_outputs, entries, environment, request, history)
    jobs = worker_count(request, len(todo))
    progress = make_progress(request, len(todo), len(outcomes))
    changes: dict[str, dict | None] = {}
    for outcome in outcomes:
        if outcome.status == "failed":  # unreadable, or an id two seeds share: no outputs kept
            remove_outputs(layout, outcome.identifier, kinds())
            remove_assets(layout, outcome.identifier)
            changes[outcome.identifier] = None
    if not request.seeds:
        withdraw(layout, entries, {seed.stem for seed in seeds}, options, history, changes)

    flushed = [time.monotonic()]

    def finished(rendered) -> None:
        outcome = store(rendered, records[rendered.identifier], entries, layout, changes)
        for level, message in rendered.logs:
            LOGGER.log(level, "%s", message)
        outcomes.append(outcome)
        progress.advance(outcome)
        if changes and time.monotonic() - flushed[0] >= FLUSH_EVERY:
            # Record what has landed, so a killed build forgets at most a few seconds of work.
            update_manifest(layout, changes)
            changes.clear()
            flushed[0] = time.monotonic()

    try:
        run_jobs(todo, jobs, request.scheduler, options, finished)
    finally:
        progress.close()
        if changes:
            update_manifest(layout, changes)
    wanted = tuple(k for k in collection_kinds() if not request.outputs or k in request.outputs)
    built = build_collections(layout, wanted, entries, manifest.get("collections") or {},
                              tree_digest(options.templates), options.dated(newest(entries)))
    if built:
        update_manifest(layout, {}, built)
    outcomes.sort(key=lambda o: o.identifier)
    code = max((o.exit_code for o in outcomes), default=0)
    if request.validate:
        code = max(code, validate_outputs(layout, entries, document_outputs, jobs, options))
    summary(outcomes, request, jobs, time.perf_counter() - started, code)
    return code


def validate_outputs(layout: Layout, entries: dict, outputs: tuple[str, ...], jobs: int,
                     options: Options) -> int:
    """Check every live output (the cache answers for bytes checked before); write the report.

    Returns the exit code of :class:`~publish.errors.ValidationError` if a
    file failed, else 0; each failure is logged with the file's name.
    """
    from publish.errors import ValidationError
    from publish.validation.report import write_report
    from publish.validation.run import validate_paths

    paths = [layout.output(kind, identifier) for kind in outputs
             for identifier, entry in sorted(entries.items())
             if isinstance(entry, dict) and not entry.get("deleted")]
    results = validate_paths([path for path in paths if path.is_file()], options, layout,
                             jobs=max(jobs, os.cpu_count() or 1))
    for result in results:
        for failure in result.failures:
            LOGGER.warning("%s: %s", result.path, failure)
    json_path, _html = write_report(results, layout)
    failed = sum(not result.passed for result in results)
    LOGGER.info("validated %d file(s), %d failed, %d from the cache; report: %s", len(results), failed,
                sum(result.cached for result in results), json_path)
    return ValidationError.exit_code if failed else 0


def newest(entries: dict) -> int | None:
    """The newest date of any document: what a collection output is dated by, unless pinned."""
    return max((entry["source_date_epoch"] for entry in entries.values()
                if isinstance(entry, dict) and isinstance(entry.get("source_date_epoch"), int)),
               default=None)


def withdraw(layout: Layout, entries: dict, present: set[str], options: Options,
             history: History | None, changes: dict) -> None:
    """Make a tombstone of every live record whose seed is not in ``present``.

    It is dated by ``SOURCE_DATE_EPOCH`` if given, else by the commit that
    removed the seed, else by the newest document's date.
    """
    for identifier, entry in sorted(entries.items()):
        if identifier not in present and isinstance(entry, dict) and not entry.get("deleted"):
            when = options.source_date_epoch
            if history is not None:
                when = removal_date(entry.get("seed", ""), layout.seeds, history) \
                    or newest(entries) or options.source_date_epoch
            changes[identifier] = entries[identifier] = tombstone(layout, identifier, entry, when)
            LOGGER.info("%s: withdrawn: its seed %s is gone; kept as a deleted record",
                        identifier, entry.get("seed"))


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


def seed_suffixes() -> frozenset[str]:
    """The suffixes the normalisers take; imported only when asked (it imports every normaliser)."""
    from publish.normalise import seed_suffixes as suffixes

    return frozenset(suffixes())
