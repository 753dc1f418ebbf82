"""The reading room's files, read as a browser or a citation manager would (no browser here).

Real builds of the test project (``conftest.py``); pages parsed with lxml's
HTML parser; downloads hashed; citations parsed as their formats; HTML
checked by the Nu Html Checker (npm ``vnu-jar``, run with the system Java).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import lxml.html
import pytest

from publish.build.manifest import load_manifest
from publish.collection import read_collection
from publish.layout import Layout
from publish.options import Options
from publish.site import render

from tests.conftest import EPOCH, ROOT
from tests.site.conftest import ARABIC, CHINESE, ENGLISH, FIGURE, IDS

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def parse(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def test_every_document_has_a_page_at_its_id(site):
    for identifier in IDS:
        assert (site / "doc" / identifier / "index.html").is_file()
    assert (site / "index.html").is_file() and (site / "search" / "index.html").is_file()


def test_home_lists_every_document_by_title_and_by_date(site):
    by_title = [a.text_content() for a in parse(site / "index.html").cssselect(".entries .entry-title a")]
    assert by_title == sorted(by_title, key=str.casefold) and len(by_title) == len(IDS)
    dates = [t.get("datetime") for t in parse(site / "by-date" / "index.html").cssselect(".entries time")]
    assert dates == sorted(dates, reverse=True) and len(dates) == len(IDS)


def test_browse_by_language_lists_the_documents_in_it(site):
    chinese = parse(site / "language" / "zh-hans" / "index.html")
    links = [a.get("href") for a in chinese.cssselect(".entries a")]
    assert links == [f"../../doc/{CHINESE}/"]


def test_page_carries_the_documents_language_and_direction(site):
    arabic = parse(site / "doc" / ARABIC / "index.html")
    assert arabic.get("lang") == "ar" and arabic.get("dir") == "rtl"
    reading = arabic.cssselect("section.reading")[0]
    assert reading.get("dir") == "rtl"
    # The site's own words stay English, left to right.
    assert arabic.cssselect("header.banner")[0].get("dir") == "ltr"
    english = parse(site / "doc" / ENGLISH / "index.html")
    assert english.get("lang") == "en-GB" and english.get("dir") == "ltr"


def test_reading_view_has_notes_tables_and_figures(site):
    page = parse(site / "doc" / ENGLISH / "index.html")
    reading = page.cssselect("section.reading")[0]
    refs = reading.cssselect('a[role="doc-noteref"]')
    assert refs and all(reading.cssselect(f'aside[id="{a.get("href")[1:]}"]') for a in refs)
    assert reading.cssselect("table thead th[scope=col]")
    figure = parse(site / "doc" / FIGURE / "index.html").cssselect("section.reading figure img")[0]
    assert figure.get("alt")
    assert (site / "doc" / FIGURE / figure.get("src")).is_file(), "the image is copied beside the page"


def test_downloads_are_the_built_files_with_their_digests(built, site):
    page = parse(site / "doc" / FIGURE / "index.html")
    rows = page.cssselect(".downloads tbody tr")
    assert len(rows) == 3
    for row, folder, suffix in zip(rows, ("pdf", "epub", "tei"), (".pdf", ".epub", ".xml"), strict=True):
        link = row.cssselect("a")[0]
        copied = site / "doc" / FIGURE / link.get("href")
        original = built / "dist" / folder / f"{FIGURE}{suffix}"
        assert copied.read_bytes() == original.read_bytes()
        assert row.cssselect("code.checksum")[0].text == hashlib.sha256(original.read_bytes()).hexdigest()
    # The format by PRONOM, as Siegfried identifies each file: PDF/A-3a, EPUB, TEI.
    formats = [row.cssselect("td")[0].text_content() for row in rows]
    assert formats[0].startswith("Acrobat PDF/A - Portable Document Format 3a (fmt/479)")
    assert formats[1] == "ePub Format (fmt/483)" and formats[2].endswith("(fmt/1476)")


def test_citations_and_metadata(site):
    folder = site / "doc" / ENGLISH
    page = parse(folder / "index.html")
    meta = {m.get("name"): m.get("content") for m in page.cssselect("meta[name^=citation_]")}
    assert meta["citation_title"] == "Harbour Trust Publishes Its Annual Dredging Report"
    assert meta["citation_publication_date"] == "2024/03/14"
    urn = meta["citation_id"]
    assert urn.startswith("urn:uuid:")
    data = json.loads(page.cssselect('script[type="application/ld+json"]')[0].text)
    assert data["@id"] == urn and data["inLanguage"] == "en-GB" and len(data["encoding"]) == 3
    csl = json.loads((folder / "cite.json").read_text())
    assert csl[0]["issued"] == {"date-parts": [[2024, 3, 14]]} and csl[0]["note"] == urn
    ris = (folder / "cite.ris").read_bytes().split(b"\r\n")
    assert ris[0] == b"TY  - GEN" and ris[-2] == b"ER  - " and f"M1  - {urn}".encode() in ris
    bib = (folder / "cite.bib").read_text()
    assert bib.startswith("@misc{001_harbour_report,") and "date = {2024-03-14}" in bib


def test_no_third_party_requests(site):
    """Every URL a page loads (src, href of stylesheets and icons) stays inside the site."""
    for path in site.rglob("*.html"):
        page = parse(path)
        for element in page.iter():
            for attribute in ("src",) + (("href",) if element.tag == "link" else ()):
                url = element.get(attribute)
                if url:
                    assert "//" not in url or url.startswith("data:"), (path, url)


def test_rendering_twice_gives_the_same_bytes(built):
    """The whole site, Pagefind's bundle included, is a function of its inputs."""
    layout = Layout(dist=built / "dist", seeds=built / "seeds")
    collection = read_collection(layout, load_manifest(layout)["documents"])
    options = Options(source_date_epoch=EPOCH, date_pinned=True, templates=built / "templates")
    first, second = render(collection, options), render(collection, options)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert any(name.startswith("pagefind/index/") for name in first)


def test_pages_are_valid_html(site):
    """The Nu Html Checker finds no error in the home, browse, search and document pages."""
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.skip(f"needs java and {VNU} (npm ci)")
    pages = [site / "index.html", site / "by-date" / "index.html", site / "search" / "index.html",
             site / "language" / "zh-hans" / "index.html"]
    pages += [site / "doc" / identifier / "index.html" for identifier in IDS]
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "text",
                             *map(str, pages)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_empty_collection_is_a_site_without_an_index(tmp_path):
    """No documents yet: the pages and the search page, and no Pagefind bundle (it refuses an empty site)."""
    from publish.collection import Collection

    files = render(Collection(Layout(dist=tmp_path), ()), Options(source_date_epoch=EPOCH))
    assert "index.html" in files and "search/index.html" in files
    assert not any(name.startswith("pagefind/") for name in files)


def test_links_to_ids_with_spaces_and_percent_signs_are_encoded_and_resolve(tmp_path):
    (tmp_path / "seeds").mkdir()
    name = "minutes 100% final"
    (tmp_path / "seeds" / f"{name}.txt").write_text("Minutes\n\nThe board met.\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH=str(EPOCH))
    result = subprocess.run([sys.executable, "-m", "publish", "build", "--jobs", "1", "--only", "epub",
                             "--only", "site"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "dist" / "site"
    home = lxml.html.parse(str(site / "index.html")).getroot()
    [link] = [a.get("href") for a in home.cssselect("h3.entry-title a")]
    assert link == "./doc/minutes%20100%25%20final/"
    page = site / urllib.parse.unquote(link) / "index.html"
    assert page.is_file()
    downloads = [a.get("href") for a in lxml.html.parse(str(page)).getroot().cssselect("a[download]")]
    assert "minutes%20100%25%20final.epub" in downloads
    assert all((page.parent / urllib.parse.unquote(href)).is_file() for href in downloads)
