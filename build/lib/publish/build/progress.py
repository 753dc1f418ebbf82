"""The build's terminal display: progress while documents build, then the summary.

With :mod:`publish.cli`, the only code that writes to the terminal. On a
terminal, a live rich bar with counts, rate and ETA; off a terminal, one plain
line per document on stderr; ``--quiet``, failures only; ``--json``, one report
on stdout at the end.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time

from publish.build.plan import BuildRequest, Outcome


class PlainProgress:
    """Off a terminal: one line per built, partial or failed document on stderr."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def advance(self, outcome: Outcome) -> None:
        if outcome.status in ("failed", "partial"):
            print(f"{outcome.status:<7} {outcome.identifier}: {outcome.reason}", file=sys.stderr,
                  flush=True)
        elif not self.quiet:
            print(f"built   {outcome.identifier} ({outcome.seconds:.2f} s)", file=sys.stderr, flush=True)

    def close(self) -> None:
        pass


class SilentProgress(PlainProgress):
    """``--json``: nothing until the report."""

    def advance(self, outcome: Outcome) -> None:
        pass


class BarProgress:
    """On a terminal: a live bar with counts, rate and ETA (rich); failures printed above it."""

    def __init__(self, total: int, skipped: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.counts = {"built": 0, "partial": 0, "skipped": skipped, "failed": 0}
        self.started = time.perf_counter()
        self.bar = Progress(BarColumn(bar_width=20), MofNCompleteColumn(),
                            TextColumn("{task.fields[counts]}"), TextColumn("{task.fields[rate]}"),
                            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                            console=Console(stderr=True))
        self.task = self.bar.add_task("build", total=total, counts=self.text(), rate="")
        self.bar.start()

    def text(self) -> str:
        return ", ".join(f"{count} {status}" for status, count in self.counts.items())

    def advance(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        done = self.counts["built"] + self.counts["partial"] + self.counts["failed"]
        rate = done / max(time.perf_counter() - self.started, 1e-9)
        if outcome.status in ("failed", "partial"):
            self.bar.console.print(f"{outcome.status:<7} {outcome.identifier}: {outcome.reason}",
                                   markup=False, highlight=False)
        self.bar.update(self.task, advance=1, counts=self.text(), rate=f"{rate:.1f} doc/s")

    def close(self) -> None:
        self.bar.stop()


def make_progress(request: BuildRequest, total: int, skipped: int):
    """The progress display fitting the request and stderr."""
    if request.json:
        return SilentProgress(True)
    if total and not request.quiet and sys.stderr.isatty():
        return BarProgress(total, skipped)
    return PlainProgress(request.quiet)


def summary(outcomes: list[Outcome], request: BuildRequest, jobs: int, seconds: float,
            code: int) -> None:
    """The summary on stderr (each failure with its reason), or the JSON report on stdout."""
    counts = {status: sum(o.status == status for o in outcomes)
              for status in ("built", "partial", "skipped", "failed")}
    if request.json:
        report = {"counts": counts, "exit_code": code, "seconds": round(seconds, 3),
                  "jobs": jobs, "scheduler": request.scheduler,
                  "outputs": list(request.document_outputs), "dist": str(request.dist),
                  "documents": [dataclasses.asdict(o) | {"seconds": round(o.seconds, 3)}
                                for o in outcomes]}
        print(json.dumps(report, indent=1, ensure_ascii=False))
        return
    where = f"on {request.scheduler}" if request.scheduler else f"{jobs} job{'s' * (jobs > 1)}"
    partial = f"{counts['partial']} partial, " if counts["partial"] else ""
    print(f"publish build: {counts['built']} built, {partial}{counts['skipped']} skipped, "
          f"{counts['failed']} failed in {seconds:.1f} s ({where})", file=sys.stderr)
    for outcome in outcomes:
        if outcome.status in ("failed", "partial"):
            print(f"  {outcome.status} {outcome.identifier}: {outcome.reason}", file=sys.stderr)
