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
