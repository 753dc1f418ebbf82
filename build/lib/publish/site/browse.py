"""The browse pages: every document by collection, language, year and format, by title or date.

Each facet value has its own static pages, ``<facet>/<slug>/`` sorted by title
and ``<facet>/<slug>/by-date/`` sorted by date (newest first, undated last),
so browsing needs no JavaScript. A page lists only what its documents say,
so a rebuild after one document changes rewrites only the pages listing it.
"""

from __future__ import annotations

import dataclasses

from publish.site.facts import Document, slug

#: The facets, in the order the home page shows them: key, label, the value(s) of a document.
FACETS = (
    ("collection", "collection", lambda d: (d.collection,) if d.collection else ()),
    ("language", "language", lambda d: (d.language,)),
    ("year", "year", lambda d: (d.year,)),
    ("format", "format", lambda d: d.formats),
)
FORMAT_NAMES = {"pdf": "PDF/A-3", "epub": "EPUB 3", "tei": "TEI P5 XML"}


@dataclasses.dataclass(frozen=True)
class Value:
    """One value of a facet: its name, where its page is, how many documents have it."""

    name: str
    path: str
    count: int
    #: The string Pagefind's filter of that facet holds for it.
    filter: str
    lang: str = ""
    docs: tuple[Document, ...] = ()


@dataclasses.dataclass(frozen=True)
class Facet:
    key: str
    label: str
    values: tuple[Value, ...]


def by_title(docs) -> list[Document]:
    return sorted(docs, key=lambda d: (d.title.casefold(), d.identifier))


def by_date(docs) -> list[Document]:
    """Newest first; undated documents after every dated one, by title."""
    dated = sorted((d for d in docs if d.date), key=lambda d: (d.date, d.identifier), reverse=True)
    return dated + by_title(d for d in docs if not d.date)


def facets(docs: list[Document]) -> tuple[Facet, ...]:
    """Every facet with its values, each value with its documents."""
    found = []
    for key, label, values_of in FACETS:
        groups: dict[str, list[Document]] = {}
        for doc in docs:
            for value in values_of(doc):
                groups.setdefault(value, []).append(doc)
        values, used = [], set()
        for value in sorted(groups, key=lambda v: (v == "unknown", v.casefold())):
            name, lang, filter_ = display(key, value, groups[value][0])
            segment = slug(value)
            if segment in used:  # two names with one slug: the second gets a digest
                segment = slug(value + "\0")
            used.add(segment)
            values.append(Value(name, f"{key}/{segment}/", len(groups[value]), filter_, lang,
                                tuple(groups[value])))
        if values:
            found.append(Facet(key, label, tuple(values)))
    return tuple(found)


def display(key: str, value: str, doc: Document) -> tuple[str, str, str]:
    """How a facet value is named on the page, its ``lang``, and its Pagefind filter string."""
    if key == "language":
        name = doc.language_name if doc.language == "und" else f"{doc.language_name} ({doc.language})"
        return name, "", doc.language_name
    if key == "format":
        return FORMAT_NAMES.get(value, value.upper()), "", value
    return value, "", value
