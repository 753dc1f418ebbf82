"""The ``change`` step of ``make bench``: an archive grows one document at a time.

A collection of N documents (default 1,000) is committed to a git repository
of its own and built as ``make`` builds it, with validation, without
``SOURCE_DATE_EPOCH`` (each document dated by its own commit), then
deposited and preserved. Then one seed is corrected and one added, both
committed, and the same commands run again. Measured:

* the documents re-rendered (target: 2);
* that ``make``'s time, validation included (target: at most 15 s);
* that ``make deposit``'s time, ``publish deposit --archive`` then ``publish
  preserve`` (target: at most 10 s);
* the OCFL versions added (target: 1, and 1 new object);
* then a ``print.css`` change (a comment appended, then taken out again): the
  masters rewritten (target: 0) and the editions re-rendered.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

PRESERVE_USER = '[preserve]\nuser = { name = "bench archive", address = "mailto:bench@publish.invalid" }\n'


def git(repo: Path, *args: str, when: int | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@publish.invalid",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@publish.invalid")
    if when is not None:
        env.update(GIT_AUTHOR_DATE=f"@{when} +0000", GIT_COMMITTER_DATE=f"@{when} +0000")
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def timed(command: list, cwd: Path, log: Path) -> tuple[float, dict | None, int]:
    """Run a publish command in the archive folder, unpinned; wall seconds, its --json report, exit code."""
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    started = time.perf_counter()
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True)
    wall = time.perf_counter() - started
    with open(log, "ab") as out:
        out.write(f"$ {' '.join(map(str, command))}\n".encode() + done.stderr)
    try:
        report = json.loads(done.stdout) if done.stdout.strip().startswith(b"{") else None
    except ValueError:
        report = None
    return wall, report, done.returncode


def heads(ocfl: Path) -> dict[str, str]:
    """Each OCFL object's id → its head version."""
    found = {}
    for inventory in ocfl.rglob("inventory.json"):
        if inventory.parent.name.startswith("v"):  # a version's copy (object folders are hex digests)
            continue
        data = json.loads(inventory.read_text(encoding="utf-8"))
        found[data["id"]] = data["head"]
    return found


def change_step(seeds: list[Path], count: int, out: Path, publish: Path, templates: Path, log: Path,
                results: dict) -> None:
    repo = out / "change"
    shutil.rmtree(repo, ignore_errors=True)
    (repo / "seeds").mkdir(parents=True)
    for seed in seeds[:count]:
        for path in (seed, seed.with_suffix(".toml")):
            shutil.copy(path, repo / "seeds")
    (repo / "publish.toml").write_text(PRESERVE_USER, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "the collection", when=1_674_950_400)
    build = [publish, "build", "--jobs", 2, "--validate", "--json"]
    wall, report, code = timed(build, repo, log)
    print(f"  change: first build of {count} documents, validated: {wall:.0f} s (exit {code})", flush=True)
    timed([publish, "deposit", "--archive"], repo, log)
    timed([publish, "preserve"], repo, log)
    before = heads(repo / "dist" / "ocfl")

    corrected = sorted((repo / "seeds").glob("*.txt"))[0]
    with open(corrected, "a", encoding="utf-8") as text:
        text.write("\nA correction, made a week later.\n")
    added = repo / "seeds" / "zz_new_document.txt"
    added.write_text("A new release\n\nThe council approved the new ferry timetable today.\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one correction, one new document", when=1_675_555_200)
    make_wall, report, make_code = timed(build, repo, log)
    rendered = report["counts"]["built"] + report["counts"]["partial"] if report else None
    deposit_wall, _report, deposit_code = timed([publish, "deposit", "--archive"], repo, log)
    preserve_wall, _report, preserve_code = timed([publish, "preserve"], repo, log)
    after = heads(repo / "dist" / "ocfl")
    versions = sum(1 for urn, head in after.items() if urn in before and head != before[urn])
    objects = len(set(after) - set(before))

    masters = {p: p.stat().st_mtime_ns for p in (repo / "dist" / "tei").glob("*.xml")}
    css = templates / "print.css"
    original = css.read_bytes()
    try:
        css.write_bytes(original + b"\n/* bench: a print.css change */\n")
        css_wall, report, css_code = timed(build[:-2] + ["--json"], repo, log)
    finally:
        css.write_bytes(original)
    rewritten = sum(1 for p, mtime in masters.items() if p.stat().st_mtime_ns != mtime)
    rerendered = report["counts"]["built"] if report else None
    timed(build[:-2] + ["--json"], repo, log)  # back to the real print.css
    results["change"] = {"documents": count, "rendered": rendered, "make": make_wall, "make_code": make_code,
                         "deposit": deposit_wall + preserve_wall, "deposit_code": max(deposit_code, preserve_code),
                         "versions": versions, "new_objects": objects, "css_masters_rewritten": rewritten,
                         "css_rerendered": rerendered, "css_wall": css_wall, "css_code": css_code}
    print(f"  change: {rendered} re-rendered, make {make_wall:.1f} s, deposit + preserve "
          f"{deposit_wall + preserve_wall:.1f} s, {versions} version(s) and {objects} object(s) added; "
          f"print.css: {rewritten} master(s) rewritten, {rerendered} document(s) re-rendered", flush=True)


def figures(results: dict) -> list[tuple[str, str, str, str, bool | None]]:
    change = results.get("change")
    if not change:
        return []
    n = change["documents"]
    return [
        (f"change at {n}: documents re-rendered", str(change["rendered"]), "", "2", change["rendered"] == 2),
        (f"change at {n}: make (validated)", f"{change['make']:.1f} s", "", "<= 15 s", change["make"] <= 15),
        (f"change at {n}: make deposit", f"{change['deposit']:.1f} s", "", "<= 10 s", change["deposit"] <= 10),
        (f"change at {n}: OCFL versions added", f"{change['versions']} + {change['new_objects']} new object",
         "", "1 + 1 new object", change["versions"] == 1 and change["new_objects"] == 1),
        (f"print.css change at {n}: masters rewritten", str(change["css_masters_rewritten"]),
         f"{change['css_rerendered']} re-rendered", "0", change["css_masters_rewritten"] == 0),
    ]
