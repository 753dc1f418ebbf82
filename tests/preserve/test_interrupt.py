"""``kill -9`` at any point leaves every object valid at its last version, and a rerun completes.

``publish preserve`` runs in a subprocess, unchanged (no test hook). Each
attempt edits the sample's sidecar, so each run wants a new version of its
object (the other document is unchanged: one validation per run keeps the
test affordable), and a thread kills the process with SIGKILL: in some
attempts after a delay from its start; in the others a few milliseconds
after the first file of the document appears in the work area (its copy and
PREMIS record) or after the staged object appears there (linking, writing,
the swap and the clean-up take milliseconds, after validations that take
seconds). After every
kill each object must pass ocfl-py at a head that is the old one or the next,
and ``publish verify`` must find nothing; after a last, uninterrupted run the
storage root must pass ocfl-py with no warning at all (the work area gone).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from publish.preserve.storage import StorageRoot

from tests.conftest import ROOT, SAMPLE
from tests.preserve.conftest import LATER, ocfl_problems

pytestmark = pytest.mark.slow
#: (what to wait for in the work area, seconds after it): kills early in the run, then in the writing.
ATTEMPTS = ([(None, 0.3), (None, 1.5)] + [("*", ms / 1000) for ms in (0, 10, 40)]
            + [("object.*", ms / 1000) for ms in (0, 1, 2, 4, 8, 15)])


def heads(root: Path) -> dict[str, int]:
    return {folder.name: int(json.loads((folder / "inventory.json").read_bytes())["head"][1:])
            for folder in StorageRoot.open(root).objects()}


def run_preserve(project: Path, watch: str | None = None, delay: float | None = None) -> int | None:
    """Run ``publish preserve`` and SIGKILL it as planned (``delay`` None: never); None if it was killed."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(LATER), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "publish", "preserve"], cwd=project, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    work = project / "dist" / "ocfl" / "extensions" / "publish-work"

    def killer():
        if watch:
            while process.poll() is None and not (work.is_dir() and any(work.glob(watch))):
                time.sleep(0.0005)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)

    thread = threading.Thread(target=killer)
    if delay is not None:
        thread.start()
    _out, err = process.communicate(timeout=900)
    if delay is not None:
        thread.join()
    if process.returncode == -signal.SIGKILL:
        return None
    assert process.returncode == 0, err.decode()
    return 0


def test_sigkill_at_many_points_leaves_every_object_valid(history, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(history["project"], project)
    root = project / "dist" / "ocfl"
    sidecar = project / "seeds" / f"{SAMPLE.stem}.toml"
    original = sidecar.read_text(encoding="utf-8")
    rng = random.Random(13)
    killed = in_commit = 0
    for number, (watch, delay) in enumerate(ATTEMPTS):
        before = heads(root)
        sidecar.write_text(f"{original}# attempt {number}\n", encoding="utf-8")
        code = run_preserve(project, watch, delay + rng.random() / 1000)
        killed += code is None
        # A staged object left behind means the kill landed inside the commit.
        in_commit += code is None and any((root / "extensions" / "publish-work").glob("object.*"))
        after = heads(root)
        assert set(after) == set(before)
        for name, head in after.items():
            assert head in (before[name], before[name] + 1), (number, name)
        for folder in StorageRoot.open(root).objects():
            assert ocfl_problems(folder) == [], (number, folder)
        # Only the work area a killed run leaves may make ocfl-py speak about the root.
        assert [m for m in ocfl_problems(root) if "publish-work" not in m] == [], number
        verified = subprocess.run([sys.executable, "-m", "publish", "verify", str(root)], cwd=project,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
        assert verified.returncode == 0, (number, verified.stderr)
    assert killed >= len(ATTEMPTS) // 2, "too few runs were killed to test anything"
    assert in_commit >= 1, "no kill landed while a version was being staged or swapped"
    before = heads(root)
    assert run_preserve(project) == 0
    assert ocfl_problems(root) == []
    assert not (root / "extensions" / "publish-work").exists()
    assert all(head >= before[name] for name, head in heads(root).items())
