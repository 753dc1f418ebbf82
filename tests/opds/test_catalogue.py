"""The catalogue plan: page size, stable file names and ids, orders and facet counts."""

from __future__ import annotations

import dataclasses

from publish.build.manifest import load_manifest
from publish.collection import read_collection
from publish.layout import Layout
from publish.opds import atom
from publish.opds.catalogue import PAGE_SIZE, build_catalogue, catalogue_id, language_name, slug

from tests.opds.conftest import COLLECTION, NOTICES, WITH_EDITIONS


def catalogue(built):
    layout = Layout(dist=built.dist, seeds=built.project / "seeds")
    return build_catalogue(read_collection(layout, load_manifest(layout)["documents"]), built.options)


def test_the_page_size_is_fifty():
    assert PAGE_SIZE == 50  # issue 12: paginate once a feed has more than 50 entries


def test_the_page_size_is_the_archives_setting(built):
    """[site] opds_page_size in publish.toml: the feeds are cut into pages of that many entries."""
    layout = Layout(dist=built.dist, seeds=built.project / "seeds")
    options = dataclasses.replace(built.options, opds_page_size=7)
    plan = build_catalogue(read_collection(layout, load_manifest(layout)["documents"]), options)
    [every] = [feed for feed in plan.feeds if feed.name == "all"]
    assert every.page_size == 7 and every.pages() == -(-len(every.publications) // 7) > 1
    assert [len(every.page(n)) for n in range(1, every.pages())] == [7] * (every.pages() - 1)
    second = atom.feeds(plan)[f"{every.page_name(2)}.atom"].decode()
    assert "<opensearch:itemsPerPage>7</opensearch:itemsPerPage>" in second
    assert "<opensearch:startIndex>8</opensearch:startIndex>" in second


def test_file_names_of_collections_are_stable_distinct_and_plain():
    assert slug("Harbour notices") == slug("Harbour notices")
    assert slug("Harbour notices").startswith("harbour-notices-")
    assert slug("Harbour notices") != slug("Harbour Notices")
    assert slug("河边") != slug("湖边") and slug("河边").isalnum()
    assert slug("x" * 200).count("x") <= 48


def test_ids_name_the_entry_not_the_book_and_never_change():
    assert catalogue_id("entry:a") == catalogue_id("entry:a") != catalogue_id("entry:b")
    assert catalogue_id("feed:root") == "urn:uuid:bbe74bbf-6fb8-56e8-a734-656fa4ccfc21"


def test_language_names():
    assert language_name("de") == "German (de)"
    assert language_name("tlh") == "tlh"


def test_feeds_and_facets_of_the_built_collection(built):
    plan = catalogue(built)
    total = NOTICES + len(WITH_EDITIONS)
    feeds = {feed.name: feed for feed in plan.feeds}
    assert len(feeds["all"].publications) == len(plan.complete.publications) == total
    assert (feeds["all"].pages(), feeds["all"].page_name(2)) == (2, "all-2")
    in_collection = [n for n in range(1, NOTICES + 1) if n % 4]
    assert len(feeds[f"collection-{slug(COLLECTION)}"].publications) == len(in_collection)
    assert sorted(name for name in feeds if name.startswith("language-")) == [
        "language-ar", "language-de", "language-en", "language-zh"]
    assert {f.feed: f.count for f in plan.facets} == {name: len(f.publications) for name, f in feeds.items()}
    titles = [p.title for p in feeds["all"].publications]
    assert titles == sorted(titles, key=str.casefold)
