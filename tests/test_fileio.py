"""Atomic writes, and writes to a device that must stay a device."""

from __future__ import annotations

import os
import stat

import pytest

from publish.cli import main
from publish.fileio import atomic_write

from tests.conftest import SAMPLE


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
