"""Tests for publish.cli: commands, one-line errors, exit codes, no partial files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from publish.cli import COMMANDS

from tests.conftest import SAMPLE


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real command, as a user would, with a fixed build date."""
    env = {"SOURCE_DATE_EPOCH": "1674950400", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True,
                          text=True, cwd=cwd, env=env)


def test_every_command_has_help():
    for name, *_ in COMMANDS:
        result = run(name, "--help")
        assert result.returncode == 0, name
        assert "usage: publish " + name in result.stdout


def test_normalise_then_text_reproduces_the_seed(tmp_path):
    out = tmp_path / "sample.xml"
    assert run("normalise", str(SAMPLE), "-o", str(out)).returncode == 0
    result = subprocess.run([sys.executable, "-m", "publish", "text", str(out)], capture_output=True)
    assert result.returncode == 0
    assert result.stdout == SAMPLE.read_bytes()


@pytest.mark.parametrize("name, data, code, message", [
    ("empty.txt", b"", 65, "empty.txt: empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", 66,
     "binary.txt: the suffix .txt says text, but the content is not text"),
    ("control.txt", b"fine\nthen \x07 bell", 65, "control.txt: line 2, column 6: character U+0007"),
    ("unsure.txt", "Café résumé naïve".encode("cp1252"), 65, "unsure.txt: unsure of the character encoding"),
    ("report.rtf", b"{\\rtf1 hello}", 66, "report.rtf: no normaliser for .rtf"),
])
def test_bad_input_is_one_line_with_its_exit_code_and_no_file(tmp_path, name, data, code, message):
    source = tmp_path / name
    source.write_bytes(data)
    out_dir = tmp_path / "out"
    result = run("normalise", str(source), "-o", str(out_dir / "x.xml"))
    assert result.returncode == code
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_traceback_only_on_request(tmp_path):
    source = tmp_path / "empty.txt"
    source.write_bytes(b"")
    result = run("--traceback", "normalise", str(source), "-o", str(tmp_path / "x.xml"))
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_validate_names_the_invalid_file_and_line(tmp_path):
    good = tmp_path / "good.xml"
    assert run("normalise", str(SAMPLE), "-o", str(good)).returncode == 0
    bad = tmp_path / "bad.xml"
    bad.write_text(good.read_text(encoding="utf-8").replace("<body>", "<body><table/>"), encoding="utf-8")
    result = run("validate", str(good), str(bad))
    assert result.returncode == 67
    assert f"{good}: valid" in result.stdout
    assert f"{bad}: not valid against publish.rng: line " in result.stderr


def test_malformed_xml_is_named(tmp_path):
    bad = tmp_path / "broken.xml"
    bad.write_text("<TEI><unclosed></TEI>", encoding="utf-8")
    result = run("validate", str(bad))
    assert result.returncode == 67
    assert f"{bad}: not well-formed XML" in result.stderr


def test_build_isolates_a_failing_seed(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SAMPLE, seeds)
    shutil.copy(SAMPLE.with_suffix(".toml"), seeds)
    (seeds / "broken.txt").write_bytes(b"")
    dist = tmp_path / "dist"
    result = run("build", "--seeds-dir", str(seeds), "--dist", str(dist), "--only", "tei", "--jobs", "1")
    assert result.returncode == 65
    assert "broken" in result.stderr and "empty file" in result.stderr
    assert (dist / "tei" / f"{SAMPLE.stem}.xml").is_file()
    assert not (dist / "tei" / "broken.xml").exists()
    assert not list(dist.rglob("*.tmp"))


def test_warning_is_reported_and_strict_makes_it_fatal(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html lang='en'><head><title>T</title></head><body><h1>T</h1>"
                    "<p>Text.</p><script>alert(1)</script></body></html>", encoding="utf-8")
    lenient, strict = tmp_path / "lenient.xml", tmp_path / "strict.xml"
    result = run("normalise", str(page), "-o", str(lenient))
    assert result.returncode == 0 and lenient.is_file()
    assert "publish: WARNING:" in result.stderr and "script" in result.stderr
    result = run("--strict", "normalise", str(page), "-o", str(strict))
    assert result.returncode == 71
    assert "--strict" in result.stderr.splitlines()[-1]
    assert not strict.exists()


def test_strict_render_leaves_no_output_when_a_url_is_refused(tmp_path):
    tei = tmp_path / "doc.xml"
    assert run("normalise", str(SAMPLE), "-o", str(tei)).returncode == 0
    text = tei.read_text(encoding="utf-8")
    tei.write_text(text.replace("</body>", '<figure><graphic url="file:///etc/passwd"/></figure></body>'),
                   encoding="utf-8")
    out = tmp_path / "doc.pdf"
    result = run("--strict", "pdf", str(tei), "-o", str(out))
    assert result.returncode == 71, result.stderr
    assert "/etc/passwd" in result.stderr
    assert not out.exists() and not list(tmp_path.glob("*.tmp"))
