"""The catalogue as OPDS Catalog 1.2 feeds (Atom, RFC 4287) and an OpenSearch description.

Feeds: the root navigation feed (OPDS 1.2 §2.1, §2.2), the listings by
collection and by language, acquisition feeds (§2.3) paginated by RFC 5005
§3 (``first``/``previous``/``next``/``last``) past
:attr:`~publish.opds.catalogue.Feed.page_size` entries ([site] opds_page_size), facets (§4:
``opds:facetGroup``, ``opds:activeFacet``, ``thr:count`` from RFC 4685), and
the complete feed (§2.5: unpaginated, ``fh:complete``, newest ``updated``
first, linked from every feed as ``http://opds-spec.org/crawlable``).

Every entry is a complete catalogue entry (§5.1.2), so no entry documents are
needed: ``dc:identifier`` (the document's ``urn:uuid``), ``dc:language``,
``dc:issued`` (the source's date), ``dc:publisher``, ``atom:rights`` (§5.1.1
prefers it to ``dc:rights``), the cover and thumbnail (§5.2.2) and one
``http://opds-spec.org/acquisition/open-access`` link per edition with its
``length`` (§5.2.1, §5.3).
"""

from __future__ import annotations

import copy

from lxml import etree
from lxml.builder import ElementMaker

from publish.opds.catalogue import Catalogue, Feed, Navigation, Publication, catalogue_id

ATOM_NS = "http://www.w3.org/2005/Atom"
OPDS_NS = "http://opds-spec.org/2010/catalog"
DC_NS = "http://purl.org/dc/terms/"
THR_NS = "http://purl.org/syndication/thread/1.0"
FH_NS = "http://purl.org/syndication/history/1.0"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
NSMAP = {None: ATOM_NS, "opds": OPDS_NS, "dc": DC_NS, "thr": THR_NS, "fh": FH_NS,
         "opensearch": OPENSEARCH_NS}

SUFFIX = ".atom"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH = "application/opensearchdescription+xml"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
SEARCH_FILE = "search.osdx"
#: The site's search page (Pagefind, in the browser): the only search a static host can answer.
SEARCH_TEMPLATE = "../search/?q={searchTerms}"

A = ElementMaker(namespace=ATOM_NS, nsmap=NSMAP)


def feeds(catalogue: Catalogue) -> dict[str, bytes]:
    """Every OPDS 1.2 file: ``<name>.atom`` for each feed and page, and ``search.osdx``."""
    files = {f"{nav.name}{SUFFIX}": serialise(navigation_feed(catalogue, nav))
             for nav in catalogue.navigations}
    # Each entry is built once and copied into every feed that lists it (five or so).
    entries = {p.identifier: entry(p) for p in catalogue.publications}
    for feed in catalogue.feeds:
        for number in range(1, feed.pages() + 1):
            files[f"{feed.page_name(number)}{SUFFIX}"] = serialise(
                acquisition_feed(catalogue, feed, number, entries))
    files[f"{catalogue.complete.name}{SUFFIX}"] = serialise(complete_feed(catalogue, entries))
    files[SEARCH_FILE] = opensearch_description(catalogue.title)
    return files


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def link(rel: str, href: str, media_type: str, title: str | None = None, **extra: str) -> etree._Element:
    element = A.link(rel=rel, href=href, type=media_type)
    if title:
        element.set("title", title)
    for name, value in extra.items():
        element.set(name, value)
    return element


def feed_head(catalogue: Catalogue, name: str, title: str, self_type: str) -> etree._Element:
    """An ``atom:feed`` with what every feed has: id, title, updated, author, self/start/search/crawlable."""
    return A.feed(
        A.id(catalogue_id(f"feed:{name}")),
        A.title(title),
        A.updated(catalogue.updated),
        A.author(A.name("publish")),
        link("self", f"{name}{SUFFIX}", self_type),
        link("start", f"root{SUFFIX}", NAVIGATION, "Catalogue root"),
        link("search", SEARCH_FILE, OPENSEARCH, "Search the documents"),
        link("http://opds-spec.org/crawlable", f"{catalogue.complete.name}{SUFFIX}", ACQUISITION,
             catalogue.complete.title),
    )


def navigation_feed(catalogue: Catalogue, nav: Navigation) -> etree._Element:
    """A navigation feed (OPDS 1.2 §2.2): each entry links to another feed."""
    root = feed_head(catalogue, nav.name, nav.title, NAVIGATION)
    for item in nav.entries:
        target = link(item.rel, f"{item.feed}{SUFFIX}", ACQUISITION if item.acquisition else NAVIGATION)
        if item.count is not None:
            target.set(f"{{{THR_NS}}}count", str(item.count))
        root.append(A.entry(
            A.title(item.title),
            A.id(catalogue_id(f"navigation:{nav.name}:{item.feed}")),
            A.updated(catalogue.updated),
            A.content(item.summary, type="text"),
            target,
        ))
    return root


def acquisition_feed(catalogue: Catalogue, feed: Feed, number: int,
                     entries: dict[str, etree._Element]) -> etree._Element:
    """Page ``number`` of an acquisition feed, with its facets and page links."""
    name = feed.page_name(number)
    title = feed.title if feed.pages() == 1 else f"{feed.title} (page {number} of {feed.pages()})"
    root = feed_head(catalogue, name, title, ACQUISITION)
    root.append(link("up", f"root{SUFFIX}", NAVIGATION, "Catalogue root"))
    if feed.pages() > 1:
        pages = {"first": 1, "previous": number - 1, "next": number + 1, "last": feed.pages()}
        for rel, target in pages.items():
            if 1 <= target <= feed.pages():
                root.append(link(rel, f"{feed.page_name(target)}{SUFFIX}", ACQUISITION))
        # OpenSearch 1.1 response elements, which OPDS 1.2 §3 allows in any feed.
        for local, value in (("totalResults", len(feed.publications)), ("itemsPerPage", feed.page_size),
                             ("startIndex", (number - 1) * feed.page_size + 1)):
            etree.SubElement(root, f"{{{OPENSEARCH_NS}}}{local}").text = str(value)
    active = dict(feed.active)
    for facet in catalogue.facets:
        element = link("http://opds-spec.org/facet", f"{facet.feed}{SUFFIX}", ACQUISITION, facet.title)
        element.set(f"{{{OPDS_NS}}}facetGroup", facet.group)
        if active.get(facet.group) == facet.feed:
            element.set(f"{{{OPDS_NS}}}activeFacet", "true")
        element.set(f"{{{THR_NS}}}count", str(facet.count))
        root.append(element)
    root.extend(copy.deepcopy(entries[p.identifier]) for p in feed.page(number))
    return root


def complete_feed(catalogue: Catalogue, entries: dict[str, etree._Element]) -> etree._Element:
    """The complete acquisition feed (OPDS 1.2 §2.5, RFC 5005 §2): every entry, one document."""
    feed = catalogue.complete
    root = feed_head(catalogue, feed.name, feed.title, ACQUISITION)
    root.append(etree.Element(f"{{{FH_NS}}}complete"))
    root.extend(copy.deepcopy(entries[p.identifier]) for p in feed.publications)
    return root


def entry(publication: Publication) -> etree._Element:
    """A complete OPDS catalogue entry (OPDS 1.2 §5) for one document."""
    element = A.entry(A.title(publication.title), A.id(publication.entry_id), A.updated(publication.updated))
    for author in publication.authors:
        element.append(A.author(A.name(author)))
    if publication.rights:
        element.append(A.rights(publication.rights, type="text"))
    if publication.description:
        element.append(A.summary(publication.description, type="text"))
    dc = ElementMaker(namespace=DC_NS)
    element.append(dc.identifier(publication.urn))
    element.append(dc.language(publication.language))
    if publication.issued:
        element.append(dc.issued(publication.issued))
    if publication.publisher:
        element.append(dc.publisher(publication.publisher))
    if publication.collection:
        element.append(A.category(term=publication.collection, label=publication.collection))
    element.append(link("http://opds-spec.org/image", publication.cover, "image/png"))
    element.append(link("http://opds-spec.org/image/thumbnail", publication.thumbnail, "image/png"))
    element.append(link("alternate", publication.page, "text/html", "Read on the site"))
    for download in publication.downloads:
        element.append(link(OPEN_ACCESS, download.href, download.media_type, download.title,
                            length=str(download.length)))
    return element


def opensearch_description(title: str) -> bytes:
    """The OpenSearch 1.1 description: its one template is the site's search page (text/html).

    OPDS 1.2 §3 wants the template to answer with an acquisition feed; a
    static folder cannot run a query, so the template names the site's
    Pagefind page, which a reading app opens in a browser.
    """
    search = ElementMaker(namespace=OPENSEARCH_NS, nsmap={None: OPENSEARCH_NS})
    root = search.OpenSearchDescription(
        search.ShortName(title[:16]),  # OpenSearch 1.1: at most 16 characters
        search.Description(f"Full-text search of every document in {title}."),
        search.InputEncoding("UTF-8"),
        search.OutputEncoding("UTF-8"),
        search.Url(type="text/html", template=SEARCH_TEMPLATE),
    )
    return serialise(root)
