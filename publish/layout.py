"""The one place that knows where files live: ``seeds/`` and ``dist/``.

==============================  ===============================================
path                            what
==============================  ===============================================
``seeds/<id>.<ext>``            a seed; ``<id>`` (its stem) names every output
``seeds/<id>.toml``             its optional sidecar
``dist/<folder>/<id><suffix>``  a per-document output (folder and suffix from
                                :data:`publish.formats.FORMATS`)
``dist/tei/<id>_assets/``       the master's images; ``graphic/@url`` is
                                ``<id>_assets/<name>``, relative to the master
``dist/<folder>/``              a collection output (:data:`~publish.formats.COLLECTIONS`)
``dist/manifest.json``          what each document was built from (:mod:`publish.build.manifest`)
``dist/deposit/<id>/``          a document's BagIt bag, and ``<id>.tar``
``dist/ocfl/``                  the OCFL 1.1 storage root of ``publish preserve``
``dist/.checks/<key>.json``     one cached check result (:mod:`publish.validation.cache`)
``dist/report.json``, ``.html`` the last validation report (:mod:`publish.validation.report`)
==============================  ===============================================

Only the standard library and the output tables are imported here, so a
build that has nothing to do stays cheap.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from collections.abc import Callable, Collection
from pathlib import Path

from publish.errors import UsageError
from publish.formats import COLLECTIONS, format_for

SIDECAR_SUFFIX = ".toml"
ASSETS_SUFFIX = "_assets"
MANIFEST = "manifest.json"
MANIFEST_LOCK = ".manifest.lock"
DEPOSIT = "deposit"
OCFL = "ocfl"
CHECK_CACHE = ".checks"
REPORT = "report"
#: Files beside a seed that a normaliser may read (images an HTML or Markdown seed shows).
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".tif",
                            ".tiff", ".bmp"})


def asset_folder_name(identifier: str) -> str:
    """The name of a master's asset folder, as its ``graphic/@url`` values begin."""
    return f"{identifier}{ASSETS_SUFFIX}"


def sidecar_path(seed: Path) -> Path:
    """The sidecar beside a seed: same stem, ``.toml``."""
    return Path(seed).with_suffix(SIDECAR_SUFFIX)


def master_of(edition: Path) -> Path:
    """The master an edition in ``dist/<folder>/<id><suffix>`` was made from: ``dist/tei/<id>.xml``."""
    # abspath, not resolve(): the same answer for the layout's own paths without a
    # system call per component (a no-op validate asks this for every PDF).
    edition = Path(os.path.abspath(edition))
    return Layout(dist=edition.parent.parent).master(edition.stem)


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, hex."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def tree_digest(folder: Path, exclude: tuple[str, ...] = ()) -> str:
    """The sha256 of every file under ``folder``, names included (how templates are compared).

    Files under the top-level folders named in ``exclude`` are left out.
    """
    digest = hashlib.sha256()
    for path in tree_files(folder):
        if path.relative_to(folder).parts[0] in exclude:
            continue
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def files_digest(folder: Path, names: tuple[str, ...]) -> str:
    """The sha256 of the named files under ``folder``, names included; a missing one counts as absent."""
    digest = hashlib.sha256()
    for name in sorted(names):
        path = Path(folder) / name
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"absent")
    return digest.hexdigest()


def code_digest() -> str:
    """The sha256 of publish's own source (the package's files, caches left out).

    What a version string cannot tell: a renderer changed in a working tree, or a
    build of the same version from other code, re-renders what that code makes.
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in tree_files(package):
        # templates/ is recorded per output (FORMATS' templates), not as code.
        if "__pycache__" in path.parts or path.suffix == ".pyc" or path.relative_to(package).parts[0] == "templates":
            continue
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def tree_files(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted."""
    return sorted(p for p in Path(folder).rglob("*") if p.is_file())


def images_under(folder: Path) -> tuple[str, ...]:
    """Image files under a seeds folder (relative paths): what a seed there may point at."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in IMAGE_SUFFIXES:
                found.append(Path(root, name).relative_to(folder).as_posix())
    return tuple(sorted(found))


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where a project's seeds are and where its outputs go."""

    dist: Path = Path("dist")
    seeds: Path = Path("seeds")

    # -- per-document outputs ---------------------------------------------------

    def output(self, kind: str, identifier: str) -> Path:
        """Where an output of ``kind`` goes: ``dist/<folder>/<id><suffix>``."""
        row = format_for(kind)
        return self.dist / row.folder / f"{identifier}{row.suffix}"

    def master(self, identifier: str) -> Path:
        """The TEI master: ``dist/tei/<id>.xml``."""
        return self.output("tei", identifier)

    def assets(self, identifier: str) -> Path:
        """The master's asset folder, beside it: ``dist/tei/<id>_assets/``."""
        return self.master(identifier).parent / asset_folder_name(identifier)

    def collection(self, kind: str) -> Path:
        """The folder of a collection output."""
        for row in COLLECTIONS:
            if row.kind == kind:
                return self.dist / row.folder
        raise KeyError(kind)

    @property
    def manifest(self) -> Path:
        return self.dist / MANIFEST

    @property
    def manifest_lock(self) -> Path:
        return self.dist / MANIFEST_LOCK

    @property
    def check_cache(self) -> Path:
        """The check results, one file per output bytes and tool versions: ``dist/.checks/``."""
        return self.dist / CHECK_CACHE

    def report(self, suffix: str) -> Path:
        """The validation report: ``dist/report.json`` or ``dist/report.html``."""
        return self.dist / f"{REPORT}{suffix}"

    def bag(self, identifier: str) -> Path:
        """A document's BagIt bag: ``dist/deposit/<id>/``."""
        return self.dist / DEPOSIT / identifier

    def bag_archive(self, identifier: str) -> Path:
        """The bag as one tar: ``dist/deposit/<id>.tar``."""
        return self.dist / DEPOSIT / f"{identifier}.tar"

    @property
    def ocfl_root(self) -> Path:
        """The OCFL storage root every version of every document is kept in: ``dist/ocfl/``."""
        return self.dist / OCFL

    # -- seeds ------------------------------------------------------------------

    def seed_candidates(self) -> list[Path]:
        """Every entry in the seeds folder that may be a seed (not hidden, not a sidecar, not a
        folder), sorted. Links and special files are listed too, so that
        :func:`seed_problem` can refuse them by name instead of skipping them unseen."""
        with os.scandir(self.seeds) as entries:
            return sorted(Path(entry.path) for entry in entries
                          if not entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".")
                          and not entry.name.lower().endswith(SIDECAR_SUFFIX))


def seed_problem(seed: Path) -> str | None:
    """Why a seed may not be read, or None: only regular files inside its own folder are.

    A symbolic link is followed only to a regular file inside the seed's folder
    (POSIX ``realpath``); a link out of it, a broken link, a loop, a FIFO (which
    would block the build), a device or a socket is refused. To publish a file
    kept elsewhere, copy it into the folder.
    """
    name_problem = id_problem(seed)
    if name_problem:
        return name_problem
    try:
        info = seed.lstat()
    except OSError as error:
        return f"cannot read: {error.strerror}"
    if stat.S_ISLNK(info.st_mode):
        try:
            target = seed.resolve(strict=True)
        except RuntimeError:
            return "a symbolic link loop; refused"
        except OSError as error:
            return f"a symbolic link to {os.readlink(seed)}, which cannot be read ({error.strerror}); refused"
        folder = seed.parent.resolve()
        if folder not in target.parents:
            return (f"a symbolic link to {target}, outside {folder.name}/; refused (to publish "
                    f"that file, copy it into {folder.name}/)")
        info = target.stat()
    if not stat.S_ISREG(info.st_mode):
        return f"{special_kind(info.st_mode)}, not a regular file; refused"
    return None


#: The longest id, in bytes of UTF-8: every output, asset folder and temporary file is
#: named from it, and a file name may have at most 255 bytes (NAME_MAX).
MAX_ID_BYTES = 200


def id_problem(seed: Path) -> str | None:
    """Why a seed's name cannot name its outputs, or None: too long, or holding a control character."""
    identifier = seed.stem
    size = len(os.fsencode(identifier))
    if size > MAX_ID_BYTES:
        return (f"its id (the name without {seed.suffix}) is {size} bytes long; at most {MAX_ID_BYTES}, "
                "as every output is named from it: rename the file")
    control = next((c for c in seed.name if ord(c) < 0x20 or ord(c) == 0x7F), None)
    if control is not None:
        return f"its name holds the control character U+{ord(control):04X}; refused: rename the file"
    return None


def special_kind(mode: int) -> str:
    """What a file that is not regular is, in words."""
    for test, name in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "a special file"


def find_seeds(layout: Layout, suffixes: Callable[[], Collection[str]],
               known: frozenset[str] = frozenset()) -> list[Path]:
    """Every file in the seeds folder some normaliser takes, sorted by name.

    ``suffixes`` gives the suffixes the normalisers take (``publish.normalise.seed_suffixes``,
    passed in: this leaf module imports no normaliser). It is called only if some
    name is not in ``known`` (seeds of the last build), so a build with nothing to
    do imports no normaliser.
    """
    if not layout.seeds.is_dir():
        raise UsageError(f"no seeds folder: {layout.seeds}")
    candidates = layout.seed_candidates()
    if all(path.name in known for path in candidates):
        return candidates
    taken = suffixes()
    return [p for p in candidates if p.name in known or p.suffix.lower() in taken]
