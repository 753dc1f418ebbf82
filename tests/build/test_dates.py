"""Each document is dated by its own inputs: a real git repository, real commits, real builds.

Without ``SOURCE_DATE_EPOCH`` (``BuildRequest(date_pinned=False)``, as the CLI
makes it), a committed document's dates are its last commit's; an uncommitted
one's, its files' modification time; and a change to one document leaves every
other document's bytes and files untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from publish.build.dates import BY_COMMIT, BY_MTIME, History, document_date, parse_log, parse_status
from publish.build.plan import BuildRequest
from publish.build.run import build
from publish.options import TEMPLATES, Options

from tests.build.test_run import SEEDS, load_manifest

ALPHA_TIME = 1_600_000_000  # 2020-09-13T12:26:40Z
BETA_TIME = 1_650_000_000   # 2022-04-15T05:20:00Z
LATER = 1_700_000_000       # 2023-11-14T22:13:20Z


def git(repo: Path, *args: str, when: int | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="Archivist", GIT_AUTHOR_EMAIL="a@example.org",
               GIT_COMMITTER_NAME="Archivist", GIT_COMMITTER_EMAIL="a@example.org")
    if when is not None:
        env.update(GIT_AUTHOR_DATE=f"@{when} +0000", GIT_COMMITTER_DATE=f"@{when} +0000")
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository whose alpha was committed in 2020 and beta (with its sidecar) in 2022."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    git(tmp_path, "init", "-q", "-b", "main")
    shutil.copy(SEEDS / "alpha.txt", seeds)
    git(tmp_path, "add", "seeds/alpha.txt")
    git(tmp_path, "commit", "-q", "-m", "alpha", when=ALPHA_TIME)
    shutil.copy(SEEDS / "beta.txt", seeds)
    shutil.copy(SEEDS / "beta.toml", seeds)
    git(tmp_path, "add", "seeds")
    git(tmp_path, "commit", "-q", "-m", "beta", when=BETA_TIME)
    return tmp_path


def run(project: Path, capsys, jobs: int = 1) -> dict:
    """A build as the CLI makes it without SOURCE_DATE_EPOCH: the clock's date, not pinned."""
    capsys.readouterr()
    request = BuildRequest(seeds_dir=project / "seeds", dist=project / "dist", jobs=jobs,
                           outputs=("tei", "epub"), json=True, date_pinned=False)
    code = build(request, Options.from_environment({}, templates=TEMPLATES))
    assert code == 0
    return json.loads(capsys.readouterr().out)


def master_dates(project: Path, identifier: str) -> tuple[str, str]:
    """The master's publicationStmt date and its revisionDesc change date."""
    text = (project / "dist" / "tei" / f"{identifier}.xml").read_text(encoding="utf-8")
    published = text.split("<publicationStmt>", 1)[1].split("</publicationStmt>", 1)[0]
    change = text.split("<revisionDesc>", 1)[1]
    return (published.split('<date when="', 1)[1].split('"', 1)[0],
            change.split('when="', 1)[1].split('"', 1)[0])


def files(project: Path) -> dict[str, tuple[bytes, int]]:
    """Every per-document output: bytes and mtime."""
    return {p.relative_to(project / "dist").as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for folder in ("tei", "epub") for p in sorted((project / "dist" / folder).iterdir())}


def test_each_committed_document_carries_its_own_commit_date(repo, capsys):
    run(repo, capsys)
    assert master_dates(repo, "alpha") == ("2020-09-13T12:26:40Z", "2020-09-13T12:26:40Z")
    assert master_dates(repo, "beta") == ("2022-04-15T05:20:00Z", "2022-04-15T05:20:00Z")
    documents = load_manifest(repo / "dist")["documents"]
    assert documents["alpha"]["source_date_epoch"] == ALPHA_TIME
    assert documents["beta"]["source_date_epoch"] == BETA_TIME


def test_a_corrected_document_changes_no_other_documents_bytes(repo, capsys):
    run(repo, capsys)
    before = files(repo)
    with open(repo / "seeds" / "beta.txt", "a", encoding="utf-8") as seed:
        seed.write("\nA corrected line.\n")
    git(repo, "commit", "-q", "-am", "correct beta", when=LATER)
    report = run(repo, capsys)
    assert {d["identifier"]: d["status"] for d in report["documents"]} == {"alpha": "skipped", "beta": "built"}
    after = files(repo)
    assert {name: value for name, value in after.items() if "alpha" in name} == \
        {name: value for name, value in before.items() if "alpha" in name}
    assert after["tei/beta.xml"] != before["tei/beta.xml"]
    assert master_dates(repo, "beta")[0] == "2023-11-14T22:13:20Z"


def test_a_sidecar_commit_dates_its_document(repo, capsys):
    with open(repo / "seeds" / "beta.toml", "a", encoding="utf-8") as sidecar:
        sidecar.write("\n# reviewed\n")
    git(repo, "commit", "-q", "-am", "review beta", when=LATER)
    run(repo, capsys)
    assert master_dates(repo, "beta")[0] == "2023-11-14T22:13:20Z"
    assert master_dates(repo, "alpha")[0] == "2020-09-13T12:26:40Z"


def test_an_uncommitted_or_changed_seed_is_dated_by_its_modification_time(repo, capsys):
    shutil.copy(SEEDS / "gamma.txt", repo / "seeds")
    os.utime(repo / "seeds" / "gamma.txt", (LATER, LATER))
    with open(repo / "seeds" / "alpha.txt", "a", encoding="utf-8") as seed:
        seed.write("\nNot yet committed.\n")
    os.utime(repo / "seeds" / "alpha.txt", (LATER + 60, LATER + 60))
    run(repo, capsys)
    assert master_dates(repo, "gamma")[0] == "2023-11-14T22:13:20Z"
    assert master_dates(repo, "alpha")[0] == "2023-11-14T22:14:20Z"
    assert master_dates(repo, "beta")[0] == "2022-04-15T05:20:00Z"


def test_outside_git_documents_are_dated_by_their_files_never_1970(tmp_path, capsys):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    for seed in (tmp_path / "seeds").iterdir():
        os.utime(seed, (ALPHA_TIME, ALPHA_TIME))
    run(tmp_path, capsys)
    for identifier in ("alpha", "beta", "gamma"):
        assert master_dates(tmp_path, identifier)[0] == "2020-09-13T12:26:40Z"
    history = History.read(tmp_path / "seeds")
    assert history.top is None
    assert document_date(tmp_path / "seeds" / "beta.txt", (), history).by == BY_MTIME


def test_the_same_commit_builds_the_same_bytes_in_any_time_zone_and_with_two_jobs(repo, capsys, tmp_path):
    run(repo, capsys)
    first = {name: data for name, (data, _mtime) in files(repo).items()}
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    zone = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Kiritimati"  # UTC+14
    try:
        run(clone, capsys, jobs=2)
    finally:
        if zone is None:
            os.environ.pop("TZ")
        else:
            os.environ["TZ"] = zone
    assert {name: data for name, (data, _mtime) in files(clone).items()} == first


def test_history_reads_names_and_changes_from_git(repo):
    (repo / "seeds" / "new one.txt").write_text("New.\n", encoding="utf-8")
    history = History.read(repo / "seeds")
    assert history.committed == {"seeds/alpha.txt": ALPHA_TIME, "seeds/beta.txt": BETA_TIME,
                                 "seeds/beta.toml": BETA_TIME}
    assert history.dirty == {"seeds/new one.txt"}
    dated = document_date(repo / "seeds" / "beta.txt", (), history)
    assert (dated.epoch, dated.by) == (BETA_TIME, BY_COMMIT)


def test_the_log_and_status_parsers_read_git_z_output():
    log = b"\x01300\x00\nseeds/a.txt\x00seeds/b\nc.txt\x00\x01200\x00\nseeds/a.txt\x00seeds/d.txt\x00"
    assert parse_log(log) == {"seeds/a.txt": 300, "seeds/b\nc.txt": 300, "seeds/d.txt": 200}
    assert parse_status(b" M seeds/a.txt\x00?? seeds/new.txt\x00") == {"seeds/a.txt", "seeds/new.txt"}
