"""Tests for publish.deposit.archive: a reproducible tar, and safe reading of tar and zip (RFC 8493 §4.2)."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from publish.cli import main
from publish.deposit.verify import verify_path

from tests.conftest import EPOCH
from tests.deposit.conftest import IDENTIFIER


def verify(*paths: Path, capsys) -> tuple[int, str, str]:
    code = main(["verify", *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out, err


def test_tar_is_reproducible_and_plain(deposited):
    tar_path = deposited.with_name(f"{IDENTIFIER}.tar")
    with tarfile.open(tar_path) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names) and names[0] == IDENTIFIER
    assert {(m.uid, m.gid, m.uname, m.gname, m.mtime) for m in members} == {(0, 0, "", "", EPOCH)}
    assert {m.mode for m in members if m.isdir()} == {0o755}
    assert {m.mode for m in members if m.isfile()} == {0o644}
    assert all(m.isdir() or m.isfile() for m in members)
    assert b"PaxHeader" not in tar_path.read_bytes() and b"atime=" not in tar_path.read_bytes()
    bag_files = sorted(f"{IDENTIFIER}/{p.relative_to(deposited).as_posix()}"
                       for p in deposited.rglob("*") if p.is_file())
    assert sorted(m.name for m in members if m.isfile()) == bag_files


def tar_with(tmp_path: Path, name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> Path:
    path = tmp_path / "evil.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo(name)
        info.type, info.linkname = kind, link
        data = b"" if kind != tarfile.REGTYPE else b"x"
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize("name, kind, link, reason", [
    ("../outside.txt", tarfile.REGTYPE, "", "unsafe path"),
    ("/etc/outside.txt", tarfile.REGTYPE, "", "unsafe path"),
    ("bag/data/../../outside.txt", tarfile.REGTYPE, "", "unsafe path"),
    ("bag/data/link", tarfile.SYMTYPE, "/etc/passwd", "not a plain file or folder"),
    ("bag/data/hard", tarfile.LNKTYPE, "/etc/passwd", "not a plain file or folder"),
])
def test_unsafe_tar_members_are_refused_and_nothing_is_written(tmp_path, name, kind, link, reason, capsys):
    evil = tar_with(tmp_path, name, kind, link)
    code, _, err = verify(evil, capsys=capsys)
    assert code == 74 and reason in err
    assert not (tmp_path / "outside.txt").exists() and not Path("/etc/outside.txt").exists()


def test_archive_with_two_base_folders_is_refused(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("one/bagit.txt", "BagIt-Version: 1.0\n")
        package.writestr("two/bagit.txt", "BagIt-Version: 1.0\n")
    assert "single bag folder" in verify_path(path)[0]


def test_zip_with_a_symbolic_link_is_refused(tmp_path):
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as package:
        info = zipfile.ZipInfo("bag/data/link")
        info.external_attr = (0o120777 << 16)  # S_IFLNK
        package.writestr(info, "/etc/passwd")
    assert "not a plain file or folder" in verify_path(path)[0]
