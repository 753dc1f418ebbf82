"""EPUBCheck for many EPUBs in one Java virtual machine.

:func:`publish.render.epubcheck.run_epubcheck` starts a JVM per book, and the
start (JVM, classes, the compiled RELAX NG and Schematron schemas) is most of
the cost of a small book. :func:`run_epubcheck_batch` starts one JVM for the
whole batch (or ``jobs`` JVMs, each with a share of the books) running
``EpubCheckBatch.java`` beside this module: a single-file Java program that
Java runs from source (JEP 330, Java 11+) with the runtime's own compiler
module, so it needs nothing beyond the JRE and the ``epubcheck`` package that
EPUBCheck needs already: no JDK, no build step, no Python-Java bridge.

For every book the driver calls EPUBCheck's own command-line tool
(``com.adobe.epubcheck.tool.EpubChecker``, what ``java -jar epubcheck.jar``
runs) with ``BOOK --json OUT -q``: a fresh checker and report per book, and
the very JSON report one ``java -jar epubcheck.jar BOOK --json -`` writes. It
is read by the same code as the one-book path (:func:`epubcheck.messages`),
so the counts and messages are the same by construction; the tests compare
them with a real one-book run.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from publish.render.epubcheck import (
    EpubCheckUnavailable,
    Message,
    Report,
    epubcheck_jar,
    java_command,
    messages,
)

DRIVER = Path(__file__).with_name("EpubCheckBatch.java")
#: A long-lived JVM gains from the optimising compiler, so unlike the one-book
#: path (``-XX:TieredStopAtLevel=1``) only the serial collector is asked for.
JAVA_TOOL_OPTIONS = "-XX:+UseSerialGC"
START_TIMEOUT = 120  # seconds: JVM start and compiling the driver, on a busy machine
TIMEOUT_PER_BOOK = 120  # seconds; a small book takes well under one
SEVERITIES = ("FATAL", "ERROR", "WARNING", "USAGE", "INFO")


def counts(report: Report) -> dict[str, int]:
    """Messages (one per location) by severity, lower case: ``fatal``, ``error``, ``warning``, …"""
    return {severity.lower(): report.count(severity) for severity in SEVERITIES}


def run_epubcheck_batch(paths, usage: bool = False, jobs: int = 1) -> dict[Path, Report]:
    """EPUBCheck's report for every EPUB in ``paths``, in order, from one JVM per ``jobs``.

    Raises :class:`EpubCheckUnavailable` when Java or EPUBCheck is missing or
    a JVM fails; a book EPUBCheck itself cannot read gets its FATAL message,
    as from the one-book run.
    """
    paths = [Path(path) for path in paths]
    if not paths:
        return {}
    # EPUBCheck reports a missing file on stderr only, with an empty JSON report.
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise EpubCheckUnavailable(f"no such EPUB: {', '.join(missing[:5])}")
    java, jar = java_command(), epubcheck_jar()
    jobs = max(1, min(jobs, len(paths)))
    shares = [list(range(paths_start, len(paths), jobs)) for paths_start in range(jobs)]
    reports: dict[int, Report] = {}
    with tempfile.TemporaryDirectory(prefix="epubcheck-batch-") as folder:
        runs = []
        for number, share in enumerate(shares):
            outdir = Path(folder) / str(number)
            outdir.mkdir()
            command = [java, "-Duser.language=en", "-cp", str(jar), str(DRIVER), str(outdir)]
            if usage:
                command.append("--usage")
            environment = dict(os.environ, JAVA_TOOL_OPTIONS=JAVA_TOOL_OPTIONS)
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, env=environment)
            runs.append((process, share, outdir))
        for process, share, outdir in runs:
            request = "".join(f"{paths[index].resolve()}\n" for index in share).encode("utf-8")
            timeout = START_TIMEOUT + TIMEOUT_PER_BOOK * len(share)
            try:
                stdout, stderr = process.communicate(request, timeout=timeout)
            except subprocess.TimeoutExpired:
                for other, _share, _outdir in runs:
                    other.kill()
                raise EpubCheckUnavailable(f"EPUBCheck did not finish {len(share)} EPUB(s) "
                                           f"in {timeout} s") from None
            done = dict(line.split("\t", 1) for line in stdout.decode("utf-8").splitlines() if "\t" in line)
            for position, index in enumerate(share):
                reports[index] = read_report(outdir / f"{position}.json", done.get(str(position)),
                                             process.returncode, stderr)
    return {path: reports[index] for index, path in enumerate(paths)}


def read_report(path: Path, result: str | None, returncode: int, stderr: bytes) -> Report:
    """One book's JSON report, or :class:`EpubCheckUnavailable` saying why there is none."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        detail = result if result is not None else " ".join(stderr.decode("utf-8", "replace").split())[-300:]
        raise EpubCheckUnavailable(f"EPUBCheck gave no report for a book (JVM exit {returncode}): "
                                   f"{detail}") from None
    return Report(data.get("checker", {}).get("checkerVersion", "?"), tuple(messages(data)))


def check_epubs(paths, jobs: int = 1) -> dict[Path, list[str]]:
    """``publish validate`` for many EPUBs: per EPUB, its errors and warnings, one line each."""
    paths = [Path(path) for path in paths]
    try:
        return {path: report.problems for path, report in run_epubcheck_batch(paths, jobs=jobs).items()}
    except EpubCheckUnavailable as unavailable:
        return {path: [str(unavailable)] for path in paths}


__all__ = ["EpubCheckUnavailable", "Message", "Report", "check_epubs", "counts", "run_epubcheck_batch"]
