"""The chain of fixity: a file changed after the build wrote it is refused at every hand-over.

16 bytes are overwritten inside a font stream of a built PDF, as the issue
reproduced it. ``publish verify dist`` (a fixity audit), ``publish deposit``,
``publish preserve`` and the site's copy each compare the file with the SHA-256
the build recorded and refuse it naming the file; ``publish validate`` finds
the damaged stream itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from tests.build.test_run import SEEDS
from tests.conftest import EPOCH, ROOT


def publish(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True,
                          cwd=project, env=env, timeout=600)


@pytest.fixture(scope="module")
def damaged(tmp_path_factory) -> Path:
    """A project built whole (alpha, beta), then alpha's PDF damaged inside a font stream."""
    project = tmp_path_factory.mktemp("fixity")
    (project / "seeds").mkdir()
    for name in ("alpha.txt", "beta.txt", "beta.toml"):
        shutil.copy(SEEDS / name, project / "seeds")
    (project / "publish.toml").write_text(
        '[preserve]\nuser = { name = "Test Archive", address = "mailto:archive@example.org" }\n', encoding="utf-8")
    built = publish(project, "build", "--jobs", "1")
    assert built.returncode == 0, built.stderr
    pdf = project / "dist" / "pdf" / "alpha.pdf"
    data = pdf.read_bytes()
    with pikepdf.open(pdf) as document:
        raw = next(obj for obj in document.objects if isinstance(obj, pikepdf.Stream)
                   and obj.get("/Filter") == "/FlateDecode" and obj.get("/Length1") is not None).read_raw_bytes()
    start = data.index(raw) + len(raw) // 2
    pdf.write_bytes(data[:start] + b"\0" * 16 + data[start + 16:])
    return project


def one_error(result: subprocess.CompletedProcess) -> str:
    errors = [line for line in result.stderr.splitlines() if "alpha.pdf" in line]
    assert errors and "Traceback" not in result.stderr, result.stderr
    return errors[0]


def test_verify_audits_dist_against_the_manifest(damaged):
    result = publish(damaged, "verify", "dist")
    assert result.returncode == 74
    assert "dist/pdf/alpha.pdf: SHA-256" in one_error(result) and "the build recorded" in result.stderr
    assert "beta" not in result.stderr


def test_deposit_refuses_the_changed_file_and_bags_the_rest(damaged):
    result = publish(damaged, "deposit", "--archive")
    assert result.returncode == 74
    assert "deposit refused" in one_error(result)
    assert not (damaged / "dist" / "deposit" / "alpha").exists()
    assert (damaged / "dist" / "deposit" / "beta" / "bagit.txt").is_file()


def test_preserve_refuses_the_changed_file(damaged):
    result = publish(damaged, "preserve", "alpha")
    assert result.returncode == 74 and "preservation refused" in one_error(result)


def test_the_site_will_not_copy_the_changed_file(damaged, tmp_path):
    project = tmp_path / "copy"
    shutil.copytree(damaged, project)
    shutil.rmtree(project / "dist" / "site")
    result = publish(project, "build", "--jobs", "1", "--only", "site")
    assert result.returncode != 0 and "the build recorded" in one_error(result)
    assert not (project / "dist" / "site" / "doc" / "alpha" / "alpha.pdf").exists()


def test_validate_finds_the_damaged_stream(damaged):
    result = publish(damaged, "validate", "dist/pdf/alpha.pdf")
    assert result.returncode != 0 and "does not decode (FlateDecode" in result.stderr
