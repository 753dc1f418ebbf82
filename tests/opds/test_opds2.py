"""OPDS 2.0 feeds: valid against the JSON Schemas, and the same catalogue as the OPDS 1.2 feeds."""

from __future__ import annotations

import json

from lxml import etree

from tests.opds.conftest import NOTICES, WITH_EDITIONS
from tests.opds.schemas import json_problems

ATOM = {"a": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/terms/"}
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"


def load(path) -> dict:
    return json.loads(path.read_bytes())


def test_every_feed_is_valid_opds_2_0(built):
    feeds = sorted(built.opds.glob("*.opds.json"))
    assert len(feeds) > 10
    assert [p for feed in feeds for p in json_problems(feed)] == []


def test_the_schemas_still_reject_what_they_should(built, tmp_path):
    """A publication whose only link is ``download`` (not in the schema's enum) is refused."""
    feed = load(built.opds / "language-ar.opds.json")
    for link in feed["publications"][0]["links"]:
        link["rel"] = "download"
    broken = tmp_path / "broken.opds.json"
    broken.write_text(json.dumps(feed), encoding="utf-8")
    assert json_problems(broken)


def test_each_opds_2_feed_lists_what_its_opds_1_2_twin_lists(built):
    """Same pages, same documents in the same order: one plan, two serialisations."""
    twins = sorted(built.opds.glob("*.opds.json"))
    for path in twins:
        atom = built.opds / path.name.replace(".opds.json", ".atom")
        assert atom.is_file(), atom
        feed = load(path)
        identifiers = [p["metadata"]["identifier"] for p in feed.get("publications", [])]
        entries = etree.parse(str(atom)).getroot().findall("a:entry", ATOM)
        assert identifiers == [e.findtext("dc:identifier", namespaces=ATOM) for e in entries
                               if e.find("dc:identifier", ATOM) is not None], path.name


def test_pagination_and_counts(built):
    total = NOTICES + len(WITH_EDITIONS)
    first, second = load(built.opds / "all.opds.json"), load(built.opds / "all-2.opds.json")
    assert first["metadata"] | {"title": ""} == {"title": "", "modified": "2023-01-29T00:00:00Z",
                                                 "numberOfItems": total, "itemsPerPage": 50, "currentPage": 1}
    assert len(first["publications"]) == 50 and len(second["publications"]) == total - 50
    rels = {link["rel"]: link["href"] for link in first["links"]}
    assert (rels["first"], rels["next"], rels["last"]) == ("all.opds.json", "all-2.opds.json",
                                                           "all-2.opds.json")
    assert "previous" not in rels
    assert {link["rel"]: link["href"] for link in second["links"]}["previous"] == "all.opds.json"


def test_facets_mark_the_active_one_and_count_each(built):
    feed = load(built.opds / "language-ar.opds.json")
    groups = {group["metadata"]["title"]: group["links"] for group in feed["facets"]}
    assert set(groups) == {"Order", "Collection", "Language"}
    active = [link["href"] for links in groups.values() for link in links if link.get("rel") == "self"]
    assert active == ["language-ar.opds.json"]
    for links in groups.values():
        for link in links:
            assert link["properties"]["numberOfItems"] == load(built.opds / link["href"])["metadata"][
                "numberOfItems"]


def test_a_publication_has_acquisitions_images_and_metadata(built):
    (publication,) = load(built.opds / "language-zh.opds.json")["publications"]
    metadata = publication["metadata"]
    assert metadata["title"] == "河边的春天：图书馆旧报纸整理记" and metadata["author"] == ["李明"]
    assert (metadata["language"], metadata["published"]) == ("zh", "2024-03-15")
    assert metadata["belongsTo"]["collection"][0]["name"] == "Reading room samples"
    acquisitions = {link["type"]: link for link in publication["links"] if link["rel"] == OPEN_ACCESS}
    assert set(acquisitions) == {"application/epub+zip", "application/pdf", "application/tei+xml"}
    epub = built.dist / "epub" / "reading_zh.epub"
    assert acquisitions["application/epub+zip"]["size"] == epub.stat().st_size
    assert acquisitions["application/epub+zip"]["href"] == "../doc/reading_zh/reading_zh.epub"
    images = {(i["width"], i["height"]): i["href"] for i in publication["images"]}
    assert images == {(600, 900): "covers/reading_zh.png", (200, 300): "covers/reading_zh-thumbnail.png"}


def test_a_date_of_a_year_only_is_left_out_rather_than_invented(built):
    publications = load(built.opds / "complete.opds.json")["publications"]
    notice = next(p for p in publications if p["metadata"]["title"] == "Notice 07")
    assert "published" not in notice["metadata"]
    atom = etree.parse(str(built.opds / "complete.atom")).getroot()
    entry = atom.xpath("a:entry[a:title='Notice 07']", namespaces=ATOM)[0]
    assert entry.findtext("dc:issued", namespaces=ATOM) == "2019"


def test_the_search_link_is_a_uri_template_for_the_site_search_page(built):
    (search,) = [link for link in load(built.opds / "root.opds.json")["links"] if link["rel"] == "search"]
    assert search == {"rel": "search", "href": "../search/{?q}", "type": "text/html", "templated": True,
                      "title": search["title"]}
    import uri_template

    assert uri_template.expand(search["href"], q="河边") == "../search/?q=%E6%B2%B3%E8%BE%B9"
