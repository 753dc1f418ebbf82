"""Safe zip reading (publish/normalise/safezip.py): caps, names, nothing on disk."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from publish.errors import InputError
from publish.normalise import safezip


def make_zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data,
                             compress_type=compression)
    return buffer.getvalue()


def test_reads_members_into_memory(tmp_path):
    before = set(os.listdir(tmp_path))
    members = safezip.read_members(make_zip({"a/b.xml": b"<x/>", "c.txt": b"hello"}), tmp_path / "t.zip")
    assert members == {"a/b.xml": b"<x/>", "c.txt": b"hello"}
    assert set(os.listdir(tmp_path)) == before  # nothing extracted


@pytest.mark.parametrize("name, problem", [
    ("../evil.txt", "'..' segment"),
    ("word/../../evil.txt", "'..' segment"),
    ("/etc/passwd", "absolute path"),
    ("C:/Windows/win.ini", "absolute path"),
    ("word\\document.xml", "backslash"),
])
def test_bad_member_names_are_refused(name, problem):
    with pytest.raises(InputError, match=problem):
        safezip.read_members(make_zip({name: b"x"}), "bad.zip")


def test_member_count_is_capped():
    data = make_zip({f"f{n}.txt": b"" for n in range(11)})
    with pytest.raises(InputError, match="11 members, more than the 10 allowed"):
        safezip.read_members(data, "many.zip", safezip.Limits(members=10))


def test_inflated_bytes_are_counted_while_inflating():
    """A bomb: 50 MB of zeros deflate to about 50 KB; the cap stops it after one chunk over."""
    bomb = make_zip({"zeros.bin": b"\0" * (50 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(InputError, match="inflates to more than 1048576 bytes"):
        safezip.read_members(bomb, "bomb.zip", safezip.Limits(inflated=1024 * 1024))


def test_lying_size_headers_do_not_help():
    """The cap counts real bytes, not the sizes the central directory claims."""
    data = bytearray(make_zip({"a.bin": b"\0" * 200_000}))
    # Zero the uncompressed size in the central directory (offset 24 in each entry).
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = b"\x00\x00\x00\x00"
    with pytest.raises(InputError):
        safezip.read_members(bytes(data), "liar.zip", safezip.Limits(inflated=100_000))


def test_total_is_counted_across_members():
    data = make_zip({f"m{n}": b"\1" * 40_000 for n in range(3)})
    with pytest.raises(InputError, match="stopped in 'm2'"):
        safezip.read_members(data, "sum.zip", safezip.Limits(inflated=100_000))


def test_duplicate_names_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.xml", "1")
        with pytest.warns(UserWarning):
            archive.writestr("a.xml", "2")
    with pytest.raises(InputError, match="names 'a.xml' twice"):
        safezip.read_members(buffer.getvalue(), "dup.zip")


def test_encrypted_members_are_refused():
    data = bytearray(make_zip({"secret.txt": b"x"}, zipfile.ZIP_STORED))
    data[6] |= 0x1  # general purpose flag, local header
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1  # and in the central directory
    with pytest.raises(InputError, match="encrypted"):
        safezip.read_members(bytes(data), "enc.zip")


def test_not_a_zip():
    assert not safezip.looks_like_zip(b"%PDF-1.7")
    with pytest.raises(InputError, match="not a readable zip package"):
        safezip.read_members(b"PK\x03\x04garbage", "broken.zip")


def test_corrupt_member_is_a_clear_error():
    data = bytearray(make_zip({"a.txt": b"hello world " * 100}))
    start = data.find(b"a.txt") + len("a.txt")
    data[start + 5:start + 15] = b"\xff" * 10  # damage the deflate stream
    with pytest.raises(InputError, match="cannot be read"):
        safezip.read_members(bytes(data), "corrupt.zip")


def test_pack_stored_is_reproducible():
    members = {"b.txt": b"2", "a.txt": b"1"}
    assert safezip.pack_stored(members) == safezip.pack_stored(dict(reversed(members.items())))
    assert safezip.read_members(safezip.pack_stored(members), "x.zip") == members
