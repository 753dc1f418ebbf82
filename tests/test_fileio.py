"""Atomic writes, and writes to a device that must stay a device."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pytest

from publish.cli import main
from publish.fileio import atomic_write

from tests.build.test_run import SEEDS
from tests.conftest import ROOT, SAMPLE


def test_a_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out" / "file.bin"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["file.bin"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node (mknod) needs root")
def test_output_to_a_device_writes_into_it_and_keeps_it_a_device(tmp_path, capsys):
    """``-o /dev/null`` must not replace the device node with a regular file."""
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the same device as /dev/null
    assert main(["normalise", str(SAMPLE), "-o", str(null)]) == 0
    assert stat.S_ISCHR(null.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_a_build_sweeps_the_scratch_folders_a_killed_build_left(tmp_path):
    """SIGKILL leaves /tmp/publish-build-* behind; the next build removes those over an hour old."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    stale, fresh, other = scratch / "publish-build-dead", scratch / "publish-pool-live", scratch / "keep-me"
    for folder in (stale, fresh, other):
        folder.mkdir()
        (folder / "seed.txt").write_text("left\n", encoding="utf-8")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    os.utime(other, (two_hours_ago, two_hours_ago))
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "alpha.txt").write_bytes((SEEDS / "alpha.txt").read_bytes())
    env = dict(os.environ, TMPDIR=str(scratch), PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH="1674950400")
    result = subprocess.run([sys.executable, "-m", "publish", "build", "--only", "tei", "--jobs", "1"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert not stale.exists() and fresh.is_dir() and other.is_dir()


@pytest.mark.parametrize("limit, failing", [
    (16 * 1024, "seeds/alpha.txt: cannot write a scratch file in"),  # the language model's temporary copy
    (None, "dist/pdf/alpha.pdf: cannot write: File too large"),      # the PDF itself (23 KB; the master is 3 KB)
])
def test_a_full_disk_is_exit_73_naming_the_file_with_nothing_half_written(tmp_path, limit, failing):
    """The kernel refuses a write (a file-size limit, as a full disk would): one line naming it, exit 73.

    A full disk's OSError names no file (the build said "None: cannot write"
    and an internal error); now the write names the file it was making.
    """
    import resource

    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "alpha.txt").write_bytes((SEEDS / "alpha.txt").read_bytes())

    env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH="1674950400")
    command = [sys.executable, "-m", "publish", "build", "--only", "pdf", "--jobs", "1"]
    if limit is None:  # let the master and the model in first, then limit the PDF's write
        limit = 16 * 1024
        command = [sys.executable, "-c", "import resource, sys; from publish import langid; "
                   "langid.identify('A warm-up sentence in English, long enough to identify.'); "
                   f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit})); "
                   "from publish.cli import main; sys.exit(main(sys.argv[1:]))", *command[3:]]
        preexec = None
    else:
        def preexec():
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
                            preexec_fn=preexec)
    assert result.returncode == 73, result.stderr
    assert failing in result.stderr and "File too large" in result.stderr
    assert "None:" not in result.stderr and "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    assert not [p for p in (tmp_path / "dist").rglob("*") if p.name.endswith(".tmp")]
    assert not (tmp_path / "dist" / "pdf" / "alpha.pdf").exists()
