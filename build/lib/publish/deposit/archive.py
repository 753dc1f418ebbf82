"""The transfer form of a bag: one reproducible tar, and safe reading of tar and zip.

RFC 8493 §4.2 (serialisation): a serialised bag unpacks to a single base
folder named like the bag. The tar is reproducible (reproducible-builds.org,
"Archive metadata"): entries sorted by name, owner and group 0 with no
names, modes 0755/0644, every mtime ``SOURCE_DATE_EPOCH``, and the GNU
format, so no PAX headers carry access or change times.

Reading never trusts member names: only plain files and folders under one
base folder, with no absolute paths, ``..``, links or devices, are unpacked,
each by writing its bytes to a new file below a fresh temporary folder.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import posixpath
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from publish.errors import DepositError

DIR_MODE = 0o755
FILE_MODE = 0o644
#: Refuse to unpack more than this: a zip's sizes are the packer's word.
MAX_UNPACKED_BYTES = 8 * 1024 ** 3
ARCHIVE_SUFFIXES = (".tar", ".zip")


def write_tar(bag: Path, base_name: str, out: Path, epoch: int) -> None:
    """Write ``bag`` as the tar ``out``, its entries under ``base_name/``.

    ``out`` should be a temporary name: the caller moves it into place once the
    bag folder itself is in place.
    """
    with out.open("wb") as stream:
        with tarfile.open(fileobj=stream, mode="w", format=tarfile.GNU_FORMAT, encoding="utf-8") as tar:
            for relative, path in sorted_entries(bag):
                info = tarfile.TarInfo(posixpath.join(base_name, relative) if relative else base_name)
                info.mtime, info.uid, info.gid, info.uname, info.gname = epoch, 0, 0, "", ""
                if path.is_dir():
                    info.type, info.mode = tarfile.DIRTYPE, DIR_MODE
                    tar.addfile(info)
                else:
                    info.type, info.mode, info.size = tarfile.REGTYPE, FILE_MODE, path.stat().st_size
                    with path.open("rb") as data:
                        tar.addfile(info, data)
    os.chmod(out, FILE_MODE)


def sorted_entries(root: Path) -> list[tuple[str, Path]]:
    """Every folder and file under ``root`` (itself first) as (posix relative name, path), sorted."""
    entries = [("", root)]
    for path in root.rglob("*"):
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            raise DepositError("a bag may hold only files and folders", path)
        entries.append((path.relative_to(root).as_posix(), path))
    return sorted(entries)


def is_archive(path: Path) -> bool:
    """Whether ``path`` names a serialised bag this module reads."""
    return path.suffix.lower() in ARCHIVE_SUFFIXES


@contextlib.contextmanager
def unpacked(archive: Path) -> Iterator[Path]:
    """Unpack a .tar or .zip safely into a temporary folder; yield its single base folder."""
    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="publish-verify-")))
        try:
            members = read_members(archive, stack)
        except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError) as error:
            raise DepositError(f"cannot read the archive: {error}", archive) from None
        base = single_base(members, archive)
        unpack(members, scratch, archive)
        yield scratch / base


class Member:
    """One archive entry reduced to what unpacking needs: name, kind, size, bytes."""

    def __init__(self, name: str, is_dir: bool, size: int, opener) -> None:
        self.name, self.is_dir, self.size, self.open = name, is_dir, size, opener


def read_members(archive: Path, stack: contextlib.ExitStack) -> list[Member]:
    """The members of a tar or zip (kept open by ``stack``), refusing links, devices, unsafe names."""
    if archive.suffix.lower() == ".zip":
        return zip_members(stack.enter_context(zipfile.ZipFile(archive)), archive)
    return tar_members(stack.enter_context(tarfile.open(archive, "r:*")), archive)


def tar_members(tar: tarfile.TarFile, archive: Path) -> list[Member]:
    """Members of a tar; only folders and regular files are allowed."""
    members = []
    for info in tar.getmembers():
        if not (info.isdir() or info.isreg()):
            raise DepositError(f"refused member {info.name!r}: not a plain file or folder", archive)
        opener = functools.partial(tar.extractfile, info)
        members.append(Member(safe_name(info.name, archive), info.isdir(), info.size, opener))
    return members


def zip_members(package: zipfile.ZipFile, archive: Path) -> list[Member]:
    """Members of a zip; symbolic links and devices (by their Unix mode) are refused."""
    members = []
    for info in package.infolist():
        kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the packer recorded no Unix type
        if kind not in (0, stat.S_IFDIR, stat.S_IFREG):
            raise DepositError(f"refused member {info.filename!r}: not a plain file or folder", archive)
        opener = functools.partial(package.open, info)
        members.append(Member(safe_name(info.filename, archive), info.is_dir(), info.file_size, opener))
    return members


def safe_name(name: str, archive: Path) -> str:
    """A member name as a clean relative posix path, or refuse it."""
    clean = posixpath.normpath(name.rstrip("/"))
    parts = clean.split("/")
    if (not name or name.startswith("/") or "\\" in name or "\0" in name or ":" in parts[0]
            or clean in (".", "") or ".." in name.split("/")):
        raise DepositError(f"refused member {name!r}: unsafe path", archive)
    return clean


def single_base(members: list[Member], archive: Path) -> str:
    """The one folder every member lies in (RFC 8493 §4.2), or refuse the archive."""
    bases = sorted({m.name.split("/")[0] for m in members})
    loose = [m.name for m in members if "/" not in m.name and not m.is_dir]
    if len(bases) != 1 or loose:
        raise DepositError(f"does not unpack to a single bag folder (found: "
                           f"{', '.join(bases) or 'nothing'})", archive)
    return bases[0]


def unpack(members: list[Member], scratch: Path, archive: Path) -> None:
    """Write each member below ``scratch``; a name seen twice is refused."""
    if sum(m.size for m in members) > MAX_UNPACKED_BYTES:
        raise DepositError(f"refused: more than {MAX_UNPACKED_BYTES} bytes unpacked", archive)
    for member in members:
        target = scratch / member.name
        if member.is_dir:
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with member.open() as source, target.open("xb") as out:
                copied = copy_at_most(source, out, member.size)
        except FileExistsError:
            raise DepositError(f"refused member {member.name!r}: it appears twice", archive) from None
        except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError) as error:
            raise DepositError(f"cannot read member {member.name!r}: {error}", archive) from None
        if copied != member.size:
            raise DepositError(f"member {member.name!r} is not the size its header says", archive)


def copy_at_most(source: io.BufferedIOBase, out, limit: int) -> int:
    """Copy up to ``limit`` + 1 bytes, so a member longer than it says is caught."""
    copied = 0
    while copied <= limit:
        block = source.read(min(1 << 20, limit + 1 - copied))
        if not block:
            break
        out.write(block)
        copied += len(block)
    return copied
