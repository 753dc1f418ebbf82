"""Run ``publish build`` on a Dask cluster: ``publish build --scheduler tcp://HOST:8786``.

Each document is one task, :func:`cluster_task`, which runs the very task
the local pool runs (:func:`publish.build.task.render_job`), so the outputs are
the same bytes. Nothing is assumed shared between the client and the
workers except the installed ``publish`` package:

* the client reads each seed, its sidecar and the images beside it that it
  points at, and ships their bytes with the task
  (:class:`publish.build.task.SeedFiles`);
* ``templates/`` is shipped once per worker (scattered with ``broadcast``)
  and written to a folder named by its sha256 in the worker's temporary
  directory;
* the worker returns the outputs as bytes, and the client writes them into
  ``dist/`` atomically and records them in the manifest, exactly as a local
  build does. Workers never write into ``dist/``.

Failures behave as locally: a document that fails returns its one-line
reason; a worker that dies has its tasks re-run by the scheduler up to
``distributed.scheduler.allowed-failures`` times (3 by default, the same
number the local pool allows), after which the document fails with
``KilledWorker`` named. Workers warm up on their first document (imports,
schema, XSLT, fonts), once per process. Run them with one thread each
(``--nthreads 1``) and as many processes as cores: WeasyPrint and libxslt
are not shared between threads.

This module is imported only when ``--scheduler`` is given, so a local build
needs no Dask. (It was ``publish/dask.py``, which shadowed the ``dask`` package.)
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from publish.build.job import ALLOWED_FAILURES, Job, Rendered, SeedFiles
from publish.build.task import render_job, warm_up
from publish.errors import RenderError, UsageError
from publish.layout import tree_digest, tree_files
from publish.log import LOGGER
from publish.options import Options

#: How long to wait for the scheduler before giving up.
CONNECT_TIMEOUT = "20s"


@dataclasses.dataclass(frozen=True)
class TemplatesBundle:
    """Every file under ``templates/`` (relative path → bytes) and their digest."""

    digest: str
    files: tuple[tuple[str, bytes], ...]

    @classmethod
    def read(cls, templates: Path) -> TemplatesBundle:
        files = tuple((p.relative_to(templates).as_posix(), p.read_bytes())
                      for p in tree_files(templates))
        return cls(tree_digest(templates), files)


def run_on_cluster(address: str, jobs: list[Job], options: Options, level: int,
                   finished: Callable[[Rendered], None]) -> None:
    """Run every job on the cluster at ``address``; pass each result to ``finished``."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("--scheduler needs dask.distributed: pip install 'publish[dask]'") from None
    route_dask_logging()
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    with client:
        check_threads(client, address)
        [bundle] = client.scatter([TemplatesBundle.read(options.templates)], broadcast=True,
                                  hash=False)
        run = uuid.uuid4().hex[:8]
        futures = {}
        for job in jobs:
            shipped = dataclasses.replace(job, files=SeedFiles.read(job.seed, job.resources))
            future = client.submit(cluster_task, shipped, bundle, options, level,
                                   key=f"publish-{job.identifier}-{run}", pure=False)
            futures[future] = job
        try:
            for future in as_completed(futures, loop=client.loop):
                finished(collect(future, futures[future]))
        except BaseException:
            client.cancel(list(futures))
            raise


class ToPublishLog(logging.Handler):
    """Dask's log records, as one line each in publish's own log at debug level (no traceback)."""

    def emit(self, record: logging.LogRecord) -> None:
        LOGGER.debug("dask: %s: %s", record.name, " ".join(record.getMessage().split())[:300])


def route_dask_logging() -> None:
    """Send Dask's loggers (distributed's own stderr handler, tornado's) through publish's logger.

    A scheduler lost mid-build otherwise prints some fifty lines of
    ``distributed.client`` traceback beside the build's one-line failures.
    """
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in ("distributed", "tornado"):
            logger = logging.getLogger(name)
            logger.handlers[:] = []  # distributed gives some of its loggers a stderr handler of their own
            logger.propagate = True
    for name in ("distributed", "tornado"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [ToPublishLog()]
        logger.propagate = False


def collect(future, job: Job) -> Rendered:
    """A task's result, or a failed result naming why the cluster could not run it."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        return Rendered(job.identifier, reason=(
            f"{job.seed}: the Dask worker died each time it built this document "
            f"(KilledWorker after {ALLOWED_FAILURES} tries: out of memory, or a crash in a library)"),
            exit_code=RenderError.exit_code)
    except Exception as error:  # noqa: BLE001  lost connection, cancelled: one document's failure
        said = " ".join(str(error).split())  # Dask's messages run over several lines
        return Rendered(job.identifier, reason=f"{job.seed}: the cluster did not run it: "
                                               f"{type(error).__name__}: {said}", exit_code=RenderError.exit_code)


def check_threads(client, address: str) -> None:
    """Warn when a worker runs several threads; each worker process builds one document at a time."""
    threads = client.nthreads()
    crowded = sorted(worker for worker, count in threads.items() if count > 1)
    if crowded:
        LOGGER.warning("Dask workers on %s run more than one thread (%s); start them with "
                       "--nthreads 1 and more processes", address, ", ".join(crowded[:3]))


# -- on the worker ----------------------------------------------------------------

def cluster_task(job: Job, bundle: TemplatesBundle, options: Options, level: int) -> Rendered:
    """Build one document on a Dask worker with the shipped templates; return its bytes."""
    templates = materialise_templates(bundle)
    prepare_worker(job.outputs, templates, level)
    return render_job(job, dataclasses.replace(options, templates=templates))


@functools.cache
def prepare_worker(outputs: tuple[str, ...], templates: Path, level: int) -> None:
    """Once per worker process: the publish logger's level, then the warm-up."""
    LOGGER.setLevel(level)
    warm_up(outputs, templates)


_MATERIALISED: dict[str, Path] = {}


def materialise_templates(bundle: TemplatesBundle) -> Path:
    """The shipped templates as a folder named by their digest, written once, atomically."""
    if bundle.digest in _MATERIALISED:
        return _MATERIALISED[bundle.digest]
    root = Path(tempfile.gettempdir())
    folder = root / f"publish-templates-{bundle.digest[:20]}"
    if not folder.is_dir():
        staging = Path(tempfile.mkdtemp(prefix=".publish-templates-", dir=root))
        for name, data in bundle.files:
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        try:
            os.rename(staging, folder)
        except OSError:  # another worker process on this host was first; its copy is the same
            shutil.rmtree(staging, ignore_errors=True)
    if not verify(folder, bundle):
        raise UsageError(f"{folder}: holds other templates than the client's; remove it")
    _MATERIALISED[bundle.digest] = folder
    return folder


def verify(folder: Path, bundle: TemplatesBundle) -> bool:
    """True if ``folder`` holds exactly the bundle's files."""
    return tree_digest(folder) == bundle.digest

