"""The local pool of long-lived worker processes that run the per-document task.

Each worker runs :func:`publish.build.task.render_job`, the task every build
runs. The pool is a :class:`concurrent.futures.ProcessPoolExecutor` whose
initializer warms each worker once: it imports the normalisers and renderers
(WeasyPrint among them), compiles the RELAX NG schema and the TEI→XHTML XSLT
(both cached per process) and builds the font configuration, so documents
pay none of that. With the ``fork`` start method the main process warms up
once before the workers start and they inherit it: on a 2-core machine that
saves a second of CPU per extra worker. A worker that dies (out of memory, a crash in a C library)
breaks the pool; the documents it was building are retried in a fresh pool,
each up to :data:`ALLOWED_FAILURES` times, as Dask's scheduler does
(``distributed.scheduler.allowed-failures``), then reported as failed.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from publish.build.job import ALLOWED_FAILURES, Job, Rendered
from publish.build.task import render_job, warm_up
from publish.errors import RenderError
from publish.log import LOGGER
from publish.options import Options

_STARTED: Path | None = None  # in a pool worker: the folder where it names the job it is on


def _pool_initializer(outputs: tuple[str, ...], templates: Path, level: int, started: Path) -> None:
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
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # no prctl: the worker outlives a killed build
            pass


def _pool_task(task: Callable[[Job, Options], Rendered], job: Job, options: Options) -> Rendered:
    """Name the job this worker is on (so a crash can be pinned on it), then run it.

    Each worker overwrites one small file of its own, named by its pid: what the
    pool needs after a break is the job each worker was on, not every job ever
    started. (A pipe that every job wrote to and nobody read filled at 64 KB,
    about 2,300 jobs, and hung the build.)
    """
    mark = _STARTED / str(os.getpid())
    partial = mark.with_suffix(".part")
    partial.write_text(job.identifier, encoding="utf-8")
    os.replace(partial, mark)
    return task(job, options)


def _in_flight(started: Path) -> set[str]:
    """The job each worker was last on, as named in ``started``."""
    return {mark.read_text(encoding="utf-8") for mark in started.iterdir() if not mark.suffix}


def pool_context():
    """The multiprocessing context for the pool: ``fork`` if single-threaded, else ``forkserver``.

    ``fork`` is cheapest (workers inherit this process's imports), but forking
    a threaded process can deadlock.
    """
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
        f"(out of memory, or a crash in a library)"), exit_code=RenderError.exit_code)


def _run_until_broken(jobs, workers, options, level, finished, task):
    """Run jobs in one pool; if it breaks, return (jobs in flight, jobs not started)."""
    context = pool_context()
    with tempfile.TemporaryDirectory(prefix="publish-pool-") as folder:
        return _run_in_pool(jobs, workers, options, level, finished, task, context, Path(folder))


def _run_in_pool(jobs, workers, options, level, finished, task, context, started: Path):
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
    announced = _in_flight(started)
    remaining = [job for job in jobs if job.identifier not in done]
    return ([j for j in remaining if j.identifier in announced],
            [j for j in remaining if j.identifier not in announced])
