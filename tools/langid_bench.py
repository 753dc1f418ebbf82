"""Measure language-identification libraries on tests/fixtures/scripts/.

    PYTHONPATH=. python tools/langid_bench.py            # table on stdout
    PYTHONPATH=. python tools/langid_bench.py --json out.json

Each candidate is measured in a fresh subprocess, so that its import time and
peak memory are its own. Three cuts of every corpus text are tried:
``full`` (title and 1-3 articles), ``para`` (the first paragraph of Article 1,
what a short seed looks like) and ``frag`` (its first 60 characters).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "scripts"

# The language is right in this script, but no candidate's model was trained on
# it (Vietnamese in Chữ Nôm, Mongolian in Mongolian script, Fula in Adlam):
# counted with the unsupported ones.
WRONG_SCRIPT = {"vi-Hani", "mn-Mong", "ff-Adlm"}
ACCEPT = {"yue": {"yue", "zh"}}


def cuts(text: str) -> dict[str, str]:
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    # title, "Article 1", its first paragraph, ...; or one paragraph alone
    body = paragraphs[2] if len(paragraphs) >= 3 else paragraphs[-1]
    return {"full": text, "para": body, "frag": body[:60]}


def corpus() -> list[tuple[str, str, str, str]]:
    rows = []
    for path in sorted(CORPUS.glob("*.txt")):
        stem = path.stem
        for cut, text in cuts(path.read_text(encoding="utf-8")).items():
            rows.append((stem, stem.split("-")[0], cut, text))
    return rows


# --- the candidates, each run in its own process --------------------------------

def load(tool: str):
    """(labels, classify) for tool; classify(text) -> (language, confidence)."""
    if tool == "langdetect":
        from langdetect import DetectorFactory, detect_langs
        from langdetect.detector_factory import init_factory

        DetectorFactory.seed = 0
        init_factory()
        from langdetect import detector_factory

        labels = {l.split("-")[0] for l in detector_factory._factory.get_lang_list()}

        def classify(text):
            try:
                best = detect_langs(text)[0]
            except Exception:  # LangDetectException: no features
                return "und", 0.0
            return best.lang.split("-")[0], best.prob
        return labels, classify
    if tool == "py3langid":
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

        def classify(text):
            lang, conf = ident.classify(text)
            return lang, conf
        return set(ident.labels), classify
    if tool.startswith("lingua"):
        from lingua import Language, LanguageDetectorBuilder

        builder = LanguageDetectorBuilder.from_all_languages()
        if tool == "lingua-low":
            builder = builder.with_low_accuracy_mode()
        if tool == "lingua-preload":
            builder = builder.with_preloaded_language_models()
        detector = builder.build()
        labels = {l.iso_code_639_1.name.lower() for l in Language.all()}

        def classify(text):
            values = detector.compute_language_confidence_values(text)
            if not values or values[0].value == 0:
                return "und", 0.0
            return values[0].language.iso_code_639_1.name.lower(), values[0].value
        return labels, classify
    raise SystemExit(f"unknown tool {tool}")


def child(tool: str) -> None:
    rows = corpus()
    t0 = time.perf_counter()
    labels, classify = load(tool)
    classify(rows[0][3])  # first call: lazy models load here
    startup = time.perf_counter() - t0
    out = []
    for stem, lang, cut, text in rows:
        t = time.perf_counter()
        got, conf = classify(text)
        out.append({"stem": stem, "lang": lang, "cut": cut, "got": got,
                    "conf": round(float(conf), 4), "sec": time.perf_counter() - t})
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump({"tool": tool, "startup": startup, "rss_mb": rss,
               "labels": sorted(labels), "rows": out}, sys.stdout)


def summarise(result: dict) -> dict:
    labels = set(result["labels"])
    table = {"tool": result["tool"], "startup": result["startup"], "rss_mb": result["rss_mb"]}
    for cut in ("full", "para", "frag"):
        rows = [r for r in result["rows"] if r["cut"] == cut]
        sup = [r for r in rows if r["lang"] in labels and r["stem"] not in WRONG_SCRIPT]
        uns = [r for r in rows if r not in sup]
        ok = [r for r in sup if r["got"] in ACCEPT.get(r["lang"], {r["lang"]})]
        bad = [r for r in sup if r not in ok]
        table[cut] = {
            "supported": len(sup), "right": len(ok),
            "wrong": sorted(f'{r["stem"]}→{r["got"]} ({r["conf"]:.2f})' for r in bad),
            "conf_right_min": min((r["conf"] for r in ok), default=None),
            "conf_right_median": statistics.median([r["conf"] for r in ok]) if ok else None,
            "conf_wrong_max": max((r["conf"] for r in bad), default=None),
            "conf_unsupported_max": max((r["conf"] for r in uns), default=None),
            "conf_unsupported": sorted(f'{r["stem"]}→{r["got"]} ({r["conf"]:.2f})' for r in uns),
            "ms_mean": 1000 * statistics.mean(r["sec"] for r in rows),
        }
    return table


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        child(argv[1])
        return
    tools = ["langdetect", "py3langid", "lingua", "lingua-low", "lingua-preload"]
    results = []
    for tool in tools:
        proc = subprocess.run([sys.executable, __file__, "--child", tool],
                              capture_output=True, text=True, check=True)
        results.append(summarise(json.loads(proc.stdout)))
    if "--json" in argv:
        Path(argv[argv.index("--json") + 1]).write_text(
            json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    for t in results:
        print(f'{t["tool"]:15} start {t["startup"]:.2f}s rss {t["rss_mb"]:.0f}MB')
        for cut in ("full", "para", "frag"):
            c = t[cut]
            print(f'  {cut}: {c["right"]}/{c["supported"]} right; conf right min '
                  f'{c["conf_right_min"]} med {c["conf_right_median"]}; wrong max '
                  f'{c["conf_wrong_max"]}; unsupported max {c["conf_unsupported_max"]}; '
                  f'{c["ms_mean"]:.2f} ms/doc')
            if c["wrong"]:
                print("     wrong:", ", ".join(c["wrong"]))


if __name__ == "__main__":
    main(sys.argv[1:])
