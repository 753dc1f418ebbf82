"""Build many documents: incremental by content, in long-lived worker processes.

For each seed, the TEI master, then the PDF and EPUB editions, each written
atomically. A manifest, ``dist/manifest.json``, records for every document the
sha256 of its seed and sidecar, the publish version and the sha256 of
``templates/``; a document whose record matches, and whose outputs exist, is
skipped. Timestamps play no part, so ``touch seeds/*`` rebuilds nothing.
A document that fails does not stop the others; the summary names it.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import json
import os
import sys
from pathlib import Path

from publish import __version__
from publish.errors import PublishError, UsageError
from publish.fileio import atomic_write
from publish.log import LOGGER
from publish.options import Options

MANIFEST = "manifest.json"
OUTPUT_DIRS = {"tei": ("tei", ".xml"), "pdf": ("pdf", ".pdf"), "epub": ("epub", ".epub")}


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


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What happened to one document: ``built``, ``skipped`` or ``failed``."""

    identifier: str
    status: str
    key: str = ""
    reason: str = ""
    exit_code: int = 0


def find_seeds(seeds_dir: Path) -> list[Path]:
    """Every file in ``seeds_dir`` some normaliser takes, sorted by name."""
    from publish.normalise import seed_suffixes

    if not seeds_dir.is_dir():
        raise UsageError(f"no seeds folder: {seeds_dir}")
    suffixes = seed_suffixes()
    return sorted(p for p in seeds_dir.iterdir()
                  if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith("."))


def output_path(dist: Path, kind: str, identifier: str) -> Path:
    """Where an output of ``kind`` for a document goes: ``dist/<kind>/<id>.<ext>``."""
    folder, suffix = OUTPUT_DIRS[kind]
    return dist / folder / f"{identifier}{suffix}"


def templates_digest(templates: Path) -> str:
    """The sha256 of every file under ``templates/``, names included."""
    digest = hashlib.sha256()
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        digest.update(path.relative_to(templates).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def document_key(seed: Path, outputs: tuple[str, ...], environment: str) -> str:
    """The content key of one document's build: seed, sidecar, outputs, versions."""
    digest = hashlib.sha256(environment.encode())
    digest.update(hashlib.sha256(seed.read_bytes()).digest())
    sidecar = seed.with_suffix(".toml")
    digest.update(hashlib.sha256(sidecar.read_bytes()).digest() if sidecar.is_file() else b"-")
    digest.update(",".join(outputs).encode())
    return digest.hexdigest()


def load_manifest(dist: Path) -> dict:
    """The manifest of the last build, or an empty one."""
    try:
        return json.loads((dist / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"documents": {}}


def build_document(seed: Path, dist: Path, outputs: tuple[str, ...], options: Options) -> None:
    """Normalise one seed and render its editions; every file written atomically."""
    from publish.normalise import normalise_file
    from publish.tei import serialise

    identifier = seed.stem
    tei_path = output_path(dist, "tei", identifier)
    atomic_write(tei_path, serialise(normalise_file(seed, options)))
    for kind in outputs:
        if kind != "tei":
            render_function(kind)(tei_path, output_path(dist, kind, identifier), options)


def render_function(kind: str):
    """The renderer for an output kind, from :data:`publish.render.RENDERERS`."""
    import importlib

    from publish.render import RENDERERS

    for name, _suffix, target in RENDERERS:
        if name == kind:
            module, function = target.split(":")
            return getattr(importlib.import_module(module), function)
    raise UsageError(f"no renderer for {kind!r}")


def run_one(seed: Path, dist: Path, outputs: tuple[str, ...], options: Options, key: str) -> Outcome:
    """Build one document in a worker; turn its errors into an outcome."""
    try:
        build_document(seed, dist, outputs, options)
    except PublishError as error:
        return Outcome(seed.stem, "failed", key, error.one_line(), error.exit_code)
    except Exception as error:  # a bug in one document must not stop the others
        return Outcome(seed.stem, "failed", key, f"internal error: {type(error).__name__}: {error}", 1)
    return Outcome(seed.stem, "built", key)


def build(request: BuildRequest, options: Options) -> int:
    """Build what changed; print progress and a summary; 0 only if nothing failed."""
    seeds = list(request.seeds) or find_seeds(request.seeds_dir)
    environment = f"publish {__version__}; templates {templates_digest(options.templates)}"
    manifest = load_manifest(request.dist)
    done = manifest.get("documents", {})
    todo, outcomes = [], []
    for seed in seeds:
        key = document_key(seed, request.outputs, environment)
        fresh = done.get(seed.stem) == key and all(
            output_path(request.dist, kind, seed.stem).is_file() for kind in request.outputs)
        if fresh and not request.force:
            outcomes.append(Outcome(seed.stem, "skipped", key))
        else:
            todo.append((seed, key))
    outcomes += run_all(todo, request, options)
    for outcome in outcomes:
        if outcome.status == "failed":
            done.pop(outcome.identifier, None)
        else:
            done[outcome.identifier] = outcome.key
    if todo:
        data = json.dumps({"documents": dict(sorted(done.items()))}, indent=1) + "\n"
        atomic_write(request.dist / MANIFEST, data.encode())
    report(outcomes, request)
    return max((o.exit_code for o in outcomes), default=0)


def run_all(todo: list[tuple[Path, str]], request: BuildRequest, options: Options) -> list[Outcome]:
    """Run the documents in ``todo``: in this process for one job, else in a pool."""
    jobs = max(1, min(request.jobs or os.cpu_count() or 1, len(todo) or 1))
    if jobs == 1:
        results = []
        for seed, key in todo:
            results.append(run_one(seed, request.dist, request.outputs, options, key))
            progress(results[-1], request)
        return results
    results = []
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_one, seed, request.dist, request.outputs, options, key)
                   for seed, key in todo]
        for future in concurrent.futures.as_completed(futures):
            results.append(future.result())
            progress(results[-1], request)
    return sorted(results, key=lambda o: o.identifier)


def progress(outcome: Outcome, request: BuildRequest) -> None:
    """One plain line per finished document."""
    if request.quiet or request.json:
        return
    line = f"{outcome.status:7} {outcome.identifier}"
    print(line + (f": {outcome.reason}" if outcome.reason else ""), file=sys.stderr)


def report(outcomes: list[Outcome], request: BuildRequest) -> None:
    """The summary: counts, and each failure with its one-line reason."""
    counts = {status: sum(o.status == status for o in outcomes) for status in ("built", "skipped", "failed")}
    if request.json:
        print(json.dumps({"counts": counts, "documents": [dataclasses.asdict(o) for o in outcomes]},
                         indent=1))
        return
    print(f"publish build: {counts['built']} built, {counts['skipped']} skipped, "
          f"{counts['failed']} failed", file=sys.stderr)
    for outcome in outcomes:
        if outcome.status == "failed":
            print(f"  failed {outcome.identifier}: {outcome.reason}", file=sys.stderr)
    LOGGER.debug("build outcomes: %s", outcomes)
