"""The output tables: a new output kind is one module and one FORMATS row, and nothing else."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from publish import formats
from publish.layout import Layout

from tests.conftest import SAMPLE
from tests.fixtures.toy_text import publish_with


def publish_with_toy(project: Path, *args: str) -> subprocess.CompletedProcess:
    return publish_with("ROW", project, *args)


def test_every_row_names_functions_that_exist():
    for row in formats.FORMATS:
        assert callable(formats.load(row.check)), row.kind
        if row.rendered:
            assert callable(formats.load(row.render)), row.kind
        if row.warm_up:
            assert callable(formats.load(row.warm_up)), row.kind
    for row in formats.COLLECTIONS:
        assert callable(formats.load(row.render)), row.kind
    assert formats.kinds()[0] == "tei" and not formats.FORMATS[0].rendered


def test_kinds_and_folders_are_unique():
    assert len(set(formats.kinds())) == len(formats.FORMATS)
    folders = [row.folder for row in formats.FORMATS] + [row.folder for row in formats.COLLECTIONS]
    assert len(set(folders)) == len(folders)


@pytest.mark.slow
def test_a_toy_output_kind_is_built_validated_and_deposited(tmp_path):
    """One module (tests/fixtures/toy_text.py) and one row: build, validate, deposit and preserve take it."""
    (tmp_path / "seeds").mkdir()
    shutil.copy(SAMPLE, tmp_path / "seeds")
    identifier = SAMPLE.stem
    built = publish_with_toy(tmp_path, "build", "--jobs", "1", "--quiet")
    assert built.returncode == 0, built.stderr
    txt = Layout(dist=tmp_path / "dist").dist / "txt" / f"{identifier}.txt"
    assert txt.read_text(encoding="utf-8").lstrip().startswith("On the afternoon of January 29th")

    single = publish_with_toy(tmp_path, "txt", f"dist/tei/{identifier}.xml", "-o", "one.txt")
    assert single.returncode == 0, single.stderr
    assert (tmp_path / "one.txt").read_bytes() == txt.read_bytes()

    validated = publish_with_toy(tmp_path, "validate")
    assert validated.returncode == 0, validated.stderr
    assert f"dist/txt/{identifier}.txt: valid" in validated.stdout

    good = txt.read_bytes()
    txt.write_bytes(b"")
    broken = publish_with_toy(tmp_path, "validate", str(txt))
    assert broken.returncode == 67 and f"{txt}: empty" in broken.stderr

    # A missing output is made again alone: the other outputs are not rewritten.
    txt.unlink()
    pdf = tmp_path / "dist" / "pdf" / f"{identifier}.pdf"
    before = pdf.stat().st_mtime_ns
    assert publish_with_toy(tmp_path, "build", "--jobs", "1", "--quiet").returncode == 0
    assert txt.read_bytes() == good and pdf.stat().st_mtime_ns == before

    deposited = publish_with_toy(tmp_path, "deposit", "--archive")
    assert deposited.returncode == 0, deposited.stderr
    bag = tmp_path / "dist" / "deposit" / identifier
    assert (bag / "data" / "txt" / f"{identifier}.txt").read_bytes() == txt.read_bytes()
    manifest = (bag / "manifest-sha256.txt").read_text()
    assert f"data/txt/{identifier}.txt" in manifest
    premis = (bag / "data" / "metadata" / "premis.xml").read_text()
    assert "plain-text checks (UTF-8, not empty)" in premis and "publish txt" in premis
    with tarfile.open(bag.with_suffix(".tar")) as tar:
        assert f"{identifier}/data/txt/{identifier}.txt" in tar.getnames()
    verified = publish_with_toy(tmp_path, "verify", str(bag))
    assert verified.returncode == 0, verified.stderr

    # ... and the OCFL store keeps it, with the bag's names.
    user = '[preserve]\nuser = { name = "T", address = "mailto:t@example.org" }\n'
    (tmp_path / "publish.toml").write_text(user)
    preserved = publish_with_toy(tmp_path, "preserve")
    assert preserved.returncode == 0, preserved.stderr
    extracted = publish_with_toy(tmp_path, "preserve", "--extract", identifier, "v1")
    assert extracted.returncode == 0, extracted.stderr
    assert (tmp_path / "v1" / "txt" / f"{identifier}.txt").read_bytes() == txt.read_bytes()
