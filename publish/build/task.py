"""The per-document build task: one seed in, every asked-for output out, as bytes.

:func:`render_job` runs :func:`publish.pipeline.produce` and never raises: a
document that fails returns its one-line reason, so it cannot stop the
others. It writes nothing into ``dist/``; the build writes what it returns
(:mod:`publish.build.store`). The same task runs in this process
(``--jobs 1``), in the local pool (:mod:`publish.build.pool`) and on a Dask
cluster (:mod:`publish.build.cluster`), so all three make the same bytes.

Log records raised while building a document are captured and returned with
its result, so the main process re-logs them in order (``--strict`` and the
warning count see them) and a worker never writes to the terminal.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from publish import pipeline
from publish.build.job import ASSET_PREFIX, Job, Rendered
from publish.errors import PublishError, StrictError, WriteError
from publish.formats import FORMATS, load
from publish.layout import Layout
from publish.log import LOGGER
from publish.options import Options


def render_job(job: Job, options: Options) -> Rendered:
    """Build one document; turn any error into a failed result (never raises)."""
    started = time.perf_counter()
    with captured_logs() as records, tempfile.TemporaryDirectory(prefix="publish-build-") as folder:
        scratch = Path(folder)
        failed: tuple[tuple[str, str, int], ...] = ()
        try:
            files, failed = produce(job, options.dated(job.epoch), scratch)
            reason, code = "", 0
        except PublishError as error:
            files, reason, code = {}, error.one_line(), error.exit_code
        except OSError as error:  # the scratch folder or a library's cache is full or not writable
            where = error.filename or f"a scratch file in {scratch.parent}"
            files, reason, code = {}, (f"{job.seed}: cannot write {where}: "
                                       f"{error.strerror or error}"), WriteError.exit_code
        except Exception as error:  # noqa: BLE001  a bug in one document must not stop the others
            files, reason, code = {}, (f"{job.seed}: internal error: {type(error).__name__}: "
                                       f"{error}"), PublishError.exit_code
        reason = public_paths(reason, job, scratch)
        failed = tuple((kind, public_paths(why, job, scratch), c) for kind, why, c in failed)
        logs = tuple((r.levelno, public_paths(r.getMessage(), job, scratch)) for r in records)
    warnings = [message for level, message in logs if level >= logging.WARNING]
    if options.strict and warnings and not reason:
        files, failed = {}, ()
        reason, code = f"{job.seed}: warning under --strict: {warnings[0]}", StrictError.exit_code
    return Rendered(job.identifier, files, reason, code, time.perf_counter() - started, logs, failed)


def produce(job: Job, options: Options, scratch: Path):
    """Run the pipeline on the job's seed (shipped seeds are written to ``scratch`` first).

    Returns the outputs as ``{kind or asset:<url>: bytes}`` and the editions that failed.
    """
    seed = job.files.materialise(scratch / "seeds") if job.files else job.seed
    products = pipeline.produce(seed, job.outputs, options,
                                shown=Layout(dist=job.dist).master(job.identifier))
    files = products.outputs()
    files.update({f"{ASSET_PREFIX}{url}": data for url, data in products.master.assets.items()})
    failed = tuple((kind, reason, code) for kind, (reason, code) in sorted(products.failures.items()))
    return files, failed


def public_paths(message: str, job: Job, scratch: Path) -> str:
    """A message with the shipped seed's scratch path replaced by the one the user knows."""
    if job.files:
        message = message.replace(str(scratch / "seeds" / job.files.name), str(job.seed))
    return message


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


def warm_up(outputs: tuple[str, ...], templates: Path) -> None:
    """Pay the per-process costs once: imports, schema, XSLT, and each output's own warm-up.

    Never raises: a part that cannot warm up fails again, with its reason, in
    the first document that needs it.
    """
    try:
        from publish.tei.validate import publish_schema

        publish_schema()
        rows = [row for row in FORMATS if row.kind in outputs and row.rendered]
        if rows:
            from publish.render.xhtml import stylesheet

            stylesheet(Path(templates))
        for row in rows:
            load(row.render)  # imports the renderer and its libraries
            if row.warm_up:
                load(row.warm_up)(Path(templates))
    except Exception as error:  # noqa: BLE001  reported by the first document instead
        LOGGER.debug("warm-up incomplete: %s: %s", type(error).__name__, error)
