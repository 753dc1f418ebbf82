"""A failing edition never loses the master: the document is partial, and only that edition is retried."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.fixtures.toy_text import publish_with


def publish(project: Path, *args: str) -> subprocess.CompletedProcess:
    return publish_with("FAILING_ROW", project, *args)


def test_the_master_is_kept_when_an_edition_fails(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text("A plain letter.\n", encoding="utf-8")
    (seeds / "bad.txt").write_text("A letter with FAIL-THIS-EDITION in it.\n", encoding="utf-8")
    args = ("build", "--jobs", "1", "--only", "tei", "--only", "flaky")
    first = publish(tmp_path, *args)
    assert first.returncode == 70, first.stderr
    assert "publish build: 1 built, 1 partial, 0 skipped, 0 failed" in first.stderr
    assert "partial bad: dist/tei/bad.xml: the flaky edition refuses this document" in first.stderr
    master = tmp_path / "dist" / "tei" / "bad.xml"
    assert master.is_file() and not (tmp_path / "dist" / "flaky" / "bad.flaky").exists()
    assert (tmp_path / "dist" / "flaky" / "good.flaky").is_file()
    record = json.loads((tmp_path / "dist" / "manifest.json").read_text())["documents"]["bad"]
    assert set(record["outputs"]) == {"tei"}

    # The next build retries the failed edition only; the master is not rewritten.
    written = master.stat().st_mtime_ns
    again = publish(tmp_path, *args, "--json")
    assert again.returncode == 70
    report = json.loads(again.stdout)
    assert report["counts"] == {"built": 0, "partial": 1, "skipped": 1, "failed": 0}
    assert master.stat().st_mtime_ns == written

    # Fixed, it is built and no longer partial.
    (seeds / "bad.txt").write_text("A letter, now fine.\n", encoding="utf-8")
    fixed = publish(tmp_path, *args)
    assert fixed.returncode == 0, fixed.stderr
    assert (tmp_path / "dist" / "flaky" / "bad.flaky").is_file()


def test_deposit_refuses_a_partial_document(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bad.txt").write_text("FAIL-THIS-EDITION\n", encoding="utf-8")
    assert publish(tmp_path, "build", "--jobs", "1", "--only", "tei", "--only", "flaky").returncode == 70
    refused = publish(tmp_path, "deposit", "bad")
    assert refused.returncode == 74
    assert "deposit refused: no" in refused.stderr and not (tmp_path / "dist" / "deposit" / "bad").exists()
