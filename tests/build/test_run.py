"""``publish build``: the content manifest, failure isolation, reports, workers and retries.

Real seeds (``fixtures/build/seeds``), the real normaliser and renderers, real
worker processes. Most tests build only the TEI (fast); those that need the
templates build the EPUB, and one builds PDF and EPUB. No timings are asserted.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from publish.build.job import ALLOWED_FAILURES, Job
from publish.build.manifest import load_manifest as read_manifest
from publish.build.manifest import update_manifest as merge_manifest
from publish.build.plan import BuildRequest
from publish.build.pool import run_pool
from publish.build.run import build
from publish.build.task import render_job
from publish.formats import COLLECTIONS, FORMATS, collection_templates, format_for
from publish.layout import MANIFEST, Layout, code_digest, file_sha256, files_digest
from publish.options import TEMPLATES, Options

from tests.conftest import EPOCH

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
IDS = ("alpha", "beta", "gamma")


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the fixture seeds and of templates/, and an empty dist/, in tmp_path."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


@pytest.fixture
def local_options(project) -> Options:
    """Fixed build date; templates from the project's own copy, so a test may change them."""
    return Options(source_date_epoch=EPOCH, templates=project / "templates")


def report(project: Path, options: Options, capsys, *outputs: str, jobs: int = 1):
    """Build with ``--json``; return the exit code and the parsed report."""
    capsys.readouterr()
    request = BuildRequest(seeds_dir=project / "seeds", dist=project / "dist", jobs=jobs,
                           outputs=outputs or ("tei",), json=True)
    code = build(request, options)
    return code, json.loads(capsys.readouterr().out)


def load_manifest(dist: Path) -> dict:
    return read_manifest(Layout(dist=dist))


def update_manifest(dist: Path, changes: dict) -> None:
    merge_manifest(Layout(dist=dist), changes)


def output_path(dist: Path, kind: str, identifier: str) -> Path:
    return Layout(dist=dist).output(kind, identifier)


def statuses(data: dict) -> dict[str, str]:
    return {d["identifier"]: d["status"] for d in data["documents"]}


def snapshot(dist: Path) -> dict[str, bytes]:
    """Every output file under dist/ (not the manifest), relative name → bytes."""
    return {p.relative_to(dist).as_posix(): p.read_bytes()
            for p in sorted(dist.rglob("*")) if p.is_file() and not p.name.startswith(".")
            and p.name != MANIFEST}


# -- the manifest ----------------------------------------------------------------

def test_touching_every_seed_rebuilds_nothing(project, local_options, capsys):
    code, first = report(project, local_options, capsys)
    assert code == 0 and first["counts"] == {"built": 3, "partial": 0, "skipped": 0, "failed": 0}
    before = {p: p.stat().st_mtime_ns for p in (project / "dist" / "tei").iterdir()}
    for seed in (project / "seeds").iterdir():
        os.utime(seed, (seed.stat().st_atime + 3600, seed.stat().st_mtime + 3600))
    code, second = report(project, local_options, capsys)
    assert code == 0 and second["counts"] == {"built": 0, "partial": 0, "skipped": 3, "failed": 0}
    assert {p: p.stat().st_mtime_ns for p in (project / "dist" / "tei").iterdir()} == before


def test_changed_content_rebuilds_only_that_seed(project, local_options, capsys):
    report(project, local_options, capsys)
    old = (project / "dist" / "tei" / "gamma.xml").read_bytes()
    with open(project / "seeds" / "gamma.txt", "a", encoding="utf-8") as seed:
        seed.write("\nThe council thanked everyone who took part.\n")
    code, data = report(project, local_options, capsys)
    assert code == 0
    assert statuses(data) == {"alpha": "skipped", "beta": "skipped", "gamma": "built"}
    new = (project / "dist" / "tei" / "gamma.xml").read_bytes()
    assert new != old and b"thanked everyone" in new


def test_changed_sidecar_rebuilds_its_document(project, local_options, capsys):
    report(project, local_options, capsys)
    sidecar = project / "seeds" / "beta.toml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("2023-02-14", "2023-02-15"),
                       encoding="utf-8")
    code, data = report(project, local_options, capsys)
    assert code == 0
    assert statuses(data) == {"alpha": "skipped", "beta": "built", "gamma": "skipped"}
    assert b"2023-02-15" in (project / "dist" / "tei" / "beta.xml").read_bytes()


def test_changed_template_rebuilds_every_edition(project, local_options, capsys):
    code, data = report(project, local_options, capsys, "epub")
    assert code == 0 and data["counts"]["built"] == 3
    with open(project / "templates" / "epub.css", "a", encoding="utf-8") as css:
        css.write("\n/* a reader's note */\n")
    # The TEI does not use the templates: a TEI-only build still skips everything.
    code, data = report(project, local_options, capsys, "tei")
    assert code == 0 and data["counts"] == {"built": 0, "partial": 0, "skipped": 3, "failed": 0}
    code, data = report(project, local_options, capsys, "epub")
    assert code == 0 and data["counts"] == {"built": 3, "partial": 0, "skipped": 0, "failed": 0}
    code, data = report(project, local_options, capsys, "epub")
    assert data["counts"] == {"built": 0, "partial": 0, "skipped": 3, "failed": 0}


def test_a_print_css_change_re_renders_the_editions_and_rewrites_no_master(project, local_options, capsys):
    code, data = report(project, local_options, capsys, "pdf", "epub")
    assert code == 0 and data["counts"]["built"] == 3
    masters = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (project / "dist" / "tei").iterdir()}
    editions = snapshot(project / "dist")
    with open(project / "templates" / "print.css", "a", encoding="utf-8") as css:
        css.write("\n@page { margin-bottom: 21mm; }\n")
    code, data = report(project, local_options, capsys, "pdf", "epub")
    assert code == 0 and data["counts"]["built"] == 3
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (project / "dist" / "tei").iterdir()} == masters
    after = snapshot(project / "dist")
    assert all(after[f"pdf/{i}.pdf"] != editions[f"pdf/{i}.pdf"] for i in IDS)


def test_an_epub_css_change_leaves_every_pdf_alone(project, local_options, capsys):
    report(project, local_options, capsys, "pdf", "epub")
    pdfs = {p.name: p.stat().st_mtime_ns for p in (project / "dist" / "pdf").iterdir()}
    with open(project / "templates" / "epub.css", "a", encoding="utf-8") as css:
        css.write("\n/* a reader's note */\n")
    code, data = report(project, local_options, capsys, "pdf", "epub")
    assert code == 0 and data["counts"]["built"] == 3
    assert {p.name: p.stat().st_mtime_ns for p in (project / "dist" / "pdf").iterdir()} == pdfs


def test_other_code_making_the_same_master_bytes_rewrites_no_master(project, local_options, capsys):
    """A record made by other code (another publish, a changed renderer) is rebuilt; equal bytes stay put."""
    report(project, local_options, capsys)
    masters = {p.name: p.stat().st_mtime_ns for p in (project / "dist" / "tei").iterdir()}
    documents = load_manifest(project / "dist")["documents"]
    update_manifest(project / "dist", {i: dict(documents[i], code_sha256="other code") for i in IDS})
    code, data = report(project, local_options, capsys)
    assert code == 0 and data["counts"]["built"] == 3
    assert {p.name: p.stat().st_mtime_ns for p in (project / "dist" / "tei").iterdir()} == masters
    assert all(e["code_sha256"] == code_digest() for e in load_manifest(project / "dist")["documents"].values())


def test_every_edition_template_is_named_by_a_formats_row():
    """A template no row names would be read without being recorded: its change would leave stale editions."""
    named = {name for row in FORMATS for name in row.templates}
    files = {p.name for p in TEMPLATES.iterdir() if p.is_file()}
    assert files == named
    assert not any(row.templates for row in FORMATS if not row.rendered)


def test_a_collection_template_rebuilds_no_edition(project, local_options, capsys):
    """templates/site/ is the reading site's alone: editing it re-renders no PDF or EPUB."""
    code, data = report(project, local_options, capsys, "epub")
    assert code == 0 and data["counts"]["built"] == 3
    [folder] = [name for name in collection_templates() if (project / "templates" / name).is_dir()][:1]
    css = next(p for p in sorted((project / "templates" / folder).iterdir()) if p.suffix == ".css")
    css.write_text(css.read_text(encoding="utf-8") + "\n/* a reader's note */\n", encoding="utf-8")
    code, data = report(project, local_options, capsys, "epub")
    assert code == 0 and data["counts"] == {"built": 0, "partial": 0, "skipped": 3, "failed": 0}


def test_manifest_records_each_field(project, local_options, capsys):
    report(project, local_options, capsys, "epub")
    entry = load_manifest(project / "dist")["documents"]["beta"]
    from publish import __version__

    assert entry["seed"] == "beta.txt"
    assert entry["input_sha256"] == file_sha256(project / "seeds" / "beta.txt")
    assert entry["sidecar_sha256"] == file_sha256(project / "seeds" / "beta.toml")
    assert entry["publish_version"] == __version__
    assert entry["templates"] == {"epub": files_digest(project / "templates", format_for("epub").templates)}
    assert entry["code_sha256"] == code_digest()
    assert entry["source_date_epoch"] == EPOCH
    assert set(entry["outputs"]) == {"tei", "epub"}
    assert entry["outputs"]["epub"] == file_sha256(project / "dist" / "epub" / "beta.epub")
    assert load_manifest(project / "dist")["documents"]["alpha"]["sidecar_sha256"] is None


def test_a_missing_output_is_rebuilt(project, local_options, capsys):
    report(project, local_options, capsys)
    (project / "dist" / "tei" / "alpha.xml").unlink()
    code, data = report(project, local_options, capsys)
    assert statuses(data) == {"alpha": "built", "beta": "skipped", "gamma": "skipped"}


def test_outputs_left_stale_by_a_partial_rebuild_are_removed(project, local_options, capsys):
    report(project, local_options, capsys, "epub")
    (project / "seeds" / "alpha.txt").write_text("Changed\n\nA new text.\n", encoding="utf-8")
    code, data = report(project, local_options, capsys, "tei")
    assert code == 0 and statuses(data)["alpha"] == "built"
    assert not (project / "dist" / "epub" / "alpha.epub").exists()  # it was the old text's
    assert (project / "dist" / "epub" / "beta.epub").exists()
    assert set(load_manifest(project / "dist")["documents"]["alpha"]["outputs"]) == {"tei"}


def test_concurrent_manifest_updates_lose_nothing(tmp_path):
    """Four processes merging records at once (``make -j``): every record survives."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        pool.starmap(_record_many, [(tmp_path, worker) for worker in range(4)])
    documents = load_manifest(tmp_path)["documents"]
    assert sorted(documents) == sorted(f"w{w}-d{d}" for w in range(4) for d in range(25))


def _record_many(dist: Path, worker: int) -> None:
    for number in range(25):
        update_manifest(dist, {f"w{worker}-d{number}": {"seed": f"{worker}-{number}.txt"}})


def test_two_builds_at_once_share_one_dist(project):
    """Two ``publish build`` processes on the same dist/ (as ``make -j`` may run)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH))
    command = [sys.executable, "-m", "publish", "build", "--only", "tei", "--quiet",
               "--dist", str(project / "dist")]
    seeds = sorted((project / "seeds").glob("*.txt"))
    first = subprocess.Popen(command + [str(seeds[0]), str(seeds[1])], env=env, cwd=project)
    second = subprocess.Popen(command + [str(seeds[2]), str(seeds[1])], env=env, cwd=project)
    assert first.wait() == 0 and second.wait() == 0
    assert sorted(load_manifest(project / "dist")["documents"]) == list(IDS)
    again = subprocess.run(command + ["--json", "--seeds-dir", str(project / "seeds")], env=env,
                           cwd=project, capture_output=True, text=True)
    assert json.loads(again.stdout)["counts"] == {"built": 0, "partial": 0, "skipped": 3, "failed": 0}


def test_an_image_beside_a_seed_is_tracked_and_becomes_an_asset(tmp_path, options, capsys):
    shutil.copytree(FIXTURES / "with-image", tmp_path / "seeds")
    project = tmp_path
    code, data = report(project, options, capsys)
    assert code == 0 and statuses(data) == {"figure": "built"}
    entry = load_manifest(project / "dist")["documents"]["figure"]
    assert set(entry["resources"]) == {"pics/dot.png"}
    [old_asset] = entry["assets"]
    assert (project / "dist" / "tei" / "figure_assets" / old_asset).is_file()
    assert old_asset.encode() in (project / "dist" / "tei" / "figure.xml").read_bytes()
    os.utime(project / "seeds" / "pics" / "dot.png")
    assert statuses(report(project, options, capsys)[1]) == {"figure": "skipped"}
    shutil.copy(FIXTURES / "blue-dot.png", project / "seeds" / "pics" / "dot.png")
    code, data = report(project, options, capsys)
    assert code == 0 and statuses(data) == {"figure": "built"}
    [new_asset] = load_manifest(project / "dist")["documents"]["figure"]["assets"]
    assert new_asset != old_asset
    assert [p.name for p in (project / "dist" / "tei" / "figure_assets").iterdir()] == [new_asset]


# -- failures -------------------------------------------------------------------

def test_a_bad_seed_fails_alone_with_its_reason(project, local_options, capsys):
    (project / "seeds" / "empty.txt").write_bytes(b"")
    code = build(BuildRequest(seeds_dir=project / "seeds", dist=project / "dist", jobs=2,
                              outputs=("tei",)), local_options)
    err = capsys.readouterr().err
    assert code == 65
    assert "publish build: 3 built, 0 skipped, 1 failed" in err
    assert f"failed empty: {project / 'seeds' / 'empty.txt'}: empty file" in err
    assert not output_path(project / "dist", "tei", "empty").exists()
    assert all(output_path(project / "dist", "tei", i).is_file() for i in IDS)
    assert "empty" not in load_manifest(project / "dist")["documents"]
    assert not list((project / "dist").rglob("*.tmp"))


def test_a_bad_correction_keeps_the_last_good_build_until_a_good_one(project, local_options, capsys):
    """A failed rebuild never unpublishes: the last good outputs and record stay, the build fails naming it."""
    report(project, local_options, capsys, "epub")
    good = {kind: output_path(project / "dist", kind, "gamma").read_bytes() for kind in ("tei", "epub")}
    record = load_manifest(project / "dist")["documents"]["gamma"]
    seed = project / "seeds" / "gamma.txt"
    original = seed.read_bytes()
    seed.write_bytes(b"   \n\n  \n")  # a broken correction
    code, data = report(project, local_options, capsys, "epub")
    assert code == 65 and statuses(data)["gamma"] == "failed"
    [failure] = [d for d in data["documents"] if d["identifier"] == "gamma"]
    assert "gamma.txt" in failure["reason"] and "last good build is kept" in failure["reason"]
    assert {kind: output_path(project / "dist", kind, "gamma").read_bytes() for kind in ("tei", "epub")} == good
    assert load_manifest(project / "dist")["documents"]["gamma"] == record
    code, data = report(project, local_options, capsys, "epub")  # still failing: tried again
    assert statuses(data)["gamma"] == "failed"
    seed.write_bytes(original + b"\nA good correction.\n")
    code, data = report(project, local_options, capsys, "epub")
    assert code == 0 and statuses(data)["gamma"] == "built"
    assert b"A good correction." in output_path(project / "dist", "tei", "gamma").read_bytes()


def test_a_new_document_that_fails_leaves_nothing(project, local_options, capsys):
    (project / "seeds" / "delta.txt").write_bytes(b"   \n\n  \n")
    code, data = report(project, local_options, capsys, "epub")
    assert code == 65 and statuses(data)["delta"] == "failed"
    assert not any(output_path(project / "dist", kind, "delta").exists() for kind in ("tei", "epub"))
    assert "delta" not in load_manifest(project / "dist")["documents"]


@pytest.mark.warns
def test_a_workers_warnings_reach_the_main_log(tmp_path, options, capsys, no_unexpected_warnings):
    shutil.copytree(FIXTURES / "with-script", tmp_path / "seeds")
    code, data = report(tmp_path, options, capsys, jobs=2)
    assert code == 0 and statuses(data) == {"scripted": "built"}
    messages = [r.getMessage() for r in no_unexpected_warnings.records]
    assert any("dropped <script>" in m and "scripted.html" in m for m in messages)


@pytest.mark.warns
def test_under_strict_a_warning_fails_its_document(tmp_path, capsys):
    shutil.copytree(FIXTURES / "with-script", tmp_path / "seeds")
    strict = Options(source_date_epoch=EPOCH, strict=True)
    code, data = report(tmp_path, strict, capsys)
    [document] = data["documents"]
    assert code == 71 and document["status"] == "failed"
    assert "warning under --strict" in document["reason"] and "dropped <script>" in document["reason"]
    assert not output_path(tmp_path / "dist", "tei", "scripted").exists()


def test_seeds_sharing_an_id_both_fail(project, local_options, capsys):
    report(project, local_options, capsys)
    shutil.copy(project / "seeds" / "alpha.txt", project / "seeds" / "alpha.text")
    code, data = report(project, local_options, capsys)
    assert not output_path(project / "dist", "tei", "alpha").exists()
    failed = [d for d in data["documents"] if d["status"] == "failed"]
    assert code == 2 and {d["seed"] for d in failed} == {"alpha.txt", "alpha.text"}
    assert all("share the id 'alpha'" in d["reason"] for d in failed)


# -- reports and progress -------------------------------------------------------------

def test_json_report_shape(project, local_options, capsys):
    (project / "seeds" / "empty.txt").write_bytes(b"")
    code, data = report(project, local_options, capsys)
    assert set(data) == {"counts", "exit_code", "seconds", "jobs", "scheduler", "outputs", "dist",
                         "documents"}
    assert data["counts"] == {"built": 3, "partial": 0, "skipped": 0, "failed": 1}
    assert data["exit_code"] == code == 65 and data["outputs"] == ["tei"] and data["jobs"] == 1
    assert [d["identifier"] for d in data["documents"]] == ["alpha", "beta", "empty", "gamma"]
    for document in data["documents"]:
        assert set(document) == {"identifier", "status", "seed", "reason", "exit_code", "seconds"}
    empty = data["documents"][2]
    assert empty["status"] == "failed" and empty["exit_code"] == 65 and "empty file" in empty["reason"]


def test_off_a_terminal_one_line_per_built_document(project, local_options, capsys):
    build(BuildRequest(seeds_dir=project / "seeds", dist=project / "dist", jobs=1, outputs=("tei",)),
          local_options)
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert captured.out == ""
    assert sorted(line.split()[1] for line in lines if line.startswith("built ")) == list(IDS)
    assert lines[-1].startswith("publish build: 3 built, 0 skipped, 0 failed")
    build(BuildRequest(seeds_dir=project / "seeds", dist=project / "dist", quiet=True,
                       outputs=("tei",)), local_options)
    assert capsys.readouterr().err.splitlines()[0].startswith("publish build: 0 built, 3 skipped")


def test_a_no_op_build_imports_no_heavy_module(project):
    """The no-op path hashes and stats only: no lxml, renderer, rich or Dask."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH))
    args = ["build", "--only", "tei", "--seeds-dir", "seeds", "--dist", "dist", "--quiet"]
    subprocess.run([sys.executable, "-m", "publish", *args], env=env, cwd=project, check=True)
    probe = (f"import sys; from publish.cli import main; code = main({args!r}); "
             "print(code, sorted(m for m in ('lxml', 'weasyprint', 'rich', 'distributed', "
             "'publish.normalise', 'publish.render') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], env=env, cwd=project,
                            capture_output=True, text=True, check=True)
    assert result.stdout.split(None, 1) == ["0", "[]\n"]


# -- workers ----------------------------------------------------------------------------

def test_two_workers_make_the_same_bytes_as_one(project, local_options, capsys):
    one = BuildRequest(seeds_dir=project / "seeds", dist=project / "one", jobs=1, outputs=("tei",),
                       quiet=True)
    two = BuildRequest(seeds_dir=project / "seeds", dist=project / "two", jobs=2, outputs=("tei",),
                       quiet=True)
    assert build(one, local_options) == 0 and build(two, local_options) == 0
    assert snapshot(project / "one") == snapshot(project / "two") != {}
    assert load_manifest(project / "one") == load_manifest(project / "two")


@pytest.mark.slow
def test_two_workers_render_pdf_and_epub_like_one(project, local_options):
    pytest.importorskip("publish.render.pdf")
    seeds = (project / "seeds" / "beta.txt", project / "seeds" / "gamma.txt")
    for dist, jobs in (("one", 1), ("two", 2)):
        request = BuildRequest(seeds=seeds, dist=project / dist, jobs=jobs, quiet=True)
        assert build(request, local_options) == 0
    one = snapshot(project / "one")
    # Collection outputs (COLLECTIONS) are built too; the documents' own files are exactly these.
    collections = tuple(f"{row.folder}/" for row in COLLECTIONS)
    assert {name for name in one if not name.startswith(collections)} == {
        f"{kind}/{i}.{ext}" for i in ("beta", "gamma")
        for kind, ext in (("tei", "xml"), ("pdf", "pdf"), ("epub", "epub"))}
    assert one == snapshot(project / "two")


def crash_task(job: Job, options: Options):
    """A task whose worker process dies on documents named ``crash*`` (a real crash, no mock).

    ``crash-once`` dies only the first time: a marker file beside the seed remembers it.
    """
    marker = job.seed.with_suffix(".crashed")
    if job.identifier == "crash" or (job.identifier == "crash-once" and not marker.exists()):
        marker.touch()
        os._exit(9)
    return render_job(job, options)


def test_a_dying_worker_is_retried_then_its_document_fails(project, local_options):
    seeds = project / "seeds"
    for name in ("crash", "crash-once"):
        shutil.copy(seeds / "alpha.txt", seeds / f"{name}.txt")
    jobs = [Job(p.stem, p, ("tei",)) for p in sorted(seeds.glob("*.txt"))]
    results = []
    run_pool(jobs, 2, local_options, 20, results.append, task=crash_task)
    by_id = {r.identifier: r for r in results}
    assert sorted(by_id) == sorted(["crash", "crash-once", *IDS])
    assert f"died each of {ALLOWED_FAILURES} times" in by_id["crash"].reason
    assert by_id["crash"].exit_code == 70
    assert all(not by_id[i].reason and by_id[i].files["tei"] for i in ("crash-once", *IDS))


def test_jobs_must_be_positive(project, local_options):
    from publish.errors import UsageError

    with pytest.raises(UsageError, match="--jobs must be at least 1"):
        build(BuildRequest(seeds_dir=project / "seeds", dist=project / "dist", jobs=0,
                           outputs=("tei",)), local_options)



def test_a_no_op_build_writes_nothing_at_all(project, local_options, capsys):
    """A second build of the same seeds, checks and site included, leaves every file under dist/ as it was."""
    request = BuildRequest(seeds_dir=project / "seeds", dist=project / "dist", jobs=1,
                           outputs=("tei", "site", "opds"), json=True, validate=True)
    assert build(request, local_options) == 0
    before = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in (project / "dist").rglob("*")}
    assert (project / "dist" / "report.json").is_file() and (project / "dist" / "site" / "index.html").is_file()
    capsys.readouterr()
    assert build(request, local_options) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["skipped"] == 3
    assert {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in (project / "dist").rglob("*")} == before


def test_names_that_cannot_name_outputs_are_refused_up_front(project, local_options, capsys):
    """A 250-byte name once failed naming a temporary file; a newline broke EPUBCheck's batch list."""
    long_name = "r" * 246 + ".txt"  # 250 bytes
    (project / "seeds" / long_name).write_text("A long-named report.\n", encoding="utf-8")
    (project / "seeds" / "two\nlines.txt").write_text("A newline in the name.\n", encoding="utf-8")
    code, data = report(project, local_options, capsys)
    assert code == 65
    reasons = {d["seed"]: d["reason"] for d in data["documents"] if d["status"] == "failed"}
    assert "is 246 bytes long; at most 200" in reasons[long_name] and long_name in reasons[long_name]
    assert "control character U+000A" in reasons["two\nlines.txt"]
    assert statuses(data) == {**{i: "built" for i in IDS}, "r" * 246: "failed", "two\nlines": "failed"}
    assert not any(".tmp" in reason for reason in reasons.values())


def test_a_killed_build_keeps_the_records_of_what_landed(tmp_path):
    """SIGKILL mid-build: the manifest already lists documents that landed (it was written only at the
    end), each record true to the files on disk, and the next build skips them."""
    import signal
    import time as clock

    from publish.build.manifest import fixity_failures

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number in range(40):
        (seeds / f"letter{number:02d}.txt").write_text(
            f"Letter {number}\n\nA letter kept by the archive, number {number}.\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]), SOURCE_DATE_EPOCH=str(EPOCH))
    process = subprocess.Popen([sys.executable, "-m", "publish", "build", "--jobs", "1", "--only", "pdf"],
                               cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = tmp_path / "dist" / MANIFEST
    deadline = clock.monotonic() + 300
    while not manifest.exists() and process.poll() is None and clock.monotonic() < deadline:
        clock.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL  # killed mid-build, not finished
    documents = load_manifest(tmp_path / "dist")["documents"]
    assert 0 < len(documents) < 40
    layout = Layout(dist=tmp_path / "dist")
    assert all(not fixity_failures(layout, identifier, record) for identifier, record in documents.items())
    again = subprocess.run([sys.executable, "-m", "publish", "build", "--jobs", "1", "--only", "pdf", "--json"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["counts"]["skipped"] == len(documents)
