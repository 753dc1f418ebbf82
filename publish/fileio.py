"""Atomic writes: a temporary file in the same folder, then ``os.replace``.

A failed write never leaves a partial file under the final name. A target
that exists and is not a regular file (``-o /dev/null``, a FIFO, a terminal)
is written into directly instead: renaming over it would replace the device
node itself with a file. A whole folder (a bag, an OCFL object) is swapped in
one step with :func:`exchange`.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from publish.errors import WriteError


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; on success move it into place."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()


def is_special(path: Path) -> bool:
    """Whether ``path`` exists and is not a regular file (a device, FIFO or socket)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def atomic_write(final: Path, data: bytes) -> None:
    """Write ``data`` to ``final`` atomically (directly, if ``final`` is a device or FIFO).

    A failure (no space left, a file too large, no permission) is a
    :class:`~publish.errors.WriteError` naming ``final``: the ``OSError`` of a
    full disk names no file (its ``filename`` is None), and the temporary file
    is gone, so nothing half-written is left.
    """
    try:
        if is_special(final):
            with open(final, "wb") as handle:
                handle.write(data)
            return
        with atomic_path(final) as tmp:
            tmp.write_bytes(data)
    except OSError as error:
        raise WriteError(f"cannot write: {error.strerror or error}", final) from None


def write_if_changed(final: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless ``final`` already holds exactly it; whether it wrote.

    So a run with nothing new to say (a no-op build's report) leaves the file,
    its mtime and whatever watches it alone.
    """
    try:
        if Path(final).is_file() and Path(final).stat().st_size == len(data) and Path(final).read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write(final, data)
    return True


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux ``renameat2(RENAME_EXCHANGE)``; False if unsupported."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0


def remove_tree(path: Path) -> None:
    """Remove a folder we made (a temporary or replaced bag, a work area), ignoring what is gone."""
    if path.exists() or os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)


#: Prefixes of the temporary folders a build makes (a document's scratch, the pool's marks).
SCRATCH_PREFIXES = ("publish-build-", "publish-pool-")
#: A scratch folder untouched this long belongs to a build that was killed (SIGKILL leaves them).
STALE_AFTER = 3600


def sweep_stale_scratch(now: float | None = None) -> int:
    """Remove this user's scratch folders older than :data:`STALE_AFTER` from the temporary folder.

    A running build's folders are minutes old at most (one per document in
    flight), so only a killed build's remain that long. Returns how many went.
    """
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return 0
    for entry in entries:
        try:
            if (entry.name.startswith(SCRATCH_PREFIXES) and entry.is_dir(follow_symlinks=False)
                    and entry.stat(follow_symlinks=False).st_uid == os.getuid()
                    and now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER):
                remove_tree(Path(entry.path))
                removed += 1
        except OSError:
            continue
    return removed
