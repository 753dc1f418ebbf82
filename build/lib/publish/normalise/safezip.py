"""Safe reading of zip packages (DOCX is one) into memory, never onto disk.

Follows the ZIP Application Note (PKWARE APPNOTE 6.3.x, §4.4.17 file names)
and ECMA-376 Part 2 (Open Packaging Conventions, §6.2.2 part names), with the
defences OWASP lists for archives:

- the number of members is capped (a zip of a million empty files);
- inflated bytes are counted *while* inflating, in chunks, so a zip bomb is
  stopped after at most one chunk over the cap, whatever its headers claim;
- member names with ``..`` segments, absolute paths (``/x``, ``C:``) or
  backslashes are refused, and so are duplicate names;
- nothing is extracted: members are returned as bytes;
- encrypted members and unknown compression methods are refused.

Every refusal is an :class:`~publish.errors.InputError` naming the file.
"""

from __future__ import annotations

import collections
import dataclasses
import io
import re
import zipfile
import zlib
from pathlib import Path

from publish.errors import InputError

#: Most members a package may have (Word files have a few dozen).
MAX_MEMBERS = 2000
#: Most bytes all members may inflate to, together.
MAX_INFLATED = 200 * 1024 * 1024
#: Bytes inflated per read, so the count is checked as it grows.
CHUNK = 64 * 1024
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
DRIVE = re.compile(r"^[A-Za-z]:")


@dataclasses.dataclass(frozen=True)
class Limits:
    """Caps for one package; the defaults suit office documents."""

    members: int = MAX_MEMBERS
    inflated: int = MAX_INFLATED


def looks_like_zip(data: bytes) -> bool:
    """Whether the bytes start like a zip file (a local header or an empty archive)."""
    return data.startswith(ZIP_MAGIC)


def check_member_name(name: str, path: Path | str) -> None:
    """Refuse a member name that could escape a folder or is ambiguous."""
    if "\\" in name:
        raise InputError(f"zip member name {name!r} holds a backslash", path)
    if name.startswith("/") or DRIVE.match(name):
        raise InputError(f"zip member name {name!r} is an absolute path", path)
    if ".." in name.split("/"):
        raise InputError(f"zip member name {name!r} holds a '..' segment", path)
    if "\x00" in name:
        raise InputError(f"zip member name {name!r} holds a NUL character", path)


def read_members(data: bytes, path: Path | str, limits: Limits = Limits()) -> dict[str, bytes]:
    """Every member of a zip package as ``{name: bytes}``, checked and capped.

    Folder entries (names ending in ``/``) carry no data and are left out.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        raise InputError(f"not a readable zip package: {err}", path) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.members:
            raise InputError(f"zip package has {len(infos)} members, more than the "
                             f"{limits.members} allowed", path)
        names = [info.filename for info in infos]
        for name in names:
            check_member_name(name, path)
        duplicates = sorted(n for n, count in collections.Counter(names).items() if count > 1)
        if duplicates:
            raise InputError(f"zip package names {duplicates[0]!r} twice", path)
        members: dict[str, bytes] = {}
        budget = limits.inflated
        for info in infos:
            if info.is_dir():
                continue
            content = _inflate(archive, info, budget, limits, path)
            budget -= len(content)
            members[info.filename] = content
    return members


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int,
             limits: Limits, path: Path | str) -> bytes:
    """One member's bytes, refusing as soon as the running total passes the cap."""
    if info.flag_bits & 0x1:
        raise InputError(f"zip member {info.filename!r} is encrypted", path)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                if size > budget:
                    raise InputError(f"zip package inflates to more than {limits.inflated} "
                                     f"bytes (stopped in {info.filename!r})", path)
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError) as err:
        raise InputError(f"zip member {info.filename!r} cannot be read: {err}", path) from None
    return b"".join(chunks)


def pack_stored(members: dict[str, bytes]) -> bytes:
    """A new zip holding ``members`` uncompressed, for libraries that want a zip file.

    Names are sorted and dates fixed, so the same members give the same bytes.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(members):
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), members[name])
    return buffer.getvalue()
