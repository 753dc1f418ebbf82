"""PRONOM identification with Siegfried (pygfried): the seeds' PUIDs in the masters, mislabelled seeds refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from publish import pronom

from tests.conftest import EPOCH, ROOT

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
SEEDS = ROOT / "seeds"


def publish(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH=str(EPOCH))
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


@pytest.mark.parametrize("seed, puid, name", [
    ("000_4f4d01b3acd55da0.txt", "x-fmt/111", "Plain Text File"),
    ("001_harbour_report.md", "fmt/1149", "Markdown"),
    ("002_council_budget.html", "fmt/471", "Hypertext Markup Language 5"),
    ("003_library_annual_report.docx", "fmt/412", "Microsoft Word for Windows 2007 onwards"),
])
def test_each_seed_format_is_recorded_by_puid_with_who_decided(tmp_path, seed, puid, name):
    result = publish("normalise", str(SEEDS / seed), "-o", str(tmp_path / "out.xml"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    header = etree.parse(str(tmp_path / "out.xml")).find(".//tei:teiHeader", NS)
    [idno] = header.findall(".//tei:sourceDesc/tei:bibl/tei:idno[@type='PRONOM']", NS)
    assert idno.text == puid and idno.get("resp") == "#siegfried" and idno.get("cert") in ("high", "medium")
    assert header.findtext(".//tei:sourceDesc/tei:bibl/tei:note[@type='format']", namespaces=NS) == name
    [application] = header.findall(".//tei:appInfo/tei:application[@ident='siegfried']", NS)
    tool = pronom.tool()
    assert application.get("version") == tool.version
    assert tool.signatures in application.findtext("tei:desc", namespaces=NS)
    assert "DROID_SignatureFile" in tool.signatures


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Path:
    """The sample's master, PDF and EPUB: real files of other formats to misname."""
    folder = tmp_path_factory.mktemp("editions")
    for args in (("normalise", str(SEEDS / "000_4f4d01b3acd55da0.txt"), "-o", "m.xml"),
                 ("pdf", "m.xml", "-o", "m.pdf"), ("epub", "m.xml", "-o", "m.epub")):
        made = publish(*args, cwd=folder)
        assert made.returncode == 0, made.stderr
    return folder


@pytest.mark.parametrize("edition, seed_name, says", [
    ("m.pdf", "budget.html", "application/pdf), not the text a .html holds"),
    ("m.pdf", "letter.txt", "application/pdf), not the text a .txt holds"),
    ("m.epub", "report.docx", "not a Word OOXML document as .docx says"),
])
def test_a_seed_whose_content_contradicts_its_name_is_refused_naming_both(editions, tmp_path, edition,
                                                                            seed_name, says):
    seed = tmp_path / seed_name
    seed.write_bytes((editions / edition).read_bytes())
    found = pronom.identify(seed)
    result = publish("normalise", str(seed), "-o", str(tmp_path / "out.xml"), cwd=tmp_path)
    assert result.returncode == 66
    [line] = result.stderr.splitlines()
    assert seed_name in line and f"({found.puid}" in line and says in line
    assert not (tmp_path / "out.xml").exists()


def test_text_that_looks_like_markup_is_not_a_contradiction(tmp_path):
    """A Markdown seed that opens with HTML stays Markdown: only text-against-binary is refused."""
    seed = tmp_path / "notes.md"
    seed.write_text("<!DOCTYPE html>\n<p>Inline HTML first.</p>\n\n# Notes\n\nThen Markdown.\n", encoding="utf-8")
    assert pronom.contradiction(".md", pronom.identify(seed)) is None
