"""``publish build --scheduler``: the same build on a Dask cluster of processes, byte for byte.

A real ``dask.distributed.LocalCluster`` (2 worker processes, 1 thread each)
stands in for a remote cluster: the workers get the seeds and templates as
bytes, never the client's paths, and return the outputs as bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from publish.build.plan import BuildRequest
from publish.build.run import build
from publish.options import TEMPLATES, Options

from tests.build.test_run import FIXTURES, SEEDS, load_manifest, snapshot
from tests.conftest import EPOCH, ROOT

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")


@pytest.fixture(scope="module")
def scheduler():
    """The address of a LocalCluster of two single-threaded worker processes."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "seeds" / "empty.txt").write_bytes(b"")
    return tmp_path


def build_both(project: Path, scheduler: str, outputs: tuple[str, ...], capsys, seeds=()):
    """Build locally and on the cluster; return both JSON reports."""
    options = Options(source_date_epoch=EPOCH, templates=TEMPLATES)
    reports = []
    for dist, address in (("local", None), ("cluster", scheduler)):
        capsys.readouterr()
        request = BuildRequest(seeds=seeds, seeds_dir=project / "seeds", dist=project / dist,
                               jobs=1, outputs=outputs, json=True, scheduler=address)
        code = build(request, options)
        reports.append((code, json.loads(capsys.readouterr().out)))
    return reports


def test_cluster_build_is_byte_identical_to_local(project, scheduler, capsys):
    (local_code, local), (cluster_code, remote) = build_both(project, scheduler, ("tei",), capsys)
    assert snapshot(project / "local") == snapshot(project / "cluster")
    assert len(snapshot(project / "cluster")) == 3
    assert load_manifest(project / "local") == load_manifest(project / "cluster")
    assert remote["scheduler"] == scheduler and local["scheduler"] is None
    assert local_code == cluster_code == 65  # the empty seed fails the same way on both
    def strip(report):
        return [{k: v for k, v in d.items() if k != "seconds"} for d in report["documents"]]

    assert strip(local) == strip(remote)
    empty = next(d for d in remote["documents"] if d["identifier"] == "empty")
    assert empty["reason"].startswith(f"{project / 'seeds' / 'empty.txt'}: empty file")


def test_cluster_build_is_incremental_like_local(project, scheduler, capsys):
    build_both(project, scheduler, ("tei",), capsys)
    options = Options(source_date_epoch=EPOCH, templates=TEMPLATES)
    request = BuildRequest(seeds_dir=project / "seeds", dist=project / "cluster", outputs=("tei",),
                           json=True, scheduler=scheduler)
    capsys.readouterr()
    build(request, options)
    assert json.loads(capsys.readouterr().out)["counts"] == {"built": 0, "partial": 0, "skipped": 3, "failed": 1}


@pytest.mark.slow
def test_cluster_renders_pdf_and_epub_byte_identical(project, scheduler, capsys):
    pytest.importorskip("publish.render.pdf")
    pytest.importorskip("publish.render.epub")
    seeds = (project / "seeds" / "beta.txt",)
    (local_code, _), (cluster_code, _) = build_both(project, scheduler, ("tei", "pdf", "epub"),
                                                    capsys, seeds)
    assert local_code == cluster_code == 0
    local = snapshot(project / "local")
    assert set(local) == {"tei/beta.xml", "pdf/beta.pdf", "epub/beta.epub"}
    assert local == snapshot(project / "cluster")


def test_cluster_gets_the_images_a_seed_points_at(tmp_path, scheduler, capsys):
    """No shared storage: the image beside the seed travels with the task, the asset comes back."""
    shutil.copytree(FIXTURES / "with-image", tmp_path / "seeds")
    (local_code, _), (cluster_code, _) = build_both(tmp_path, scheduler, ("tei",), capsys)
    assert local_code == cluster_code == 0
    local = snapshot(tmp_path / "local")
    assert any(name.startswith("tei/figure_assets/img-") for name in local)
    assert local == snapshot(tmp_path / "cluster")


def test_a_scheduler_lost_mid_build_gives_one_line_failures_and_no_dask_traceback(tmp_path):
    """A real ``dask scheduler`` and ``dask worker``; the scheduler is killed once the first PDF lands."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number in range(30):
        (seeds / f"n{number:02d}.txt").write_text(f"Note {number}\n\nA record of the council, {number}.\n",
                                                  encoding="utf-8")
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH=str(EPOCH))
        build = subprocess.Popen([sys.executable, "-m", "publish", "build", "--only", "pdf", "--scheduler", address],
                                 cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300
        while not list((tmp_path / "dist" / "pdf").glob("*.pdf")) and build.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        scheduler.send_signal(signal.SIGKILL)
        _out, err = build.communicate(timeout=300)
    finally:
        for process in (scheduler, worker):
            process.kill()
            process.wait(timeout=30)
    assert build.returncode == 70, err
    assert "Traceback" not in err and "distributed." not in err
    failures = [line for line in err.splitlines() if line.startswith("failed ")]
    assert failures and all("the cluster did not run it" in line for line in failures)
