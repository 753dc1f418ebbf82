"""The per-document task, and the local pool of long-lived worker processes.

:func:`render_job` builds one document — normalise the seed to TEI, render
the asked-for editions — in a private temporary folder laid out like
``dist/`` and returns every output as bytes; it never writes into ``dist/``.
The caller (:func:`publish.build.build`) writes them atomically. The same
task runs in this process (``--jobs 1``), in the pool below, and on a Dask
cluster (:mod:`publish.dask`), so all three make the same bytes.

The pool is a :class:`concurrent.futures.ProcessPoolExecutor` whose
initializer warms each worker once: it imports the normalisers and renderers
(WeasyPrint among them), compiles the RELAX NG schema and the TEI→XHTML XSLT
(both cached per process) and builds the font configuration, so documents
pay none of that. With the ``fork`` start method the main process warms up
once before the workers start and they inherit it: on a 2-core machine that
saves a second of CPU per extra worker. A worker that dies (out of memory, a crash in a C library)
breaks the pool; the documents it was building are retried in a fresh pool,
each up to :data:`ALLOWED_FAILURES` times, as Dask's scheduler does
(``distributed.scheduler.allowed-failures``), then reported as failed.

Log records raised while building a document are captured and returned with
its result, so the main process re-logs them in order (``--strict`` and the
warning count see them) and a worker never writes to the terminal.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

from publish.errors import PublishError, StrictError, UsageError
from publish.log import LOGGER
from publish.options import Options

#: How often a document may be in flight when its worker dies before it fails
#: (the default of Dask's ``distributed.scheduler.allowed-failures``).
ALLOWED_FAILURES = 3
#: Output keys of a document's assets (images): ``asset:<name>`` → ``dist/tei/<id>_assets/<name>``.
ASSET_PREFIX = "asset:"


@dataclasses.dataclass(frozen=True)
class SeedFiles:
    """A seed's bytes and its sidecar's, for workers that cannot read the client's files."""

    name: str
    data: bytes
    sidecar: bytes | None = None
    #: Images beside the seed that it points at: (path relative to the seed's folder, bytes).
    resources: tuple[tuple[str, bytes], ...] = ()

    @classmethod
    def read(cls, seed: Path, resources: tuple[str, ...] = ()) -> "SeedFiles":
        sidecar = seed.with_suffix(".toml")
        return cls(seed.name, seed.read_bytes(), sidecar.read_bytes() if sidecar.is_file() else None,
                   tuple((name, (seed.parent / name).read_bytes()) for name in resources))


@dataclasses.dataclass(frozen=True)
class Job:
    """One document to build: its id, its seed and the outputs to make (TEI first)."""

    identifier: str
    seed: Path
    outputs: tuple[str, ...]
    files: SeedFiles | None = None
    #: Where the outputs will be written; only to name them in messages.
    dist: Path = Path("dist")
    #: Images beside the seed that it mentions (see :func:`publish.build.source_record`).
    resources: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Rendered:
    """A job's result: output kind → bytes, or the one-line reason it failed."""

    identifier: str
    files: dict[str, bytes] = dataclasses.field(default_factory=dict)
    reason: str = ""
    exit_code: int = 0
    seconds: float = 0.0
    logs: tuple[tuple[int, str], ...] = ()


# -- one document ---------------------------------------------------------------

def render_job(job: Job, options: Options) -> Rendered:
    """Build one document; turn any error into a failed result (never raises)."""
    started = time.perf_counter()
    with captured_logs() as records, tempfile.TemporaryDirectory(prefix="publish-build-") as folder:
        scratch = Path(folder)
        try:
            files = produce(job, options, scratch)
            reason, code = "", 0
        except PublishError as error:
            files, reason, code = {}, error.one_line(), error.exit_code
        except Exception as error:  # a bug in one document must not stop the others
            files, reason, code = {}, f"{job.seed}: internal error: {type(error).__name__}: {error}", 1
        reason = public_paths(reason, job, scratch)
        logs = tuple((r.levelno, public_paths(r.getMessage(), job, scratch)) for r in records)
    warnings = [message for level, message in logs if level >= logging.WARNING]
    if options.strict and warnings and not reason:
        files = {}
        reason, code = f"{job.seed}: warning under --strict: {warnings[0]}", StrictError.exit_code
    return Rendered(job.identifier, files, reason, code, time.perf_counter() - started, logs)


def produce(job: Job, options: Options, scratch: Path) -> dict[str, bytes]:
    """Normalise and render in ``scratch``, laid out like ``dist/``; return the bytes."""
    from publish.build import output_path
    from publish.normalise import normalise_with_assets, read_source, write_assets
    from publish.tei import serialise

    seed = materialise_seed(job.files, scratch / "seeds") if job.files else job.seed
    tree, assets = normalise_with_assets(read_source(seed), options)
    tei = serialise(tree)
    tei_path = output_path(scratch, "tei", job.identifier)
    tei_path.parent.mkdir(parents=True)
    tei_path.write_bytes(tei)
    write_assets(tei_path, job.identifier, assets)  # images beside the TEI, for the renderers
    files = {"tei": tei}
    files.update({f"{ASSET_PREFIX}{name}": data for name, data in assets})
    for kind in job.outputs:
        if kind != "tei":
            out = output_path(scratch, kind, job.identifier)
            out.parent.mkdir(parents=True, exist_ok=True)
            render_function(kind)(tei_path, out, options)
            files[kind] = out.read_bytes()
    return files


def public_paths(message: str, job: Job, scratch: Path) -> str:
    """A message with scratch paths replaced by the ones the user knows (seed, ``dist/``)."""
    if job.files:
        message = message.replace(str(scratch / "seeds" / job.files.name), str(job.seed))
    return message.replace(f"{scratch}/", f"{job.dist}/")


def materialise_seed(files: SeedFiles, folder: Path) -> Path:
    """Write a shipped seed (and its sidecar) under its own name, as the normaliser expects."""
    folder.mkdir(parents=True)
    seed = folder / files.name
    seed.write_bytes(files.data)
    if files.sidecar is not None:
        seed.with_suffix(".toml").write_bytes(files.sidecar)
    for name, data in files.resources:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return seed


def render_function(kind: str) -> Callable[[Path, Path, Options], None]:
    """The renderer for an output kind, from :data:`publish.render.RENDERERS`."""
    import importlib

    from publish.render import RENDERERS

    for name, _suffix, target in RENDERERS:
        if name == kind:
            module, function = target.split(":")
            return getattr(importlib.import_module(module), function)
    raise UsageError(f"no renderer for {kind!r}")


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def captured_logs() -> Iterator[list[logging.LogRecord]]:
    """Keep the publish logger's records for the caller instead of emitting them."""
    capture = _Capture()
    handlers, propagate = LOGGER.handlers[:], LOGGER.propagate
    LOGGER.handlers[:] = [capture]
    LOGGER.propagate = False
    try:
        yield capture.records
    finally:
        LOGGER.handlers[:] = handlers
        LOGGER.propagate = propagate


# -- warm-up ------------------------------------------------------------------

def warm_up(outputs: tuple[str, ...], templates: Path) -> None:
    """Pay the per-process costs once: imports, schema, XSLT, renderers, fonts.

    Never raises: a part that cannot warm up fails again, with its reason, in
    the first document that needs it.
    """
    try:
        import publish.normalise  # noqa: F401  every normaliser and its libraries
        from publish.tei.validate import publish_schema

        publish_schema()
        rendered = [kind for kind in outputs if kind != "tei"]
        if rendered:
            from publish.render.xhtml import stylesheet

            stylesheet(Path(templates))
            for kind in rendered:
                module = render_function(kind).__module__
                hook = getattr(__import__(module, fromlist=["warm_up"]), "warm_up", None)
                if callable(hook):
                    hook(Path(templates))
        if "pdf" in rendered:
            from weasyprint.text.fonts import FontConfiguration

            FontConfiguration()  # loads fontconfig's configuration and font list once
    except Exception as error:  # noqa: BLE001  reported by the first document instead
        LOGGER.debug("warm-up incomplete: %s: %s", type(error).__name__, error)


# -- the local pool -------------------------------------------------------------

_STARTED = None  # in a pool worker: the queue on which it announces each job it starts


def _pool_initializer(outputs: tuple[str, ...], templates: Path, level: int, started) -> None:
    """Set up a pool worker: quiet logger at the caller's level, then warm up."""
    global _STARTED
    _STARTED = started
    die_with_parent()
    LOGGER.handlers[:] = []
    LOGGER.propagate = False
    LOGGER.setLevel(level)
    warm_up(outputs, templates)


def die_with_parent() -> None:
    """Ask Linux to end this worker if the build process dies (``prctl(PR_SET_PDEATHSIG)``).

    Otherwise a killed build leaves its workers blocked on the task queue forever.
    """
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # no prctl: the worker outlives a killed build
            pass


def _pool_task(task: Callable[[Job, Options], Rendered], job: Job, options: Options) -> Rendered:
    """Announce the job (so a crash can be pinned on it), then run it."""
    _STARTED.put(job.identifier)
    return task(job, options)


def pool_context():
    """The multiprocessing context for the pool: ``fork`` if single-threaded, else ``forkserver``.

    ``fork`` is cheapest (workers inherit this process's imports), but forking
    a threaded process can deadlock.
    """
    import multiprocessing
    import threading

    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver")


def run_pool(jobs: list[Job], workers: int, options: Options, level: int,
             finished: Callable[[Rendered], None], task: Callable = render_job) -> None:
    """Run ``jobs`` on ``workers`` warm processes; retry those in flight when a worker dies.

    The documents in flight when the pool broke are retried one at a time, each
    alone in a one-worker pool, so a crash is pinned on the document causing it.
    """
    pending, empty_breaks = list(jobs), 0
    while pending:
        suspects, pending = _run_until_broken(pending, workers, options, level, finished, task)
        empty_breaks = empty_breaks + 1 if pending and not suspects else 0
        if empty_breaks >= ALLOWED_FAILURES:  # workers die before taking any document
            for job in pending:
                finished(_died(job, "while starting, before building"))
            return
        for job in suspects:
            _run_alone(job, options, level, finished, task)


def _run_alone(job: Job, options: Options, level: int, finished, task) -> None:
    """Retry a document that was in flight when its worker died, alone."""
    for _attempt in range(ALLOWED_FAILURES - 1):  # it has died once already
        suspects, unstarted = _run_until_broken([job], 1, options, level, finished, task)
        if not suspects and not unstarted:
            return
    finished(_died(job, f"each of {ALLOWED_FAILURES} times it built"))


def _died(job: Job, when: str) -> Rendered:
    return Rendered(job.identifier, reason=(
        f"{job.seed}: the worker process died {when} this document "
        f"(out of memory, or a crash in a library)"), exit_code=70)


def _run_until_broken(jobs, workers, options, level, finished, task):
    """Run jobs in one pool; if it breaks, return (jobs in flight, jobs not started)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = pool_context()
    started = context.SimpleQueue()
    outputs = jobs[0].outputs
    if context.get_start_method() == "fork":
        # Warm up here, once: forked workers inherit the warm state (and share
        # its memory pages), so each worker's own warm-up finds it done.
        warm_up(outputs, options.templates)
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context,
                               initializer=_pool_initializer,
                               initargs=(outputs, options.templates, level, started))
    done: set[str] = set()
    broken = False
    try:
        futures = {pool.submit(_pool_task, task, job, options): job for job in jobs}
        for future in as_completed(futures):
            if isinstance(future.exception(), BrokenProcessPool):
                broken = True
                break
            done.add(futures[future].identifier)
            finished(future.result())
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    if not broken:
        return [], []
    for future, job in futures.items():  # finished before the break, not yet collected
        if job.identifier not in done and future.exception() is None:
            done.add(job.identifier)
            finished(future.result())
    announced = set()
    while not started.empty():
        announced.add(started.get())
    remaining = [job for job in jobs if job.identifier not in done]
    return ([j for j in remaining if j.identifier in announced],
            [j for j in remaining if j.identifier not in announced])
