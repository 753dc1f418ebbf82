"""OPDS 1.2 feeds: valid against the RELAX NG schema, paginated, faceted, with complete entries."""

from __future__ import annotations

from lxml import etree

from publish.layout import Layout

from tests.opds.conftest import COLLECTION, NOTICES, WITH_EDITIONS
from tests.opds.schemas import atom_problems

NS = {"a": "http://www.w3.org/2005/Atom", "opds": "http://opds-spec.org/2010/catalog",
      "dc": "http://purl.org/dc/terms/", "thr": "http://purl.org/syndication/thread/1.0",
      "fh": "http://purl.org/syndication/history/1.0", "os": "http://a9.com/-/spec/opensearch/1.1/"}
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
TOTAL = NOTICES + len(WITH_EDITIONS)


def parse(path):
    return etree.parse(str(path)).getroot()


def links(element, rel: str) -> list:
    return element.xpath("a:link[@rel=$rel]", namespaces=NS, rel=rel)


def test_every_feed_is_valid_opds_1_2(built):
    feeds = sorted(built.opds.glob("*.atom"))
    assert len(feeds) > 10
    problems = [p for feed in feeds for p in atom_problems(feed)]
    assert problems == []


def test_the_schema_still_rejects_what_it_should(built, tmp_path):
    """The mended schema is not a yes-machine: a buy link without a price is refused."""
    root = parse(built.opds / "all.atom")
    links(root.find("a:entry", NS), OPEN_ACCESS)[0].set("rel", "http://opds-spec.org/acquisition/buy")
    broken = tmp_path / "broken.atom"
    broken.write_bytes(etree.tostring(root))
    assert atom_problems(broken)


def test_root_links_every_part_of_the_catalogue(built):
    root = parse(built.opds / "root.atom")
    assert links(root, "self")[0].get("type") == "application/atom+xml;profile=opds-catalog;kind=navigation"
    targets = {e.findtext("a:title", namespaces=NS): e.find("a:link", NS).get("href")
               for e in root.findall("a:entry", NS)}
    assert targets == {"All documents": "all.atom", "Newest": "newest.atom",
                       "By collection": "collections.atom", "By language": "languages.atom"}
    assert links(root, "search")[0].get("href") == "search.osdx"
    assert links(root, "http://opds-spec.org/crawlable")[0].get("href") == "complete.atom"


def test_feeds_past_fifty_entries_are_paginated(built):
    first, second = parse(built.opds / "all.atom"), parse(built.opds / "all-2.atom")
    assert len(first.findall("a:entry", NS)) == 50
    assert len(second.findall("a:entry", NS)) == TOTAL - 50
    assert {rel: links(first, rel)[0].get("href") for rel in ("first", "next", "last")} == {
        "first": "all.atom", "next": "all-2.atom", "last": "all-2.atom"}
    assert not links(first, "previous") and not links(second, "next")
    assert links(second, "previous")[0].get("href") == "all.atom"
    assert first.findtext("os:totalResults", namespaces=NS) == str(TOTAL)
    assert not (built.opds / "all-3.atom").exists()
    # A feed of 50 or fewer has no page links at all.
    small = parse(built.opds / "language-zh.atom")
    assert not any(links(small, rel) for rel in ("first", "previous", "next", "last"))


def test_facets_have_groups_counts_and_one_active_facet_per_group(built):
    feed = parse(built.opds / "language-de.atom")
    facets = links(feed, "http://opds-spec.org/facet")
    groups = {f.get(f"{{{NS['opds']}}}facetGroup") for f in facets}
    assert groups == {"Order", "Collection", "Language"}
    active = [f for f in facets if f.get(f"{{{NS['opds']}}}activeFacet") == "true"]
    assert [f.get("href") for f in active] == ["language-de.atom"]
    for facet in facets:  # the count is the number of entries the facet's feed holds
        target = parse(built.opds / facet.get("href"))
        total = target.findtext("os:totalResults", namespaces=NS)
        count = int(total) if total else len(target.findall("a:entry", NS))
        assert int(facet.get(f"{{{NS['thr']}}}count")) == count, facet.get("href")
    titles = {f.get("title") for f in facets}
    assert {"German (de)", "English (en)", "Arabic (ar)", "Chinese (zh)", COLLECTION} <= titles


def test_an_entry_has_dc_metadata_covers_and_an_open_access_link_per_edition(built):
    feed = parse(built.opds / "language-zh.atom")
    (entry,) = feed.findall("a:entry", NS)
    assert entry.findtext("a:title", namespaces=NS) == "河边的春天：图书馆旧报纸整理记"
    assert entry.findtext("a:author/a:name", namespaces=NS) == "李明"
    assert entry.findtext("dc:language", namespaces=NS) == "zh"
    assert entry.findtext("dc:issued", namespaces=NS) == "2024-03-15"
    assert entry.findtext("dc:publisher", namespaces=NS) == "publish sample archive"
    assert entry.findtext("dc:identifier", namespaces=NS).startswith("urn:uuid:")
    assert entry.findtext("dc:identifier", namespaces=NS) != entry.findtext("a:id", namespaces=NS)
    assert "CC0" in entry.findtext("a:rights", namespaces=NS)
    layout = Layout(dist=built.dist)
    acquisitions = {a.get("type"): a for a in links(entry, OPEN_ACCESS)}
    assert set(acquisitions) == {"application/epub+zip", "application/pdf", "application/tei+xml"}
    for kind, media_type in (("epub", "application/epub+zip"), ("pdf", "application/pdf"),
                             ("tei", "application/tei+xml")):
        path = layout.output(kind, "reading_zh")
        assert acquisitions[media_type].get("href") == f"../doc/reading_zh/{path.name}"
        assert int(acquisitions[media_type].get("length")) == path.stat().st_size
    (image,) = links(entry, "http://opds-spec.org/image")
    (thumbnail,) = links(entry, "http://opds-spec.org/image/thumbnail")
    assert (built.opds / image.get("href")).is_file() and (built.opds / thumbnail.get("href")).is_file()
    assert image.get("type") == thumbnail.get("type") == "image/png"


def test_a_document_built_as_tei_only_offers_its_master(built):
    feed = parse(built.opds / "all.atom")
    entry = feed.xpath("a:entry[a:title='Notice 01']", namespaces=NS)[0]
    assert [a.get("type") for a in links(entry, OPEN_ACCESS)] == ["application/tei+xml"]
    assert entry.findtext("dc:issued", namespaces=NS) == "2020-02-02"


def test_newest_is_by_source_date_with_undated_last(built):
    entries = parse(built.opds / "newest.atom").findall("a:entry", NS)
    dates = [e.findtext("dc:issued", namespaces=NS) for e in entries]
    assert dates[:2] == ["2024-05-02", "2024-03-15"]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True)
    last = parse(built.opds / "newest-2.atom").findall("a:entry", NS)
    assert all(e.find("dc:issued", NS) is None for e in last)


def test_the_complete_feed_is_whole_unpaginated_and_newest_updated_first(built):
    feed = parse(built.opds / "complete.atom")
    assert feed.find("fh:complete", NS) is not None
    entries = feed.findall("a:entry", NS)
    assert len(entries) == TOTAL and not links(feed, "next")
    updated = [e.findtext("a:updated", namespaces=NS) for e in entries]
    assert updated == sorted(updated, reverse=True)


def test_the_opensearch_description_points_at_the_site_search_page(built):
    description = parse(built.opds / "search.osdx")
    assert description.tag == f"{{{NS['os']}}}OpenSearchDescription"
    (url,) = description.findall("os:Url", NS)
    assert (url.get("type"), url.get("template")) == ("text/html", "../search/?q={searchTerms}")
    assert len(description.findtext("os:ShortName", namespaces=NS)) <= 16  # OpenSearch 1.1 limit


def test_feedparser_reads_the_catalogue_as_a_reading_app_would(built):
    """feedparser (the Atom parser Python OPDS clients use) sees titles, links and lengths."""
    import feedparser

    parsed = feedparser.parse((built.opds / "language-ar.atom").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    (entry,) = parsed.entries
    assert entry.title == "صباح في المكتبة"
    downloads = {link.type: link for link in entry.links if link.rel == OPEN_ACCESS}
    assert set(downloads) == {"application/epub+zip", "application/pdf", "application/tei+xml"}
    assert int(downloads["application/epub+zip"].length) > 0
