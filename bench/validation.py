"""The validation steps of ``make bench``: EPUBCheck in one JVM against one per book, deposit, no-op validate.

Imported by ``bench/run.py`` (steps ``epubcheck``, ``deposit``, ``validate``):

1. **EPUBCheck batch**: the EPUBs of a fresh ``--jobs 2`` corpus build,
   checked by one EPUBCheck JVM per core (:func:`run_epubcheck_batch`), and
   by ``publish validate`` with an empty cache (EPUBCheck batch and Ace in
   one browser), against one ``java -jar epubcheck.jar`` per book (on every
   Nth book with ``--epubcheck-sample N``, the mean per book reported).
   Target: the batch at least 10x faster.
2. **Deposit**: ``publish build --validate`` of the documents (what ``make``
   runs), then ``publish deposit --archive`` of them all (what ``make
   deposit`` runs after that build). Target: the deposit at most 1.5x the build.
3. **No-op validate**: ``publish validate`` of that validated build again,
   every answer from the cache. Target: under 1 s.

The build and the validations pass ``--tei-all`` when ``../shared`` has the
official schema, as ``make`` and ``make validate`` do.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

TEI_ALL = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas" / "tei" / "tei_all.rng"


def tei_all() -> list:
    """``--tei-all PATH`` where the official schema is, as the Makefile passes it."""
    return ["--tei-all", TEI_ALL] if TEI_ALL.is_file() else []


def epubcheck_step(out: Path, sample: int, results: dict, measure, publish_bin: Path, log: Path) -> None:
    """EPUBCheck on the fresh build's EPUBs: one JVM per core against one per book."""
    from publish.render.epubcheck import run_epubcheck
    from publish.render.epubcheck_batch import run_epubcheck_batch

    books = sorted((out / "dist-jobs2" / "epub").glob("*.epub"))
    if not books:
        print("  epubcheck: no EPUBs (run the corpus step first)", flush=True)
        return
    started = time.perf_counter()
    batch = run_epubcheck_batch(books, jobs=os.cpu_count() or 1)
    batch_wall = time.perf_counter() - started
    chosen = books[::max(1, len(books) // sample)] if sample else books
    started = time.perf_counter()
    for book in chosen:
        assert run_epubcheck(book) == batch[book], book
    per_book = (time.perf_counter() - started) / len(chosen)
    dist = out / "dist-validate"
    shutil.rmtree(dist, ignore_errors=True)
    shutil.copytree(out / "dist-jobs2", dist)
    shutil.rmtree(dist / ".checks", ignore_errors=True)
    full = measure([publish_bin, "validate", "--dist", dist, *(dist / "epub" / b.name for b in books)], log)
    results["epubcheck"] = {"books": len(books), "batch_wall": batch_wall, "per_book": per_book,
                            "sampled": len(chosen), "validate_wall": full.wall, "validate_code": full.code}
    print(f"  EPUBCheck on {len(books)} EPUBs: batch {batch_wall:.1f} s; one JVM per book "
          f"{per_book:.2f} s/book on {len(chosen)}; publish validate (EPUBCheck + Ace) {full.wall:.1f} s, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)


def deposit_step(seeds_dir: Path, out: Path, results: dict, measure, publish_bin: Path, log: Path) -> None:
    """``publish build --validate`` then ``publish deposit --archive`` of the same documents."""
    dist = out / "dist-deposit"
    shutil.rmtree(dist, ignore_errors=True)
    build = measure([publish_bin, "build", "--seeds-dir", seeds_dir, "--dist", dist, "--jobs", 2,
                     "--quiet", "--validate", *tei_all()], log)
    deposit = measure([publish_bin, "deposit", "--seeds-dir", seeds_dir, "--dist", dist, "--archive"], log)
    code = measure([publish_bin, "validate", "--dist", dist, *tei_all()], log).code  # settles the cache
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        code = max(code, measure([publish_bin, "validate", "--dist", dist, *tei_all()], log).code)
        runs.append(time.perf_counter() - started)
    documents = len(list(seeds_dir.glob("*.txt")))
    results["deposit"] = {"documents": documents, "build_wall": build.wall, "build_code": build.code,
                          "deposit_wall": deposit.wall, "deposit_code": deposit.code,
                          "validate_runs": runs, "validate_code": code}
    print(f"  {documents} documents: build --validate {build.wall:.1f} s, deposit {deposit.wall:.1f} s, "
          f"no-op validate {sorted(runs)[1]:.2f} s (median of 3), load {os.getloadavg()[0]:.1f}", flush=True)


def figures(results: dict) -> list[tuple[str, str, str, str, bool | None]]:
    """The validation rows of the table."""
    rows = []
    check = results.get("epubcheck")
    if check:
        one_each = check["per_book"] * check["books"]
        ratio = one_each / check["batch_wall"]
        sampled = "" if check["sampled"] == check["books"] else f", sampled {check['sampled']}"
        rows.append((f"EPUBCheck, {check['books']} fresh EPUBs, batch vs one JVM per book{sampled}",
                     f"{check['batch_wall']:.1f} s vs {one_each:.1f} s", f"{ratio:.1f}x faster", ">= 10x",
                     ratio >= 10))
        rows.append(("  publish validate of them, EPUBCheck + Ace, empty cache",
                     f"{check['validate_wall']:.1f} s", f"{one_each / check['validate_wall']:.1f}x faster "
                     "than EPUBCheck alone one per book", "(for information)", None))
    deposit = results.get("deposit")
    if deposit:
        ratio = deposit["deposit_wall"] / deposit["build_wall"]
        rows.append((f"deposit of {deposit['documents']} built docs vs their build --validate",
                     f"{deposit['deposit_wall']:.1f} s vs {deposit['build_wall']:.1f} s", f"{ratio:.2f}x",
                     "<= 1.5x", ratio <= 1.5))
        median = sorted(deposit["validate_runs"])[1]
        rows.append((f"no-op validate, {deposit['documents']} docs", f"{median:.3f} s (median of 3)",
                     f"{median:.2f}x the limit", "< 1 s", median < 1.0))
    return rows
