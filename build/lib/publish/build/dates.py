"""Each document's own date: when its inputs (seed, sidecar, images) last changed.

Every date a document's outputs carry (the teiHeader's publication date and
change, the PDF's and EPUB's metadata, the zip times) comes from one number,
the document's ``SOURCE_DATE_EPOCH`` (reproducible-builds.org). When the user
gives ``SOURCE_DATE_EPOCH``, it pins every document's date. Otherwise each
document is dated by its own inputs, so a change to one document never
changes another's bytes:

* an input committed to git, unchanged since, has the time of the last
  commit that touched it (``git log``, committer time);
* an input git does not know, or one changed since its last commit, has its
  file modification time, in whole seconds (kept by ``git checkout`` only as
  the checkout time, but by ``tar``, ``cp -p`` and ``rsync -a``).

A document's date is the newest of its inputs' dates. A withdrawn document's
is the time of the commit that removed its seed. One ``git log`` and one
``git status`` answer for the whole seeds folder, whatever its size. Git is
asked nothing about a seeds folder outside a repository.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
from pathlib import Path

from publish.layout import sidecar_path

#: How a document's date was found, for the log and the manifest.
BY_COMMIT = "git"
BY_MTIME = "mtime"


@dataclasses.dataclass(frozen=True)
class Dated:
    """A document's date, in seconds since 1970 (UTC), and how it was found."""

    epoch: int
    by: str


@dataclasses.dataclass(frozen=True)
class History:
    """What git says of a seeds folder: each path's last commit time, and the paths changed since."""

    top: Path | None = None
    committed: dict[str, int] = dataclasses.field(default_factory=dict)
    dirty: frozenset[str] = frozenset()

    @classmethod
    def read(cls, seeds: Path) -> History:
        """One ``git log`` and one ``git status`` over ``seeds``; empty outside a repository."""
        seeds = Path(os.path.realpath(seeds))
        top = git(seeds, "rev-parse", "--show-toplevel")
        if top is None:
            return cls()
        top_path = Path(top.decode("utf-8", "surrogateescape").strip())
        log = git(top_path, "log", "-z", "--format=%x01%ct", "--name-only", "--no-renames",
                  "--", str(seeds))
        status = git(top_path, "status", "--porcelain=v1", "-z", "--untracked-files=all",
                     "--no-renames", "--", str(seeds))
        return cls(top_path, parse_log(log or b""), parse_status(status or b""))

    def commit_time(self, path: Path) -> int | None:
        """The last commit time of ``path`` if it is committed and unchanged since, else ``None``."""
        if self.top is None:
            return None
        try:
            name = Path(os.path.realpath(path)).relative_to(self.top).as_posix()
        except ValueError:
            return None
        if name in self.dirty:
            return None
        return self.committed.get(name)


def git(folder: Path, *args: str) -> bytes | None:
    """A git command's output in ``folder``, or ``None`` if git is absent or the command fails."""
    try:
        result = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False,
                                env=dict(os.environ, GIT_OPTIONAL_LOCKS="0"))
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def parse_log(data: bytes) -> dict[str, int]:
    """``git log -z --format=%x01%ct --name-only``: each path → the newest commit time naming it."""
    times: dict[str, int] = {}
    for chunk in data.split(b"\x01")[1:]:
        stamp, _, names = chunk.partition(b"\0")
        when = int(stamp)
        for name in names.lstrip(b"\n").split(b"\0"):
            if name:
                times.setdefault(name.decode("utf-8", "surrogateescape"), when)
    return times


def parse_status(data: bytes) -> frozenset[str]:
    """``git status --porcelain=v1 -z``: every path listed (modified, added, untracked, deleted)."""
    return frozenset(entry[3:].decode("utf-8", "surrogateescape")
                     for entry in data.split(b"\0") if len(entry) > 3)


def input_date(path: Path, history: History) -> tuple[int, str]:
    """One input file's date and how it was found."""
    committed = history.commit_time(path)
    if committed is not None:
        return committed, BY_COMMIT
    return int(os.stat(path).st_mtime), BY_MTIME


def document_date(seed: Path, resources: tuple[str, ...], history: History) -> Dated:
    """The newest date of a seed, its sidecar and the images it names."""
    inputs = [seed, *(seed.parent / name for name in resources)]
    sidecar = sidecar_path(seed)
    if sidecar.is_file():
        inputs.append(sidecar)
    dates = [input_date(path, history) for path in inputs]
    epoch = max(when for when, _by in dates)
    by = BY_COMMIT if all(how == BY_COMMIT for _when, how in dates) else BY_MTIME
    return Dated(epoch, by)


def removal_date(seed_name: str, seeds: Path, history: History) -> int | None:
    """When a seed no longer present was removed: the last commit that named it, if any."""
    return history.commit_time(Path(seeds) / seed_name)
