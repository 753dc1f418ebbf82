"""The site is rebuilt incrementally: a no-op build touches nothing; one change rewrites only what shows it.

Real builds of the TEI masters and the site (``--only tei --only site``, so
no PDF is rendered). A file counts as rewritten when its inode or mtime
changed: every write is a new file moved into place (publish/fileio.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.site.conftest import CHINESE, build_project, make_project


def stamps(site: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(site).as_posix(): (os.stat(p).st_ino, os.stat(p).st_mtime_ns)
            for p in site.rglob("*") if p.is_file()}


def rewritten(before: dict, after: dict) -> set[str]:
    return {name for name in after if before.get(name) != after[name]} | (set(before) - set(after))


@pytest.fixture
def project(tmp_path) -> Path:
    project = make_project(tmp_path)
    assert build_project(project, "tei", "site") == 0
    return project


def test_a_no_op_build_touches_nothing(project):
    """Nor under dist/site/opds/, the catalogues that live in the site's folder."""
    site = project / "dist" / "site"
    assert build_project(project, "tei", "site", "opds") == 0
    before = stamps(site)
    assert any(name.startswith("opds/") for name in before)
    assert build_project(project, "tei", "site", "opds") == 0
    assert stamps(site) == before


def test_a_changed_text_rewrites_its_page_and_the_index_only(project):
    site = project / "dist" / "site"
    before = stamps(site)
    seed = project / "seeds" / f"{CHINESE}.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n图书馆还开设了儿童阅览区。\n", encoding="utf-8")
    assert build_project(project, "tei", "site") == 0
    changed = rewritten(before, stamps(site))
    search = {name for name in changed if name.startswith("pagefind/")}
    assert search, "the search index is rebuilt"
    # Title, date and description are unchanged, so no list shows anything new.
    assert changed - search == {f"doc/{CHINESE}/index.html", f"doc/{CHINESE}/{CHINESE}.xml"}
    assert "儿童阅览区" in (site / "doc" / CHINESE / "index.html").read_text(encoding="utf-8")


def test_a_changed_title_rewrites_the_lists_that_show_it(project):
    site = project / "dist" / "site"
    before = stamps(site)
    sidecar = project / "seeds" / f"{CHINESE}.toml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace(
        'title = "辽宁省图书馆年度报告"', 'title = "辽宁省图书馆年度报告（修订）"'), encoding="utf-8")
    assert build_project(project, "tei", "site") == 0
    changed = rewritten(before, stamps(site))
    pages = {name for name in changed if not name.startswith("pagefind/")}
    listing = {name for name in pages if not name.startswith(f"doc/{CHINESE}/")}
    assert {"index.html", "by-date/index.html", "language/zh-hans/index.html"} <= listing
    for name in listing:  # every other rewritten page is a list that links to the document
        assert f"doc/{CHINESE}/" in (site / name).read_text(encoding="utf-8"), name
    assert not any(name.startswith("doc/") and not name.startswith(f"doc/{CHINESE}/") for name in pages)
