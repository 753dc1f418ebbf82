"""Time and memory per output as one paragraph, or many, grows (issue 15).

``python bench/growth.py [CHARS...]`` builds plain-text documents of CHARS
characters, once as one paragraph and once as paragraphs of ~600 characters,
and reports for each output (tei, pdf, epub) the seconds and the growth of the
process's peak RSS (``ru_maxrss``), each in a fresh process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

WORDS = "the harbour board met on tuesday and agreed the budget for dredging works".split()

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from publish import pipeline
from publish.options import Options
seed, kind = Path(sys.argv[1]), sys.argv[2]
options = Options(source_date_epoch=1700000000, max_paragraph=10**9)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
master = pipeline.normalise(seed, options)
if kind != "tei":
    pipeline.render(master, kind, options)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "mib": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024}))
"""


def text(chars: int, paragraphs: bool) -> str:
    out, size, n = [], 0, 0
    while size < chars:
        word = WORDS[n % len(WORDS)]
        n += 1
        sep = "\n\n" if paragraphs and n % 100 == 0 else " "
        out.append(word + sep)
        size += len(word) + len(sep)
    return "".join(out)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 50_000, 100_000]
    print("| characters | shape | tei s | tei MiB | pdf s | pdf MiB | epub s | epub MiB |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for chars in sizes:
            for shape in ("one paragraph", "paragraphs"):
                seed = Path(folder) / f"g{chars}.txt"
                seed.write_text(text(chars, shape == "paragraphs"), encoding="utf-8")
                cells = []
                for kind in ("tei", "pdf", "epub"):
                    run = subprocess.run([sys.executable, "-c", CHILD, str(seed), kind],
                                         capture_output=True, text=True, timeout=1800)
                    if run.returncode:
                        cells += ["failed", run.stderr.strip().splitlines()[-1][:40]]
                        continue
                    result = json.loads(run.stdout)
                    cells += [f"{result['seconds']:.1f}", f"{result['mib']:.0f}"]
                print(f"| {chars:,} | {shape} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
