"""The catalogue as OPDS 2.0 feeds (JSON, ``application/opds+json``).

The same feeds, pages and facets as the OPDS 1.2 catalogue
(:mod:`publish.opds.atom`), named ``<name>.opds.json``: navigation feeds
(OPDS 2.0 §2.1), publications (§2.2, each with Readium Web Publication
Manifest metadata and one ``http://opds-spec.org/acquisition/open-access``
link per edition; the schema's acquisition enum lacks ``download``), facets
(§2.4, ``numberOfItems`` in each link's properties, the active one ``self``),
pagination (§4: ``first``/``previous``/``next``/``last`` and
``numberOfItems``/``itemsPerPage``/``currentPage``) and a templated search
link (RFC 6570) to the site's search page.

The webpub schema's ``published`` is a full date or date-time, so a source
dated only by year or month has no ``published`` here (OPDS 1.2's
``dc:issued`` keeps it). Webpub metadata has no rights field.
"""

from __future__ import annotations

import json
import re

from publish.opds.catalogue import Catalogue, Feed, Navigation, Publication, collection_feed
from publish.opds.covers import COVER, THUMBNAIL

SUFFIX = ".opds.json"
MEDIA_TYPE = "application/opds+json"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
#: RFC 6570 form of the OpenSearch template ``../search/?q={searchTerms}``.
SEARCH = {"rel": "search", "href": "../search/{?q}", "type": "text/html", "templated": True,
          "title": "Search the documents (the site's search page)"}
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def feeds(catalogue: Catalogue) -> dict[str, bytes]:
    """Every OPDS 2.0 file: ``<name>.opds.json`` for each feed and page."""
    files = {f"{nav.name}{SUFFIX}": serialise(navigation_feed(nav)) for nav in catalogue.navigations}
    for feed in catalogue.feeds:
        for number in range(1, feed.pages() + 1):
            files[f"{feed.page_name(number)}{SUFFIX}"] = serialise(acquisition_feed(catalogue, feed, number))
    files[f"{catalogue.complete.name}{SUFFIX}"] = serialise(complete_feed(catalogue))
    return files


def serialise(document: dict) -> bytes:
    # Compact: with ``indent`` json falls back to its pure-Python encoder, ten times slower.
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def link(rel: str, name: str, title: str | None = None, **extra) -> dict:
    """A Link Object to another feed of this catalogue."""
    result = {"rel": rel, "href": f"{name}{SUFFIX}", "type": MEDIA_TYPE}
    if title:
        result["title"] = title
    result.update(extra)
    return result


def common_links(name: str) -> list[dict]:
    return [link("self", name), link("start", "root", "Catalogue root"), SEARCH]


def navigation_feed(nav: Navigation) -> dict:
    """A navigation feed (OPDS 2.0 §2.1): every link has a title."""
    navigation = []
    for item in nav.entries:
        target = link(item.rel, item.feed, item.title)
        if item.count is not None:
            target["properties"] = {"numberOfItems": item.count}
        navigation.append(target)
    return {"metadata": {"title": nav.title}, "links": common_links(nav.name), "navigation": navigation}


def acquisition_feed(catalogue: Catalogue, feed: Feed, number: int) -> dict:
    """Page ``number`` of a feed of publications, with its facets and page links."""
    name = feed.page_name(number)
    metadata = {"title": feed.title, "modified": catalogue.updated,
                "numberOfItems": len(feed.publications), "itemsPerPage": feed.page_size, "currentPage": number}
    links = common_links(name) + [link("up", "root", "Catalogue root")]
    if feed.pages() > 1:
        for rel, target in {"first": 1, "previous": number - 1, "next": number + 1,
                            "last": feed.pages()}.items():
            if 1 <= target <= feed.pages():
                links.append(link(rel, feed.page_name(target)))
    return with_publications({"metadata": metadata, "links": links, "facets": facets(catalogue, feed)},
                             feed.page(number))


def complete_feed(catalogue: Catalogue) -> dict:
    """Every publication in one feed, newest ``modified`` first, as the OPDS 1.2 complete feed."""
    feed = catalogue.complete
    metadata = {"title": feed.title, "modified": catalogue.updated, "numberOfItems": len(feed.publications)}
    return with_publications({"metadata": metadata, "links": common_links(feed.name)}, feed.publications)


def with_publications(document: dict, publications: tuple[Publication, ...]) -> dict:
    if publications:
        document["publications"] = [publication(p) for p in publications]
    else:  # an empty catalogue: a feed needs publications, navigation or groups
        document["navigation"] = [link("start", "root", "Catalogue root")]
    return document


def facets(catalogue: Catalogue, feed: Feed) -> list[dict]:
    """One facet group per kind (order, collection, language); the feed's own facet is ``self``."""
    active = dict(feed.active)
    groups: dict[str, list[dict]] = {}
    for facet in catalogue.facets:
        item = {"href": f"{facet.feed}{SUFFIX}", "type": MEDIA_TYPE, "title": facet.title,
                "properties": {"numberOfItems": facet.count}}
        if active.get(facet.group) == facet.feed:
            item["rel"] = "self"
        groups.setdefault(facet.group, []).append(item)
    return [{"metadata": {"title": group}, "links": items} for group, items in groups.items()]


def publication(p: Publication) -> dict:
    """One OPDS 2.0 publication (§2.2): webpub metadata, acquisition links, cover images."""
    metadata: dict = {"@type": "http://schema.org/Book", "title": p.title, "identifier": p.urn,
                      "modified": p.updated, "language": p.language}
    if p.authors:
        metadata["author"] = list(p.authors)
    if p.publisher:
        metadata["publisher"] = p.publisher
    if p.issued and FULL_DATE.match(p.issued):
        metadata["published"] = p.issued
    if p.description:
        metadata["description"] = p.description
    if p.collection:
        metadata["belongsTo"] = {"collection": [{"name": p.collection, "links": [
            {"href": f"{collection_feed(p.collection)}{SUFFIX}", "type": MEDIA_TYPE}]}]}
    links = [{"rel": OPEN_ACCESS, "href": d.href, "type": d.media_type, "title": d.title, "size": d.length}
             for d in p.downloads]
    links.append({"rel": "alternate", "href": p.page, "type": "text/html", "title": "Read on the site"})
    images = [{"href": p.cover, "type": "image/png", "width": COVER[0], "height": COVER[1]},
              {"href": p.thumbnail, "type": "image/png", "width": THUMBNAIL[0], "height": THUMBNAIL[1]}]
    return {"metadata": metadata, "links": links, "images": images}
