"""The validation report and its cache: real EPUBCheck, real Ace, real files.

One batch checks a master, a clean EPUB, an EPUB with Ace violations but no
conformance claim (warnings), the same EPUB claiming conformance (failures),
and a missing file; a second run answers from ``dist/.checks/`` without
running any checker; changed bytes are checked again.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from publish.cli import main
from publish.layout import Layout
from publish.options import Options
from publish.render.ace import AceUnavailable, find_ace
from publish.validation.report import as_html
from publish.validation.run import validate_paths

from tests.conftest import EPOCH, SAMPLE, write_master
from tests.render.test_ace import small_epub

pytestmark = pytest.mark.slow

CLAIM = ('<meta property="dcterms:conformsTo" id="conformance">EPUB Accessibility 1.1 - WCAG 2.1 Level AA'
         '</meta>')


def claiming(source: Path, target: Path) -> Path:
    """``source`` with the conformance claim added to its package document."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename.endswith(".opf"):
                data = data.replace(b"</metadata>", CLAIM.encode("utf-8") + b"</metadata>")
            new.writestr(info, data)
    return target


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    from publish.pipeline import normalise

    try:
        find_ace()
    except AceUnavailable as unavailable:
        pytest.skip(str(unavailable))
    folder = tmp_path_factory.mktemp("validation")
    master = normalise(SAMPLE, Options(source_date_epoch=EPOCH))
    faulty = small_epub(folder / "faulty.epub", package_lang=False, colophon_role=False)
    return {"tei": write_master(master, folder / "dist" / "tei" / f"{master.identifier}.xml"),
            "clean": small_epub(folder / "clean.epub"), "faulty": faulty,
            "claiming": claiming(faulty, folder / "claiming.epub"), "missing": folder / "missing.epub"}


@pytest.fixture(scope="module")
def first(files):
    layout = Layout(dist=files["tei"].parent.parent)
    return layout, validate_paths(list(files.values()), Options(source_date_epoch=EPOCH), layout, jobs=2)


def test_each_file_gets_its_checks_in_order(files, first):
    _layout, results = first
    tei, clean, faulty, claiming_book, missing = results
    assert [r.path for r in results] == list(files.values())
    assert tei.passed and [c["check"] for c in tei.checks] == ["publish.rng"]
    assert clean.passed and not clean.warnings
    assert [c["check"] for c in clean.checks] == ["EPUBCheck", "Ace"]
    assert clean.checks[0]["counts"] == {"fatal": 0, "error": 0, "warning": 0, "usage": 0, "info": 0}
    assert clean.checks[1]["counts"] == {"critical": 0, "serious": 0, "moderate": 0, "minor": 0}
    assert missing.failures == ["no such file"]
    assert len(clean.sha256) == 64 and clean.tools["Ace"].startswith("1.4.")


def test_ace_violations_warn_without_a_claim_and_fail_with_one(first):
    _layout, (_tei, _clean, faulty, claiming_book, _missing) = first
    assert faulty.passed
    assert {w.split()[1] for w in faulty.warnings} == {"epub-lang", "epub-type-has-matching-role"}
    assert faulty.checks[1]["counts"]["serious"] == 1 and faulty.checks[1]["counts"]["moderate"] == 1
    assert not claiming_book.passed
    assert {f.split()[1] for f in claiming_book.failures} == {"epub-lang", "epub-type-has-matching-role"}


def test_the_second_run_comes_from_the_cache_and_changed_bytes_do_not(files, first, tmp_path):
    layout, results = first
    again = validate_paths(list(files.values())[:4], Options(source_date_epoch=EPOCH), layout)
    assert all(result.cached for result in again)
    assert [r.checks for r in again] == [r.checks for r in results[:4]]
    changed = small_epub(tmp_path / "clean.epub", alt="Another red dot")
    [fresh] = validate_paths([changed], Options(source_date_epoch=EPOCH), layout)
    assert not fresh.cached and fresh.passed


def test_the_report_spells_out_every_failure_and_needs_no_script(files, first, capsys):
    layout, results = first
    page = as_html(results).decode("utf-8")
    assert "<script" not in page
    for line in results[3].failures + results[2].warnings:
        assert line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
            '"', "&quot;").replace("'", "&#x27;") in page
    # publish validate --report, for any set of files: the same report, from the cache.
    code = main(["validate", "--report", "--dist", str(layout.dist), *map(str, list(files.values())[:4])])
    assert code == 67
    report = json.loads(layout.report(".json").read_text("utf-8"))
    assert report["summary"]["files"] == 4 and report["summary"]["failed"] == 1
    assert report["summary"]["documents"]["claiming"]["outputs"] == {"epub": "fail"}
    assert layout.report(".html").is_file()
    err = capsys.readouterr().err
    assert f"{files['faulty']}: warning: serious epub-lang" in err


ANY_ELEMENT = """<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><ref name="any"/></start>
  <define name="any"><element><anyName/>
    <zeroOrMore><choice><attribute><anyName/></attribute><text/><ref name="any"/></choice></zeroOrMore>
  </element></define>
</grammar>
"""


def test_a_run_reads_each_file_once_however_many_checks_name_it(tmp_path, monkeypatch):
    """``tei_all.rng`` is an input of every master's check: it is hashed once per run, not once per master."""
    from publish.pipeline import normalise
    from publish.validation import run

    master = normalise(SAMPLE, Options(source_date_epoch=EPOCH))
    dist = tmp_path / "dist"
    masters = [write_master(master, dist / "tei" / f"copy-{n}.xml") for n in range(3)]
    schema = tmp_path / "tei_all.rng"  # a schema that takes any element, under the official name
    schema.write_text(ANY_ELEMENT, encoding="utf-8")
    reads: list[str] = []
    real = run.file_sha256

    def counted(path):
        reads.append(str(path))
        return real(path)

    monkeypatch.setattr(run, "file_sha256", counted)
    options = Options(source_date_epoch=EPOCH, tei_all=schema)
    results = validate_paths([*masters, masters[0]], options, Layout(dist=dist))
    assert [r.passed for r in results] == [True] * 4
    assert [c["check"] for c in results[0].checks] == ["publish.rng", "tei_all.rng"]
    assert sorted(reads) == sorted(map(str, [*masters, schema]))
