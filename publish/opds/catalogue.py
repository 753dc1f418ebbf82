"""The catalogue both OPDS versions serialise: its publications, feeds, pages and facets.

One plan, two serialisations: :mod:`publish.opds.atom` writes it as OPDS
Catalog 1.2 (Atom, RFC 4287) and :mod:`publish.opds.opds2` as OPDS 2.0 (JSON),
so both list the same documents in the same order on the same pages.

Every feed file sits flat in ``dist/site/opds/``, so one relative href (to a
cover, an edition or another feed) is right from every feed; hrefs are
resolved against the feed's URL (RFC 3986 §5), so the folder can be hosted
anywhere. Editions are the site's copies, ``../doc/<id>/<id><suffix>``.

Identifiers are stable: a publication keeps its ``urn:uuid`` (the document's,
``dc:identifier``); each catalogue entry and feed gets its own ``uuid5``, as
OPDS 1.2 §5.1.1 wants the entry's ``atom:id`` to name the entry, not the book.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
import uuid

from publish.collection import Collection, Entry
from publish.formats import format_for
from publish.options import Options
from publish.tei import first_text
from publish.tei.header import LANGUAGE_NAMES, HeaderFacts

#: Entries per page by default (``[site] opds_page_size``): a feed with more is paginated
#: (RFC 5005 §3; OPDS 1.2 §2.4, OPDS 2.0 §4).
PAGE_SIZE = Options.opds_page_size
#: The editions an entry offers, in this order, when the build made them.
DOWNLOADS = ("epub", "pdf", "tei")
DOWNLOAD_TITLES = {"epub": "EPUB 3", "pdf": "PDF/A-3", "tei": "TEI P5 master (XML)"}
#: Names the catalogue's own ids (entries, feeds); fixed, so ids never change.
NAMESPACE = uuid.UUID("6f2b1c3e-58a4-5d0b-9d3e-0c6a7b9e4f21")


@dataclasses.dataclass(frozen=True)
class Download:
    """One edition a reader can take: the site's copy of a file in ``dist/``."""

    kind: str
    href: str
    media_type: str
    length: int
    title: str


@dataclasses.dataclass(frozen=True)
class Publication:
    """One document as the catalogue shows it, from its teiHeader and manifest record."""

    identifier: str
    urn: str
    entry_id: str
    title: str
    authors: tuple[str, ...]
    language: str
    #: The source's date, ``YYYY[-MM[-DD]]``, or ``None`` if unknown.
    issued: str | None
    publisher: str | None
    rights: str
    description: str
    collection: str | None
    #: When this edition was made (the record's ``SOURCE_DATE_EPOCH``), ``YYYY-MM-DDThh:mm:ssZ``.
    updated: str
    downloads: tuple[Download, ...]
    page: str

    @property
    def cover(self) -> str:
        return f"covers/{self.identifier}.png"

    @property
    def thumbnail(self) -> str:
        return f"covers/{self.identifier}-thumbnail.png"


@dataclasses.dataclass(frozen=True)
class Facet:
    """A link to a subset or another order of the publications (OPDS 1.2 §4, OPDS 2.0 §2.4)."""

    group: str
    title: str
    feed: str
    count: int


@dataclasses.dataclass(frozen=True)
class Feed:
    """An acquisition feed: a named, ordered list of publications, cut into pages."""

    name: str
    title: str
    publications: tuple[Publication, ...]
    #: The facet this feed is (marked active in it), by group.
    active: tuple[tuple[str, str], ...] = ()
    page_size: int = PAGE_SIZE

    def pages(self) -> int:
        return max(1, -(-len(self.publications) // self.page_size))

    def page_name(self, number: int) -> str:
        """The file stem of page ``number`` (1-based): ``all``, ``all-2``, …"""
        return self.name if number == 1 else f"{self.name}-{number}"

    def page(self, number: int) -> tuple[Publication, ...]:
        return self.publications[(number - 1) * self.page_size:number * self.page_size]


@dataclasses.dataclass(frozen=True)
class NavigationEntry:
    """One entry of a navigation feed: a link to another feed."""

    title: str
    feed: str
    rel: str
    acquisition: bool
    summary: str
    count: int | None = None


@dataclasses.dataclass(frozen=True)
class Navigation:
    name: str
    title: str
    entries: tuple[NavigationEntry, ...]


@dataclasses.dataclass(frozen=True)
class Catalogue:
    """Everything the feeds show, made once from the collection."""

    updated: str
    publications: tuple[Publication, ...]
    navigations: tuple[Navigation, ...]
    feeds: tuple[Feed, ...]
    #: The crawlable complete feed (OPDS 1.2 §2.5): most recently updated first.
    complete: Feed
    facets: tuple[Facet, ...]
    #: The catalogue's name: the site's (``[site] title`` in publish.toml).
    title: str = "Reading room"


def catalogue_id(name: str) -> str:
    """The stable ``urn:uuid`` of a feed or entry of this catalogue."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, name)}"


def slug(text: str) -> str:
    """A file-name part for a free-text name: ASCII words, then a digest so distinct names never meet."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:48].rstrip("-")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{words}-{digest}" if words else digest


def collection_feed(name: str) -> str:
    """The file stem of a collection's feed."""
    return f"collection-{slug(name)}"


def language_name(tag: str) -> str:
    """A language's English name and tag, ``English (en)``; the tag alone where the name is unknown."""
    name = LANGUAGE_NAMES.get(tag.lower())
    return f"{name} ({tag})" if name else tag


def iso_time(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def publication(entry: Entry, options: Options) -> Publication:
    """The catalogue's view of one built document."""
    facts = HeaderFacts.read(entry.header.getroottree())
    root = entry.header.getroottree().getroot()
    collection = first_text(root, "/tei:TEI/tei:teiHeader/tei:fileDesc/tei:seriesStmt/tei:title")
    identifier = entry.identifier
    downloads = []
    for kind in DOWNLOADS:
        path = entry.outputs.get(kind)
        if path is None or not path.is_file():
            continue
        suffix = format_for(kind).suffix
        downloads.append(Download(kind, f"../doc/{identifier}/{identifier}{suffix}",
                                  format_for(kind).media_type, path.stat().st_size, DOWNLOAD_TITLES[kind]))
    epoch = entry.record.get("source_date_epoch")
    return Publication(
        identifier=identifier, urn=facts.urn, entry_id=catalogue_id(f"entry:{identifier}"),
        title=facts.title or identifier, authors=facts.creators, language=facts.language,
        issued=facts.source_date, publisher=facts.publisher, rights=facts.rights,
        description=facts.description,
        collection=" ".join(collection.split()) if collection else None,
        updated=iso_time(epoch) if isinstance(epoch, int) else options.build_date_iso,
        downloads=tuple(downloads), page=f"../doc/{identifier}/",
    )


def by_title(p: Publication) -> tuple:
    return (unicodedata.normalize("NFKC", p.title).casefold(), p.identifier)


def newest_first(publications: tuple[Publication, ...]) -> tuple[Publication, ...]:
    """Newest source date first (``2024-05`` before ``2024``), undated last; equal dates by title."""
    # Python's sort is stable even with reverse=True, so the title order survives within a date.
    return tuple(sorted(sorted(publications, key=by_title), key=lambda p: p.issued or "", reverse=True))


def documents(count: int) -> str:
    return "1 document" if count == 1 else f"{count} documents"


def build_catalogue(collection: Collection, options: Options) -> Catalogue:
    """Plan every feed of the catalogue from the collection."""
    publications = tuple(sorted((publication(e, options) for e in collection.entries), key=by_title))
    collections = sorted({p.collection for p in publications if p.collection})
    languages = sorted({primary(p.language) for p in publications})
    feeds = [Feed("all", "All documents, by title", publications, (("Order", "all"),)),
             Feed("newest", "Newest first, by the source's date",
                  newest_first(publications), (("Order", "newest"),))]
    for name in collections:
        feeds.append(Feed(collection_feed(name), name,
                          tuple(p for p in publications if p.collection == name),
                          (("Collection", collection_feed(name)),)))
    for tag in languages:
        feeds.append(Feed(f"language-{tag}", f"In {language_name(tag)}",
                          tuple(p for p in publications if primary(p.language) == tag),
                          (("Language", f"language-{tag}"),)))
    feeds = [dataclasses.replace(feed, page_size=options.opds_page_size) for feed in feeds]
    counts = {f.name: len(f.publications) for f in feeds}
    facets = ((Facet("Order", "Title", "all", counts["all"]),
               Facet("Order", "Newest", "newest", counts["newest"]))
              + tuple(Facet("Collection", n, collection_feed(n), counts[collection_feed(n)])
                      for n in collections)
              + tuple(Facet("Language", language_name(t), f"language-{t}", counts[f"language-{t}"])
                      for t in languages))
    complete = Feed("complete", "Every document (complete, for crawlers)",
                    tuple(sorted(publications, key=lambda p: (p.updated, p.identifier), reverse=True)))
    listings = navigations(publications, collections, languages, counts, options.site_title)
    return Catalogue(options.build_date_iso, publications, listings, tuple(feeds), complete, facets,
                     options.site_title)


def primary(tag: str) -> str:
    """The primary language subtag, lower case (BCP 47 §2.2.1): documents are browsed by language."""
    return tag.split("-")[0].lower() or "und"


def navigations(publications, collections, languages, counts, title: str) -> tuple[Navigation, ...]:
    """The root navigation feed and its two listings, by collection and by language."""
    total = len(publications)
    entries = [
        NavigationEntry("All documents", "all", "subsection", True,
                        f"Every document by title ({documents(total)}).", total),
        NavigationEntry("Newest", "newest", "http://opds-spec.org/sort/new", True,
                        "Every document, newest source date first.", total),
    ]
    listings = []
    by_collection = Navigation("collections", "By collection", tuple(
        NavigationEntry(name, collection_feed(name), "subsection", True,
                        f"{documents(counts[collection_feed(name)])}.", counts[collection_feed(name)])
        for name in collections))
    by_language = Navigation("languages", "By language", tuple(
        NavigationEntry(language_name(tag), f"language-{tag}", "subsection", True,
                        f"{documents(counts[f'language-{tag}'])}.", counts[f"language-{tag}"])
        for tag in languages))
    for listing, summary in ((by_collection, "The documents of each collection"),
                             (by_language, "The documents in each language")):
        if listing.entries:  # an empty listing would be an OPDS 2.0 navigation without links
            entries.append(NavigationEntry(listing.title, listing.name, "subsection", False,
                                           f"{summary} ({len(listing.entries)})."))
            listings.append(listing)
    return (Navigation("root", title, tuple(entries)), *listings)
