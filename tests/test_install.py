"""publish as an archive installs it: a wheel (not editable) in a new venv, used from an archive folder.

The wheel is built from this tree, installed with the locked dependencies
(``uv pip install --require-hashes -r requirements.lock``, then the wheel
without its dependencies) into a venv of its own, and run only from there, in
a folder that is not the clone: ``publish init``, two seeds, ``publish build
--validate``, ``publish deposit``, ``publish preserve`` and ``publish serve``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.build.test_run import SEEDS
from tests.conftest import ROOT

LIMIT = 1200


def run(*command: str | Path, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, cwd=cwd,
                            env=env, timeout=LIMIT)
    assert result.returncode == 0, f"{command}: {result.stdout[-2000:]}{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a new venv holding the locked dependencies and publish's wheel."""
    uv = Path(sys.executable).parent / "uv"
    if not uv.is_file():
        pytest.skip(f"missing {uv}: the dev extra (make installs it from the lock)")
    work = tmp_path_factory.mktemp("install")
    source = work / "source"  # a copy, so that setuptools' build/ folder is not left in the clone
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "templates", source / "templates")
    shutil.copytree(ROOT / "publish", source / "publish", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "-w", work / "wheel", source)
    [wheel] = (work / "wheel").glob("publish-*.whl")
    venv = work / "venv"
    run(uv, "venv", "--quiet", "--python", sys.executable, venv)
    python = venv / "bin" / "python"
    run(uv, "pip", "install", "--quiet", "--python", python, "--require-hashes", "--no-deps",
        "-r", ROOT / "requirements.lock")
    run(uv, "pip", "install", "--quiet", "--python", python, "--no-deps", wheel)
    return venv / "bin"


def test_the_wheel_carries_templates_schemas_and_check_drivers(installed):
    found = run(installed / "python", "-c",
                "import publish, pathlib; p = pathlib.Path(publish.__file__).parent; "
                "print(p); print(*sorted(str(f.relative_to(p)) for f in p.rglob('*') "
                "if f.suffix in ('.rng', '.java', '.js', '.css', '.xsl', '.j2')), sep='\\n')",
                cwd=installed).stdout.split()
    package, files = Path(found[0]), set(found[1:])
    assert not package.is_relative_to(ROOT)  # the installed copy, not the clone
    assert {"tei/publish.rng", "render/EpubCheckBatch.java", "render/ace_batch.js", "templates/print.css",
            "templates/tei-to-xhtml.xsl", "templates/site/site.css", "templates/cover.svg.j2"} <= files


def test_an_archive_folder_builds_deposits_preserves_and_serves(installed, tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(SOURCE_DATE_EPOCH="1674950400", PATH=f"{installed}{os.pathsep}{env.get('PATH', '')}")
    publish = installed / "publish"
    archive = tmp_path / "archive"
    run(publish, "init", archive, cwd=tmp_path, env=env)
    shutil.copy(SEEDS / "alpha.txt", archive / "seeds")
    shutil.copy(SEEDS / "beta.txt", archive / "seeds")
    shutil.copy(SEEDS / "beta.toml", archive / "seeds")
    config = (archive / "publish.toml").read_text(encoding="utf-8")
    (archive / "publish.toml").write_text(config.replace(
        '# user = { name = "…", address = "mailto:…" }',
        'user = { name = "Test Archive", address = "mailto:archive@example.org" }'), encoding="utf-8")

    run(publish, "build", "--jobs", "2", "--validate", cwd=archive, env=env)
    for kind, suffix in (("tei", ".xml"), ("pdf", ".pdf"), ("epub", ".epub")):
        assert (archive / "dist" / kind / f"alpha{suffix}").is_file()
    assert (archive / "dist" / "report.json").is_file() and (archive / "dist" / "site" / "index.html").is_file()

    run(publish, "deposit", "--archive", cwd=archive, env=env)
    run(publish, "verify", archive / "dist" / "deposit" / "alpha", archive / "dist" / "deposit" / "beta.tar",
        cwd=archive, env=env)
    run(publish, "preserve", cwd=archive, env=env)
    assert "v1" in run(publish, "preserve", "--show", "alpha", cwd=archive, env=env).stdout

    server = subprocess.Popen([str(publish), "serve", "--port", "0"], cwd=archive, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = server.stdout.readline().split()[2]
        with urllib.request.urlopen(url, timeout=30) as reply:
            assert reply.status == 200 and b"alpha" in reply.read().lower()
        with urllib.request.urlopen(f"{url}oai?verb=Identify", timeout=30) as reply:
            assert b"<Identify>" in reply.read()
    finally:
        server.terminate()
        server.wait(timeout=30)
