"""Build every seed and corpus file and list the sha256 of every artefact: the byte-identity check.

Used to show that a restructuring changes no output byte: run it before and
after with the same ``SOURCE_DATE_EPOCH`` and compare the two listings
(``diff before.txt after.txt``). It copies ``seeds/`` and every file of
``../shared/corpus/`` (read in place, copied only into a temporary folder)
into one flat seeds folder, runs ``publish build`` and ``publish deposit
--archive`` there through the CLI, and prints one line per file under
``dist/``: ``<sha256>  <path>``, then each document that failed, so a
failure that changed is a difference too.

Usage: ``python tools/snapshot.py [--no-corpus] [--keep DIR] > listing.txt``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
EPOCH = "1674950400"


def flat_seeds(target: Path, corpus: bool) -> None:
    """Copy seeds/ and the corpus into one folder, each corpus file under a name of its own.

    Corpus names get their folder as prefix and their suffix in the stem too
    (``gutenberg-972-devils-dictionary-htm.htm``), since two files may share a stem.
    """
    target.mkdir(parents=True)
    for path in sorted((ROOT / "seeds").iterdir()):
        shutil.copy2(path, target / path.name)
    if corpus and CORPUS.is_dir():
        for path in sorted(CORPUS.rglob("*")):
            if path.is_file() and path.name != "SOURCES.md":
                name = f"{path.parent.name}-{path.stem}-{path.suffix.lstrip('.')}{path.suffix}"
                shutil.copy2(path, target / name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-corpus", action="store_true", help="only seeds/")
    parser.add_argument("--keep", type=Path, help="build in this (new) folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="publish-snapshot-"))
    seeds, dist = work / "seeds", work / "dist"
    flat_seeds(seeds, not args.no_corpus)
    env = dict(os.environ, SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", EPOCH))
    publish = [sys.executable, "-m", "publish"]
    build = subprocess.run(publish + ["build", "--seeds-dir", str(seeds), "--dist", str(dist),
                                      "--quiet", "--jobs", "2"],
                           env=env, capture_output=True, text=True)
    deposit = subprocess.run(publish + ["deposit", "--seeds-dir", str(seeds), "--dist", str(dist),
                                        "--archive"], env=env, capture_output=True, text=True)
    for path in sorted(p for p in dist.rglob("*") if p.is_file() and not p.name.startswith(".")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{digest}  {path.relative_to(dist)}")
    for line in (build.stderr + deposit.stderr).splitlines():
        if "failed" in line or "refused" in line:  # timings differ from run to run
            print("#", re.sub(r" in [\d.]+ s", "", line.replace(str(work), "<work>")))
    print(f"# build exit {build.returncode}, deposit exit {deposit.returncode}")
    if not args.keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
