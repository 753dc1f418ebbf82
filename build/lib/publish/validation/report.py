"""``dist/report.json`` and ``dist/report.html``: a line per document, every failure and warning.

The JSON is the record (each output's path, kind, SHA-256, tool versions and
every check with its failures, warnings and counts); the HTML shows the same
to a person: a summary table, one row per document, then each output's
checks. It is plain HTML with an inline stylesheet and no script, so it reads
the same in any browser, or with none.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from publish.fileio import write_if_changed
from publish.layout import Layout
from publish.validation.run import Result

STYLE = ("body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}"
         "td,th{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}"
         ".fail{color:#a00;font-weight:bold}.pass{color:#060}.warn{color:#850}code{font-size:90%}")


def document_of(result: Result) -> str:
    """The document an output belongs to: its file's stem (``<id>`` names every output)."""
    return result.path.stem


def summary(results: list[Result]) -> dict:
    """Counts of files, failures and warnings, and one summary entry per document."""
    documents: dict[str, dict] = {}
    for result in results:
        entry = documents.setdefault(document_of(result), {"outputs": {}, "failures": 0, "warnings": 0})
        entry["outputs"][result.kind] = "pass" if result.passed else "fail"
        entry["failures"] += len(result.failures)
        entry["warnings"] += len(result.warnings)
    return {"files": len(results), "failed": sum(not r.passed for r in results),
            "warnings": sum(len(r.warnings) for r in results), "documents": documents}


def as_json(results: list[Result]) -> bytes:
    """The report as JSON: the summary, then every file's checks."""
    data = {"summary": summary(results), "files": [result.as_json() for result in results]}
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n"


def as_html(results: list[Result]) -> bytes:
    """The report as one HTML page, readable without scripts."""
    facts = summary(results)
    kinds = sorted({result.kind for result in results})
    out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>publish: validation report'
           f'</title><style>{STYLE}</style></head><body><h1>Validation report</h1>',
           f"<p>{facts['files']} file(s), {facts['failed']} failed, {facts['warnings']} warning(s).</p>",
           '<table><caption>One line per document</caption><tr><th scope="col">document</th>',
           *(f'<th scope="col">{html.escape(kind)}</th>' for kind in kinds),
           '<th scope="col">failures</th><th scope="col">warnings</th></tr>']
    for name, entry in sorted(facts["documents"].items()):
        out.append(f'<tr><th scope="row"><a href="#{html.escape(name)}">{html.escape(name)}</a></th>')
        for kind in kinds:
            verdict = entry["outputs"].get(kind, "")
            out.append(f'<td class="{verdict}">{verdict}</td>')
        out.append(f"<td>{entry['failures']}</td><td>{entry['warnings']}</td></tr>")
    out.append("</table>")
    for name in sorted(facts["documents"]):
        out.append(f'<h2 id="{html.escape(name)}">{html.escape(name)}</h2>')
        for result in (r for r in results if document_of(r) == name):
            out.append(file_section(result))
    out.append("</body></html>\n")
    return "".join(out).encode("utf-8")


def file_section(result: Result) -> str:
    """One output: its SHA-256 and tools, then each check with what it found."""
    verdict = "pass" if result.passed else "fail"
    tools = ", ".join(f"{name} {version}" for name, version in sorted(result.tools.items()))
    parts = [f'<h3>{html.escape(result.kind)}: <code>{html.escape(str(result.path))}</code> '
             f'<span class="{verdict}">{verdict}</span></h3>',
             f"<p>SHA-256 <code>{result.sha256}</code>; tools: {html.escape(tools)}</p><ul>"]
    for check in result.checks:
        counts = ", ".join(f"{k} {v}" for k, v in check.get("counts", {}).items())
        state = "pass" if check.get("passed") else "fail"
        parts.append(f'<li>{html.escape(check["check"])}: <span class="{state}">{state}</span>'
                     + (f" ({html.escape(counts)})" if counts else ""))
        lines = [("fail", line) for line in check.get("failures", [])]
        lines += [("warn", line) for line in check.get("warnings", [])]
        if lines:
            parts.append("<ul>" + "".join(f'<li class="{cls}">{"failure" if cls == "fail" else "warning"}: '
                                          f"{html.escape(line)}</li>" for cls, line in lines) + "</ul>")
        parts.append("</li>")
    parts.append("</ul>")
    return "".join(parts)


def write_report(results: list[Result], layout: Layout) -> tuple[Path, Path]:
    """Write ``dist/report.json`` and ``dist/report.html`` atomically, if they changed; their paths."""
    layout.dist.mkdir(parents=True, exist_ok=True)
    json_path, html_path = layout.report(".json"), layout.report(".html")
    write_if_changed(json_path, as_json(results))
    write_if_changed(html_path, as_html(results))
    return json_path, html_path
