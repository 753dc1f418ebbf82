"""Build many documents: incremental by content, in long-lived worker processes.

For each seed, the TEI master, then the PDF and EPUB editions. Workers
(:mod:`publish.workers`, or a Dask cluster through :mod:`publish.dask`) return
each document's outputs as bytes; this process writes them atomically, all of
a document's outputs or none, so a failure never leaves a partial file or a
partial set.

The manifest, ``dist/manifest.json``, records per document what its outputs
were made from (the fields are compared one by one; there is no combined key)::

    {"format": 2, "documents": {"<id>": {
        "seed": "<id>.txt",            "input_sha256": "…",
        "sidecar_sha256": "…" | null,  "resources": {"pics/a.png": "<sha256>"},
        "publish_version": "0.1.0",
        "templates_sha256": "…" | null (null when only TEI was built),
        "source_date_epoch": 1674950400, "encoding": null,
        "outputs": {"tei": "<sha256 of dist/tei/<id>.xml>", "pdf": "…", "epub": "…"},
        "assets": {"img-….png": "<sha256 of dist/tei/<id>_assets/img-….png>"}}}}

``resources`` are the images beside the seed that it names (what the HTML
and Markdown normalisers may include). A document is skipped when its seed,
sidecar, resources, publish version, build date (if ``SOURCE_DATE_EPOCH`` is
set; reproducible-builds.org) and forced encoding match the record, the
templates match too if PDF or EPUB is asked for, and every asked-for output
and asset is present. Timestamps play no part, so ``touch seeds/*`` rebuilds
nothing; a changed template rebuilds every PDF and EPUB. The no-op path
hashes files and stats outputs only: it imports no renderer, no lxml, no rich
and no Dask.

Concurrent builds (``make -j``, two shells) may share ``dist/``: each output
is replaced atomically, and the manifest is re-read, merged and rewritten
under an exclusive lock (``dist/.manifest.lock``, ``flock(2)``), so no build
loses another's records.

A document that fails does not stop the others; its outputs are removed and
its record dropped, so the next build retries it. The summary counts built,
skipped and failed documents and names each failure with its one-line reason.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Callable, Iterator

from publish import __version__
from publish.errors import UsageError
from publish.fileio import atomic_write
from publish.log import LOGGER
from publish.options import Options
from publish.progress import make_progress, summary

MANIFEST = "manifest.json"
MANIFEST_LOCK = ".manifest.lock"
MANIFEST_FORMAT = 2
#: Output kind → (folder under dist/, file suffix), in build order.
OUTPUT_DIRS = {"tei": ("tei", ".xml"), "pdf": ("pdf", ".pdf"), "epub": ("epub", ".epub")}
#: The record fields every output depends on; templates matter only to PDF and EPUB.
SOURCE_FIELDS = ("seed", "input_sha256", "sidecar_sha256", "resources", "publish_version",
                 "source_date_epoch", "encoding")
#: Files beside a seed that a normaliser may read (images an HTML or Markdown seed shows).
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".tif", ".tiff", ".bmp"}


@dataclasses.dataclass(frozen=True)
class BuildRequest:
    """What ``publish build`` was asked to do."""

    seeds: tuple[Path, ...] = ()
    seeds_dir: Path = Path("seeds")
    dist: Path = Path("dist")
    jobs: int | None = None
    outputs: tuple[str, ...] = ("tei", "pdf", "epub")
    force: bool = False
    quiet: bool = False
    json: bool = False
    scheduler: str | None = None
    #: False when no SOURCE_DATE_EPOCH was given: the build date is then "now",
    #: different on every run, so a record's date is not compared.
    date_pinned: bool = True


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What happened to one document: ``built``, ``skipped`` or ``failed``."""

    identifier: str
    status: str
    seed: str = ""
    reason: str = ""
    exit_code: int = 0
    seconds: float = 0.0


# -- seeds and records -------------------------------------------------------

def find_seeds(seeds_dir: Path, known: frozenset[str] = frozenset()) -> list[Path]:
    """Every file in ``seeds_dir`` some normaliser takes, sorted by name.

    Names in ``known`` (seeds of the last build) are taken without asking the
    normaliser registry, so a no-op build need not import the normalisers.
    """
    if not seeds_dir.is_dir():
        raise UsageError(f"no seeds folder: {seeds_dir}")
    with os.scandir(seeds_dir) as entries:
        candidates = sorted(Path(entry.path) for entry in entries
                            if entry.is_file() and not entry.name.startswith(".")
                            and not entry.name.lower().endswith(".toml"))
    if all(path.name in known for path in candidates):
        return candidates
    from publish.normalise import seed_suffixes

    suffixes = seed_suffixes()
    return [p for p in candidates if p.name in known or p.suffix.lower() in suffixes]


def output_path(dist: Path, kind: str, identifier: str) -> Path:
    """Where an output of ``kind`` for a document goes: ``dist/<kind>/<id>.<ext>``."""
    folder, suffix = OUTPUT_DIRS[kind]
    return dist / folder / f"{identifier}{suffix}"


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, hex."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def templates_digest(templates: Path) -> str:
    """The sha256 of every file under ``templates/``, names included."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(templates).rglob("*") if p.is_file()):
        digest.update(path.relative_to(templates).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def canonical_outputs(outputs: tuple[str, ...]) -> tuple[str, ...]:
    """The outputs to make, in build order; the TEI always, as the renderers read it."""
    unknown = set(outputs) - set(OUTPUT_DIRS)
    if unknown:
        raise UsageError(f"unknown output kind(s): {', '.join(sorted(unknown))}")
    return tuple(kind for kind in OUTPUT_DIRS if kind == "tei" or kind in outputs)


def source_record(seed: Path, environment: dict, images: tuple[str, ...] = ()) -> dict:
    """The fields of a document's record that say what its outputs are made from.

    ``resources`` are the images beside the seed whose relative path the seed
    mentions (what the HTML and Markdown normalisers may include), by digest.
    """
    data = seed.read_bytes()
    sidecar = seed.with_suffix(".toml")
    resources = {name: file_sha256(seed.parent / name) for name in images
                 if name.encode() in data}
    return {"seed": seed.name, "input_sha256": hashlib.sha256(data).hexdigest(),
            "sidecar_sha256": file_sha256(sidecar) if sidecar.is_file() else None,
            "resources": resources, **environment}


def images_beside(folder: Path) -> tuple[str, ...]:
    """Image files under a seeds folder (relative paths): what a seed may point at."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in IMAGE_SUFFIXES:
                found.append(Path(root, name).relative_to(folder).as_posix())
    return tuple(sorted(found))


def is_fresh(entry: object, current: dict, outputs: tuple[str, ...], dist: Path,
             identifier: str, date_pinned: bool = True) -> bool:
    """True if the recorded build of a document still holds for ``outputs``."""
    fields = SOURCE_FIELDS if date_pinned else tuple(f for f in SOURCE_FIELDS
                                                     if f != "source_date_epoch")
    if not isinstance(entry, dict) or any(entry.get(f) != current[f] for f in fields):
        return False
    if any(kind != "tei" for kind in outputs) and entry.get("templates_sha256") != current["templates_sha256"]:
        return False
    recorded = entry.get("outputs") or {}
    if not all(kind in recorded and output_path(dist, kind, identifier).is_file() for kind in outputs):
        return False
    return all((asset_dir(dist, identifier) / name).is_file() for name in entry.get("assets") or {})


def merged_entry(old: object, current: dict, written: dict[str, str]) -> tuple[dict, list[str]]:
    """The new record after writing ``written`` outputs, and the kinds now stale.

    Outputs not rebuilt this time (a ``--only tei`` build after a full one) are
    kept if the old record was made from the same sources and templates;
    otherwise they no longer match the TEI and are listed to be removed.
    """
    outputs = dict(written)
    stale = []
    if isinstance(old, dict):
        same = (all(old.get(f) == current[f] for f in SOURCE_FIELDS)
                and old.get("templates_sha256") == current["templates_sha256"])
        for kind, digest in (old.get("outputs") or {}).items():
            if kind not in outputs and kind in OUTPUT_DIRS:
                if same:
                    outputs[kind] = digest
                else:
                    stale.append(kind)
    rendered = any(kind != "tei" for kind in outputs)
    entry = {field: current[field] for field in SOURCE_FIELDS}
    entry["templates_sha256"] = current["templates_sha256"] if rendered else None
    entry["outputs"] = {kind: outputs[kind] for kind in OUTPUT_DIRS if kind in outputs}
    return entry, stale


# -- the manifest -------------------------------------------------------------

def load_manifest(dist: Path) -> dict:
    """The manifest of the last build, or an empty one."""
    path = dist / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"format": MANIFEST_FORMAT, "documents": {}}
    except (OSError, ValueError) as error:
        LOGGER.warning("%s: unreadable (%s); every document will be rebuilt", path, error)
        return {"format": MANIFEST_FORMAT, "documents": {}}
    if not isinstance(data, dict) or not isinstance(data.get("documents"), dict):
        return {"format": MANIFEST_FORMAT, "documents": {}}
    return data


@contextlib.contextmanager
def manifest_lock(dist: Path) -> Iterator[None]:
    """Hold the exclusive lock on ``dist/``'s manifest (``flock(2)``; released on exit or crash)."""
    import fcntl

    dist.mkdir(parents=True, exist_ok=True)
    with open(dist / MANIFEST_LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def update_manifest(dist: Path, changes: dict[str, dict | None]) -> None:
    """Merge ``changes`` (id → record, or ``None`` to drop) into the manifest, under the lock."""
    with manifest_lock(dist):
        documents = load_manifest(dist)["documents"]
        for identifier, entry in changes.items():
            if entry is None:
                documents.pop(identifier, None)
            else:
                documents[identifier] = entry
        data = {"format": MANIFEST_FORMAT, "documents": dict(sorted(documents.items()))}
        atomic_write(dist / MANIFEST, (json.dumps(data, indent=1) + "\n").encode())


# -- building -----------------------------------------------------------------

def build(request: BuildRequest, options: Options) -> int:
    """Build what changed; show progress and a summary; 0 only if nothing failed."""
    started = time.perf_counter()
    outputs = canonical_outputs(request.outputs)
    entries = load_manifest(request.dist)["documents"]
    known = frozenset(e.get("seed", "") for e in entries.values() if isinstance(e, dict))
    seeds = [Path(s) for s in request.seeds] or find_seeds(request.seeds_dir, known)
    environment = {"publish_version": __version__, "source_date_epoch": options.source_date_epoch,
                   "encoding": options.encoding,
                   "templates_sha256": templates_digest(options.templates)}
    todo, outcomes, records = plan(seeds, outputs, entries, environment, request)
    jobs = worker_count(request, len(todo))
    progress = make_progress(request, len(todo), len(outcomes))
    changes: dict[str, dict | None] = {}
    for outcome in outcomes:
        if outcome.status == "failed":  # unreadable, or an id two seeds share: no outputs kept
            remove_outputs(request.dist, outcome.identifier, OUTPUT_DIRS)
            remove_assets(request.dist, outcome.identifier)
            changes[outcome.identifier] = None

    def finished(rendered) -> None:
        outcome = store(rendered, records[rendered.identifier], entries, request.dist, changes)
        for level, message in rendered.logs:
            LOGGER.log(level, "%s", message)
        outcomes.append(outcome)
        progress.advance(outcome)

    try:
        run_jobs(todo, jobs, request.scheduler, options, finished)
    finally:
        progress.close()
        if changes:
            update_manifest(request.dist, changes)
    outcomes.sort(key=lambda o: o.identifier)
    code = max((o.exit_code for o in outcomes), default=0)
    summary(outcomes, request, jobs, time.perf_counter() - started, code)
    return code


def plan(seeds: list[Path], outputs: tuple[str, ...], entries: dict, environment: dict,
         request: BuildRequest):
    """Split seeds into jobs to run and outcomes already known (skipped, or failed early)."""
    from publish.workers import Job

    todo, outcomes, records = [], [], {}
    images: dict[Path, tuple[str, ...]] = {}
    by_id: dict[str, list[Path]] = {}
    for seed in seeds:
        by_id.setdefault(seed.stem, []).append(seed)
    for identifier, paths in by_id.items():
        seed = paths[0]
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            for path in paths:
                outcomes.append(Outcome(identifier, "failed", path.name,
                                        f"{path}: seeds {names} share the id {identifier!r}", 2))
            continue
        try:
            if seed.parent not in images:
                images[seed.parent] = images_beside(seed.parent)
            current = source_record(seed, environment, images[seed.parent])
        except OSError as error:
            outcomes.append(Outcome(identifier, "failed", seed.name,
                                    f"{seed}: cannot read: {error.strerror}", 65))
            continue
        if not request.force and is_fresh(entries.get(identifier), current, outputs,
                                          request.dist, identifier, request.date_pinned):
            outcomes.append(Outcome(identifier, "skipped", seed.name))
            continue
        records[identifier] = current
        todo.append(Job(identifier, seed, outputs, dist=request.dist,
                        resources=tuple(current["resources"])))
    return todo, outcomes, records


def worker_count(request: BuildRequest, documents: int) -> int:
    """Worker processes to start: ``--jobs``, else the usable cores; never more than documents."""
    if request.jobs is not None and request.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {request.jobs}")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(request.jobs or cores or 1, documents or 1))


def run_jobs(todo: list, jobs: int, scheduler: str | None, options: Options,
             finished: Callable) -> None:
    """Run every job and pass each result to ``finished`` as it arrives."""
    if not todo:
        return
    level = LOGGER.getEffectiveLevel()
    if scheduler:
        from publish.dask import run_on_cluster

        run_on_cluster(scheduler, todo, options, level, finished)
    elif jobs == 1:
        from publish.workers import render_job

        for job in todo:
            finished(render_job(job, options))
    else:
        from publish.workers import run_pool

        run_pool(todo, jobs, options, level, finished)


def store(rendered, current: dict, entries: dict, dist: Path, changes: dict) -> Outcome:
    """Write a document's outputs atomically and record it; on failure remove them all."""
    identifier = rendered.identifier
    if not rendered.reason:
        try:
            written, assets = write_outputs(dist, identifier, rendered.files)
        except OSError as error:
            rendered = dataclasses.replace(rendered, reason=f"{error.filename}: cannot write: "
                                           f"{error.strerror}", exit_code=73)
        else:
            entry, stale = merged_entry(entries.get(identifier), current, written)
            entry["assets"] = assets
            remove_outputs(dist, identifier, stale)
            remove_assets(dist, identifier, keep=assets)
            changes[identifier] = entries[identifier] = entry
            return Outcome(identifier, "built", current["seed"], seconds=rendered.seconds)
    remove_outputs(dist, identifier, OUTPUT_DIRS)
    remove_assets(dist, identifier)
    entries.pop(identifier, None)
    changes[identifier] = None
    return Outcome(identifier, "failed", current["seed"], rendered.reason, rendered.exit_code,
                   rendered.seconds)


def write_outputs(dist: Path, identifier: str, files: dict[str, bytes]):
    """Write assets (images the TEI points at) first, then the outputs; return their digests."""
    from publish.workers import ASSET_PREFIX

    written, assets = {}, {}
    for key, data in sorted(files.items(), key=lambda item: not item[0].startswith(ASSET_PREFIX)):
        if key.startswith(ASSET_PREFIX):
            name = key.removeprefix(ASSET_PREFIX)
            atomic_write(asset_dir(dist, identifier) / name, data)
            assets[name] = hashlib.sha256(data).hexdigest()
        else:
            atomic_write(output_path(dist, key, identifier), data)
            written[key] = hashlib.sha256(data).hexdigest()
    return written, dict(sorted(assets.items()))


def asset_dir(dist: Path, identifier: str) -> Path:
    """A document's asset folder, beside its TEI: ``dist/tei/<id>_assets/`` (its graphic/@url)."""
    return output_path(dist, "tei", identifier).parent / f"{identifier}_assets"


def remove_outputs(dist: Path, identifier: str, kinds) -> None:
    """Delete a document's outputs of these kinds, if present."""
    for kind in kinds:
        output_path(dist, kind, identifier).unlink(missing_ok=True)


def remove_assets(dist: Path, identifier: str, keep: dict | None = None) -> None:
    """Delete a document's assets other than those in ``keep``, and the folder if left empty."""
    folder = asset_dir(dist, identifier)
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(folder).as_posix() not in (keep or {}):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if not any(folder.iterdir()):
        folder.rmdir()
