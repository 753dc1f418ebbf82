"""Tests for publish.deposit.verify and the tar/zip reading of publish.deposit.archive (RFC 8493 §3, §4.2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import bagit
import pytest

from publish.cli import main
from publish.deposit.archive import write_tar

from tests.conftest import EPOCH, SAMPLE
from tests.deposit.conftest import IDENTIFIER

PDF = f"data/pdf/{IDENTIFIER}.pdf"
SIDECAR = f"data/source/{IDENTIFIER}.toml"


@pytest.fixture(params=["deposit", "bagit"])
def bag(request, tmp_path) -> Path:
    """A private, valid bag: the sample's deposit, and a bag made by bagit-python alone.

    The second needs no renderer, so verification is tested even where there is none.
    """
    folder = tmp_path / IDENTIFIER
    if request.param == "deposit":
        shutil.copytree(request.getfixturevalue("deposited"), folder)
    else:
        for relative, source in ((f"source/{SAMPLE.name}", SAMPLE),
                                 (f"source/{IDENTIFIER}.toml", SAMPLE.with_suffix(".toml")),
                                 (f"pdf/{IDENTIFIER}.pdf", SAMPLE)):  # any bytes will do here
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, folder / relative)
        bagit.make_bag(str(folder), {"Bagging-Date": "2023-01-29"}, checksums=["sha256", "sha512"])
    assert bagit.Bag(str(folder)).is_valid()
    return folder


def verify(*paths: Path, capsys) -> tuple[int, str, str]:
    """``publish verify`` through the real CLI entry point: exit code, stdout, stderr."""
    code = main(["verify", *map(str, paths)])
    out, err = capsys.readouterr()
    return code, out, err


def flip_one_byte(path: Path, offset: int = 40) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def as_tar(bag: Path) -> Path:
    tar = bag.with_name(f"{bag.name}.tar")
    write_tar(bag, bag.name, tar, EPOCH)
    return tar


def test_valid_bag_and_its_tar_pass(bag, capsys):
    code, out, err = verify(bag, as_tar(bag), capsys=capsys)
    assert code == 0, err
    assert out.splitlines() == [f"{bag}: valid", f"{bag}.tar: valid"]


def test_deposited_tar_passes(deposited, capsys):
    code, out, _ = verify(deposited, deposited.with_name(f"{IDENTIFIER}.tar"), capsys=capsys)
    assert code == 0 and out.count(": valid") == 2


@pytest.mark.parametrize("tamper, named", [
    (lambda bag: flip_one_byte(bag / PDF), f"{PDF}: changed (sha256, sha512 differ from the manifest)"),
    (lambda bag: (bag / SIDECAR).unlink(), f"{SIDECAR}: missing"),
    (lambda bag: (bag / "data" / "added.txt").write_text("added\n"), "data/added.txt: unlisted"),
    (lambda bag: flip_one_byte(bag / "bag-info.txt", 3), "bag-info.txt: changed"),
])
def test_each_tamper_is_named_and_fails(bag, tamper, named, capsys):
    tamper(bag)
    code, out, err = verify(bag, capsys=capsys)
    assert code == 74
    assert f"{bag}: {named}" in err
    assert "1 of 1 bag(s), OCFL folder(s) or dist/ folder(s) failed verification" in err
    assert "valid" not in out and "Traceback" not in err


def test_flip_delete_and_add_together_are_all_named(bag, capsys):
    flip_one_byte(bag / PDF)
    (bag / SIDECAR).unlink()
    (bag / "data" / "added.txt").write_text("added\n")
    code, _, err = verify(bag, capsys=capsys)
    assert code == 74
    for named in (f"{PDF}: changed", f"{SIDECAR}: missing", "data/added.txt: unlisted"):
        assert named in err
    assert not bagit.Bag(str(bag)).is_valid()  # bagit-python agrees


def test_one_byte_tamper_inside_the_tar_is_named(bag, capsys):
    tar_path = as_tar(bag)
    with tarfile.open(tar_path) as tar:
        offset = tar.getmember(f"{bag.name}/{PDF}").offset_data
    flip_one_byte(tar_path, offset + 7)
    code, _, err = verify(tar_path, capsys=capsys)
    assert code == 74
    assert f"{tar_path}: {PDF}: changed" in err


def test_zip_form_verifies_and_a_tampered_zip_fails(bag, capsys):
    archive = bag.with_name(f"{bag.name}.zip")
    with zipfile.ZipFile(archive, "w") as package:
        for path in sorted(bag.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                if path.relative_to(bag).as_posix() == PDF:
                    data = data[:-1] + bytes([data[-1] ^ 1])
                package.writestr(f"{bag.name}/{path.relative_to(bag).as_posix()}", data)
    code, _, err = verify(archive, capsys=capsys)
    assert code == 74 and f"{archive}: {PDF}: changed" in err


def test_bagit_py_command_line_agrees(bag):
    script = shutil.which("bagit.py") or str(Path(sys.executable).with_name("bagit.py"))
    good = subprocess.run([sys.executable, script, "--validate", str(bag)], capture_output=True, text=True)
    assert good.returncode == 0, good.stderr


def test_not_a_bag_is_reported(tmp_path, capsys):
    (tmp_path / "plain").mkdir()
    code, _, err = verify(tmp_path / "plain", tmp_path / "absent", capsys=capsys)
    assert code == 74
    assert "plain: not a valid bag" in err and "absent: no such bag" in err
    assert "2 of 2 bag(s), OCFL folder(s) or dist/ folder(s) failed verification" in err
