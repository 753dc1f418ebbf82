"""Ten thousand small documents through the local pool and through Dask (TEI only).

The pool once hung after about 2,300 documents: each worker announced every job
it started on a pipe that the build read only when the pool broke, and the
64 KB pipe filled. These builds run the real command, in a subprocess with a
time limit, so a hang fails the test instead of stopping the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EPOCH, ROOT

DOCUMENTS = 10_000
#: Far above the expected few minutes: only a hang reaches it.
LIMIT = 1800


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scale") / "seeds"
    folder.mkdir()
    for number in range(DOCUMENTS):
        (folder / f"n{number:05d}.txt").write_text(
            f"Minute {number}\n\nThe council met and recorded item {number}.\n", encoding="utf-8")
    return folder


def build(seeds: Path, dist: Path, *extra: str) -> dict:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH), PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "publish", "build", "--seeds-dir", str(seeds),
                             "--dist", str(dist), "--only", "tei", "--json", *extra],
                            capture_output=True, text=True, env=env, timeout=LIMIT)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def check(dist: Path, report: dict) -> None:
    assert report["counts"]["built"] == DOCUMENTS and report["counts"]["failed"] == 0
    assert len(list((dist / "tei").glob("*.xml"))) == DOCUMENTS
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["documents"]) == DOCUMENTS


def test_ten_thousand_documents_through_the_pool(seeds, tmp_path):
    check(tmp_path / "dist", build(seeds, tmp_path / "dist", "--jobs", "2"))


def test_ten_thousand_documents_through_dask(seeds, tmp_path):
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        check(tmp_path / "dist", build(seeds, tmp_path / "dist", "--scheduler", cluster.scheduler_address))
