"""Check EPUBs for accessibility with DAISY Ace, many books to one browser.

Ace (npm ``@daisy/ace``, pinned in ``package.json``) is installed under the
project by ``npm ci`` into ``node_modules/``, never globally. It runs headless
on the system Chromium (Debian ``chromium``), named to puppeteer by
``PUPPETEER_EXECUTABLE_PATH``; Ace's puppeteer runner already passes
``--no-sandbox --disable-setuid-sandbox``, which Chromium needs as root.

Ace's command line checks one EPUB per run and starts a browser each time.
:func:`run_ace` instead runs ``ace_batch.js`` beside this module: one Node
process that calls Ace's own API (``@daisy/ace-core`` with Ace's puppeteer
runner) for every book of the batch in one browser, and prints one JSON line
per book. The report is Ace's: :func:`parse_report` reads its
``assertions`` (one failing sub-assertion per rule and element, as Ace's
HTML report counts them) into violations by impact.

Note: ``node_modules/.bin/ace`` of ``@daisy/ace`` 1.4 is the *Electron*
runner, which needs the Electron binary that the install skips;
``node_modules/.bin/ace-puppeteer`` is the same checker on puppeteer
(:func:`ace_cli`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
from pathlib import Path

IMPACTS = ("critical", "serious", "moderate", "minor")
DEFAULT_CHROMIUM = "/usr/bin/chromium"
LAUNCH_TIMEOUT_MS = "30000"  # Ace's default, 5 s, is too short on a busy machine
TIMEOUT_PER_BOOK = 240  # seconds; Ace's own per-document limit
START_ALLOWANCE = 60  # seconds for node and the browser to start, once per batch
DRIVER = Path(__file__).with_name("ace_batch.js")
#: Node packages the driver loads, all installed by ``npm ci`` from package-lock.json.
NODE_PACKAGES = ("@daisy/ace-core", "@daisy/ace-axe-runner-puppeteer")


class AceUnavailable(Exception):
    """Ace cannot run here; the message names what is missing and how to get it."""


@dataclasses.dataclass(frozen=True)
class Violation:
    """One failed Ace check on one element (or on the package document)."""

    rule: str
    impact: str
    document: str
    description: str
    where: str = ""
    html: str = ""

    def one_line(self) -> str:
        """``serious epub-lang EPUB/content.opf: The language must be specified …``."""
        where = f" {self.where}" if self.where else ""
        return " ".join(f"{self.impact} {self.rule} {self.document}{where}: {self.description}".split())


@dataclasses.dataclass(frozen=True)
class AceReport:
    """Ace's findings for one EPUB, or why Ace could not check it (``error``)."""

    epub: Path
    version: str
    outcome: str
    violations: tuple[Violation, ...]
    error: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        """Violations by impact, every impact present (``critical`` … ``minor``)."""
        counts = dict.fromkeys(IMPACTS, 0)
        for violation in self.violations:
            counts[violation.impact] = counts.get(violation.impact, 0) + 1
        return counts

    @property
    def rules(self) -> list[str]:
        """The ids of the rules that failed, sorted, each once."""
        return sorted({violation.rule for violation in self.violations})

    @property
    def passed(self) -> bool:
        """Ace checked the book and found nothing of any impact."""
        return self.error is None and not self.violations

    @property
    def problems(self) -> list[str]:
        """Every violation, one line each, or the reason the book was not checked."""
        if self.error is not None:
            return [f"Ace could not check the EPUB: {self.error}"]
        return [violation.one_line() for violation in self.violations]


@dataclasses.dataclass(frozen=True)
class AceTools:
    """Where Node, the project's Ace and the browser are."""

    node: str
    node_modules: Path
    chromium: str
    version: str

    def environment(self) -> dict[str, str]:
        """The child's environment: ours, plus the browser and the project's modules."""
        environment = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=self.chromium,
                           PUPPETEER_SKIP_DOWNLOAD="1", NODE_PATH=str(self.node_modules))
        environment.setdefault("ACE_TIMEOUT_INITIAL", LAUNCH_TIMEOUT_MS)
        return environment


def project_root() -> Path:
    """The folder holding ``package.json`` and ``node_modules/``."""
    return Path(__file__).resolve().parents[2]


def find_ace(root: Path | None = None) -> AceTools:
    """Node, the project-local Ace and Chromium, or :class:`AceUnavailable` naming what is missing."""
    root = project_root() if root is None else Path(root)
    node = shutil.which("node")
    if node is None:
        raise AceUnavailable("Node.js is missing: Ace needs node 20 or later "
                             "(apt-get install nodejs npm); EPUB accessibility not checked")
    node_modules = root / "node_modules"
    for package in NODE_PACKAGES:
        if not (node_modules / package / "package.json").is_file():
            raise AceUnavailable(f"DAISY Ace is not installed under the project ({node_modules / package} "
                                 "is missing): run `make node_modules/.installed` (npm ci); "
                                 "EPUB accessibility not checked")
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium") or DEFAULT_CHROMIUM
    if not (Path(chromium).is_file() and os.access(chromium, os.X_OK)):
        raise AceUnavailable(f"Chromium is missing ({chromium}): Ace runs in a headless browser "
                             "(apt-get install chromium); EPUB accessibility not checked")
    version = json.loads((node_modules / "@daisy/ace-core/package.json").read_text("utf-8"))["version"]
    return AceTools(node, node_modules, chromium, version)


def ace_cli(root: Path | None = None) -> Path:
    """Ace's own one-book command line on puppeteer (``node_modules/.bin/ace-puppeteer``)."""
    root = project_root() if root is None else Path(root)
    find_ace(root)
    return root / "node_modules" / ".bin" / "ace-puppeteer"


def run_ace(paths, jobs: int = 2, tools: AceTools | None = None) -> dict[Path, AceReport]:
    """Check every EPUB in ``paths`` with Ace in one browser; a report per path, in order.

    ``jobs`` books are checked at the same time in that browser. A book Ace
    cannot open gets a report with ``error`` set, and so does a book Ace does
    not finish in time: a batch that runs out of time is checked again one
    book at a time, and each book that runs out of time alone is a finding,
    never a pass. A browser that cannot start, or a driver that dies, raises
    :class:`AceUnavailable`.
    """
    paths = [Path(path) for path in paths]
    if not paths:
        return {}
    tools = find_ace() if tools is None else tools
    command = [tools.node, str(DRIVER), "--jobs", str(max(1, jobs))]
    request = json.dumps([str(path.resolve()) for path in paths])
    timeout = START_ALLOWANCE + TIMEOUT_PER_BOOK * len(paths) / max(1, jobs)
    try:
        done = subprocess.run(command, input=request.encode("utf-8"), capture_output=True,
                              env=tools.environment(), timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        if len(paths) > 1:  # find the book that hangs: each alone, in its own browser
            return {path: report for one in paths for path, report in run_ace([one], 1, tools).items()}
        return {paths[0]: AceReport(paths[0], tools.version, "error", (),
                                    f"Ace did not finish checking this book in {timeout:.0f} s")}
    lines = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines() if line.strip()]
    results = [line for line in lines if "epub" in line]
    if done.returncode != 0 or len(results) != len(paths):
        detail = " ".join(done.stderr.decode("utf-8", "replace").split())[-400:]
        raise AceUnavailable(f"Ace gave {len(results)} of {len(paths)} reports "
                             f"(exit {done.returncode}): {detail}")
    return {path: report_from(path, result, tools.version) for path, result in zip(paths, results, strict=True)}


def report_from(path: Path, result: dict, version: str) -> AceReport:
    """One driver line as an :class:`AceReport`."""
    if "error" in result:
        return AceReport(path, version, "error", (), result["error"])
    return parse_report(result["report"], path)


def parse_report(data: dict, path: Path | str = "") -> AceReport:
    """Ace's JSON report (``report.json``, or a driver line's ``report``) as an :class:`AceReport`."""
    version = data.get("earl:assertedBy", {}).get("doap:release", {}).get("doap:revision", "?")
    outcome = data.get("earl:result", {}).get("earl:outcome", "?")
    return AceReport(Path(path), version, outcome, tuple(violations(data)))


def violations(data: dict):
    """One :class:`Violation` per failing sub-assertion of Ace's report."""
    for assertion in data.get("assertions", []):
        document = assertion.get("earl:testSubject", {}).get("url", "")
        for check in assertion.get("assertions", []):
            result = check.get("earl:result", {})
            if result.get("earl:outcome") != "fail":
                continue
            test = check.get("earl:test", {})
            pointer = result.get("earl:pointer", {})
            where = " ".join(pointer.get("css", []) or pointer.get("cfi", []))
            yield Violation(test.get("dct:title", "?"), test.get("earl:impact", "?"), document,
                            result.get("dct:description", ""), where, result.get("html", ""))


def check_epubs(paths, jobs: int = 2) -> dict[Path, list[str]]:
    """Ace's findings for ``publish validate``: per EPUB, one line per violation.

    Where Ace cannot run, every EPUB gets the one line saying why.
    """
    paths = [Path(path) for path in paths]
    try:
        return {path: report.problems for path, report in run_ace(paths, jobs).items()}
    except AceUnavailable as unavailable:
        return {path: [str(unavailable)] for path in paths}
