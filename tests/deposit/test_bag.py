"""Tests for publish.deposit.bag: real bags of the sample, checked with bagit-python (RFC 8493)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import bagit
import pytest
from lxml import etree

from publish.cli import main
from publish.deposit.provenance import PREMIS_NS
from publish.tei import first_text, parse_file, safe_parser

from tests.build.test_run import SEEDS
from tests.conftest import EPOCH, ROOT, SAMPLE, assert_golden
from tests.deposit.conftest import FIXTURES, IDENTIFIER, tree_bytes

PREMIS = {"premis": PREMIS_NS}


def deposit(*args: str) -> int:
    """``publish deposit`` through the real CLI entry point."""
    return main(["deposit", *args])


@pytest.fixture(autouse=True)
def fixed_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


def tei_of(bag: Path):
    return parse_file(bag / "data" / "tei" / f"{IDENTIFIER}.xml")


def premis_of(bag: Path):
    return etree.parse(str(bag / "data" / "metadata" / "premis.xml"), safe_parser())


def leftovers(dist: Path) -> list[str]:
    """Anything in dist/deposit/ other than whole bags and tars: temporary or moved-aside folders."""
    folder = dist / "deposit"
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) if folder.is_dir() else []


def test_bag_is_valid_rfc_8493(deposited):
    bag = bagit.Bag(str(deposited))
    assert bag.validate()
    assert bag.version_info == (1, 0)
    assert sorted(bag.algorithms) == ["sha256", "sha512"]
    for name in ("manifest-sha256.txt", "manifest-sha512.txt",
                 "tagmanifest-sha256.txt", "tagmanifest-sha512.txt", "bag-info.txt"):
        assert (deposited / name).is_file(), name
    assert sorted(bag.payload_entries()) == [
        f"data/epub/{IDENTIFIER}.epub", "data/metadata/premis.xml", f"data/pdf/{IDENTIFIER}.pdf",
        f"data/source/{IDENTIFIER}.toml", f"data/source/{IDENTIFIER}.txt", f"data/tei/{IDENTIFIER}.xml"]


def test_payload_is_the_inputs_byte_for_byte(deposited, built):
    data = deposited / "data"
    assert (data / "source" / SAMPLE.name).read_bytes() == SAMPLE.read_bytes()
    assert (data / "source" / f"{IDENTIFIER}.toml").read_bytes() == SAMPLE.with_suffix(".toml").read_bytes()
    for kind, suffix in (("tei", "xml"), ("pdf", "pdf"), ("epub", "epub")):
        assert (data / kind / f"{IDENTIFIER}.{suffix}").read_bytes() == \
            (built / kind / f"{IDENTIFIER}.{suffix}").read_bytes()


def test_source_checksum_agrees_across_tei_manifest_premis_and_original(deposited):
    original = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    in_tei = first_text(tei_of(deposited), "//tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']")
    in_manifest = bagit.Bag(str(deposited)).entries[f"data/source/{SAMPLE.name}"]["sha256"]
    in_premis = premis_of(deposited).xpath(
        "//premis:object[premis:objectIdentifier/premis:objectIdentifierValue=$p]//premis:messageDigest/text()",
        namespaces=PREMIS, p=f"data/source/{SAMPLE.name}")
    assert in_tei == in_manifest == original == in_premis[0]


def test_bag_info_comes_from_the_tei_header(deposited, update_golden):
    info = bagit.Bag(str(deposited)).info
    tei = tei_of(deposited)
    assert info["Source-Organization"] == first_text(tei, "//tei:publicationStmt/tei:publisher")
    assert info["External-Identifier"] == first_text(tei, "//tei:publicationStmt/tei:idno[@type='URN']")
    assert info["External-Identifier"].startswith("urn:uuid:")
    assert info["External-Description"].startswith(first_text(tei, "//tei:titleStmt/tei:title"))
    assert info["Bag-Group-Identifier"] == first_text(tei, "//tei:fileDesc/tei:seriesStmt/tei:title") \
        == "Liaoning provincial government news releases"
    assert info["Bagging-Date"] == "2023-01-29"  # SOURCE_DATE_EPOCH, not today
    payload = [p for p in (deposited / "data").rglob("*") if p.is_file()]
    assert info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
    assert (deposited / "bagit.txt").read_text() == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    # Payload-Oxum is left out of the golden file: it moves with every renderer change.
    lines = (deposited / "bag-info.txt").read_bytes().splitlines(keepends=True)
    assert_golden(b"".join(line for line in lines if not line.startswith(b"Payload-Oxum:")),
                  FIXTURES / f"{IDENTIFIER}.bag-info.txt", update_golden)


def test_deposit_is_reproducible_byte_for_byte(deposited, dist_copy, capsys):
    assert deposit(IDENTIFIER, "--seeds-dir", str(SAMPLE.parent), "--dist", str(dist_copy), "--archive") == 0
    first = tree_bytes(dist_copy / "deposit")
    assert deposit(IDENTIFIER, "--seeds-dir", str(SAMPLE.parent), "--dist", str(dist_copy)) == 0
    again = tree_bytes(dist_copy / "deposit")
    assert first == again  # bag and tar, tag files included; the existing tar is refreshed
    # ... and independent of where dist/ is: the session's bag, made elsewhere, is the same.
    assert tree_bytes(deposited) == tree_bytes(dist_copy / "deposit" / IDENTIFIER)
    assert leftovers(dist_copy) == []
    assert f"{IDENTIFIER}: bagged" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["pdf", "epub"])
def test_missing_edition_is_refused_and_no_bag_is_made(dist_copy, kind, capsys):
    edition = dist_copy / kind / f"{IDENTIFIER}.{kind}"
    edition.unlink()
    code = deposit(IDENTIFIER, "--seeds-dir", str(SAMPLE.parent), "--dist", str(dist_copy))
    err = capsys.readouterr().err
    assert code == 74
    assert f"{edition}: deposit refused: no {kind.upper()} edition" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (dist_copy / "deposit" / IDENTIFIER).exists()
    assert leftovers(dist_copy) == []


@pytest.mark.parametrize("kind", ["pdf", "epub"])
def test_edition_failing_validation_is_refused_and_the_old_bag_kept(dist_copy, kind, capsys):
    assert deposit(IDENTIFIER, "--seeds-dir", str(SAMPLE.parent), "--dist", str(dist_copy)) == 0
    before = tree_bytes(dist_copy / "deposit")
    edition = dist_copy / kind / f"{IDENTIFIER}.{kind}"
    edition.write_bytes(edition.read_bytes()[: edition.stat().st_size // 2])  # truncated: broken
    capsys.readouterr()
    code = deposit(IDENTIFIER, "--seeds-dir", str(SAMPLE.parent), "--dist", str(dist_copy))
    err = capsys.readouterr().err
    assert code == 74
    assert f"{edition}: deposit refused: the {kind.upper()} failed validation" in err
    assert tree_bytes(dist_copy / "deposit") == before  # the earlier whole bag is untouched
    assert leftovers(dist_copy) == []


def test_stale_tei_is_refused_naming_both_checksums(dist_copy, tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SAMPLE.with_suffix(".toml"), seeds)
    changed = SAMPLE.read_bytes().replace(b"afternoon", b"morning", 1)
    (seeds / SAMPLE.name).write_bytes(changed)
    code = deposit(IDENTIFIER, "--seeds-dir", str(seeds), "--dist", str(dist_copy))
    err = capsys.readouterr().err
    assert code == 74
    assert "sourceDesc records" in err and hashlib.sha256(changed).hexdigest() in err
    assert not (dist_copy / "deposit").exists() or not any((dist_copy / "deposit").iterdir())


def test_one_refusal_does_not_stop_the_others(dist_copy, capsys):
    code = deposit("no_such_document", IDENTIFIER, "--seeds-dir", str(SAMPLE.parent), "--dist", str(dist_copy))
    out, err = capsys.readouterr()
    assert code == 74
    assert "refused no_such_document: no_such_document: no seed named no_such_document" in err
    assert "1 of 2 document(s) refused" in err
    assert f"{IDENTIFIER}: bagged" in out and bagit.Bag(str(dist_copy / "deposit" / IDENTIFIER)).is_valid()


def test_unknown_document_is_refused(dist_copy, capsys):
    assert deposit("no_such_document", "--seeds-dir", str(SAMPLE.parent), "--dist", str(dist_copy)) == 74
    assert "no seed named no_such_document" in capsys.readouterr().err


def test_tar_name_taken_by_a_folder_is_refused_and_the_old_bag_kept(deposited, dist_copy, capsys):
    final = dist_copy / "deposit" / IDENTIFIER
    shutil.copytree(deposited, final)
    before = tree_bytes(final)
    (dist_copy / "deposit" / f"{IDENTIFIER}.tar").mkdir()
    code = deposit(IDENTIFIER, "--seeds-dir", str(SAMPLE.parent), "--dist", str(dist_copy), "--archive")
    err = capsys.readouterr().err
    assert code == 74 and "the tar cannot be written" in err and "Traceback" not in err
    assert tree_bytes(final) == before
    assert leftovers(dist_copy) == []


def test_replacing_a_different_bag_leaves_exactly_the_new_one(deposited, dist_copy, monkeypatch):
    final = dist_copy / "deposit" / IDENTIFIER
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 86400))  # a later deposit: another date
    assert deposit(IDENTIFIER, "--seeds-dir", str(SAMPLE.parent), "--dist", str(dist_copy)) == 0
    assert bagit.Bag(str(final)).info["Bagging-Date"] == "2023-01-30"
    (final / "data" / "stray.txt").write_text("from the old bag\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert deposit(IDENTIFIER, "--seeds-dir", str(SAMPLE.parent), "--dist", str(dist_copy)) == 0
    assert tree_bytes(final) == tree_bytes(deposited)  # nothing of the old bag survives
    assert leftovers(dist_copy) == []


def test_bag_folders_and_files_have_fixed_modes(deposited):
    for path in [deposited, *deposited.rglob("*")]:
        assert os.stat(path).st_mode & 0o777 == (0o755 if path.is_dir() else 0o644), path


def test_a_deposit_after_one_correction_makes_one_new_bag(tmp_path):
    """Unchanged documents keep their bag and tar (bytes and times); the corrected one gets a new bag."""
    (tmp_path / "seeds").mkdir()
    for name in ("alpha.txt", "beta.txt", "beta.toml", "gamma.txt"):
        (tmp_path / "seeds" / name).write_bytes((SEEDS / name).read_bytes())
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH="1674950400")

    def publish(*args):
        result = subprocess.run([sys.executable, "-m", "publish", *args], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def bags():
        return {p.relative_to(tmp_path).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
                for p in sorted((tmp_path / "dist" / "deposit").rglob("*")) if p.is_file()}

    publish("build", "--jobs", "1")
    publish("deposit", "--archive")
    before = bags()
    assert "unchanged" in publish("deposit", "--archive") and bags() == before
    with open(tmp_path / "seeds" / "beta.txt", "a", encoding="utf-8") as seed:
        seed.write("\nA correction.\n")
    publish("build", "--jobs", "1")
    said = publish("deposit", "--archive")
    after = bags()
    changed = sorted({name.split("/")[2].split(".")[0] for name in after if after[name] != before.get(name)})
    assert changed == ["beta"]
    assert said.count("bagged") == 1 and said.count("unchanged") == 2
