"""What the reading room says about one document, read from its teiHeader (TEI P5 ch. 2).

:class:`Document` gathers the header facts a page, a list entry, a citation
and the search filters show, once per document, so every page says the same
thing about it. Values come from the header only (rule 1 of ARCHITECTURE.md:
nothing after the master reads the source).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

from lxml import etree

from publish.render.xhtml import direction
from publish.tei import first_text, xpath
from publish.tei.header import HeaderFacts

#: The one-line description in lists is cut at this many characters, on a word boundary.
SUMMARY_LENGTH = 160


@dataclasses.dataclass(frozen=True)
class Download:
    """One downloadable file of a document, as the page lists it."""

    kind: str
    label: str
    #: File name inside the document's folder, ``doc/<id>/``.
    name: str
    media_type: str
    size: int
    sha256: str
    #: The format by PRONOM, as Siegfried identified the file: its name and PUID ("" if unknown).
    format: str = ""
    puid: str = ""


@dataclasses.dataclass(frozen=True)
class Document:
    """One document as the site shows it."""

    identifier: str
    facts: HeaderFacts
    language_name: str
    collection: str | None
    licence_url: str | None
    built: str
    downloads: tuple[Download, ...] = ()

    @property
    def title(self) -> str:
        return self.facts.title or self.identifier

    @property
    def language(self) -> str:
        return self.facts.language

    @property
    def dir(self) -> str:
        return direction(self.facts.language)

    @property
    def date(self) -> str | None:
        """The source date, ``YYYY[-MM[-DD]]``, or ``None`` when the header says it is unknown."""
        return self.facts.source_date

    @property
    def year(self) -> str:
        return self.date[:4] if self.date else "unknown"

    @property
    def summary(self) -> str:
        """The description on one line, cut on a word boundary."""
        text = self.facts.description
        if len(text) <= SUMMARY_LENGTH:
            return text
        return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"

    @property
    def path(self) -> str:
        """The document's folder in the site; it depends on the id only, so it never moves."""
        return f"doc/{self.identifier}/"

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(d.kind for d in self.downloads)


def read_document(identifier: str, tree: etree._ElementTree, downloads: tuple[Download, ...]) -> Document:
    """The :class:`Document` of a parsed master."""
    root = tree.getroot()
    header = "/tei:TEI/tei:teiHeader/"
    facts = HeaderFacts.read(tree)
    language_name = " ".join((first_text(root, header + "tei:profileDesc/tei:langUsage/tei:language")
                              or "").split())
    collection = " ".join((first_text(root, header + "tei:fileDesc/tei:seriesStmt/tei:title")
                           or "").split()) or None
    licence = xpath(root, header + "tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence/@target")
    built = first_text(root, header + "tei:fileDesc/tei:publicationStmt/tei:date/@when") or ""
    if not language_name or facts.language == "und":
        language_name = "Unknown language" if facts.language == "und" else facts.language
    return Document(identifier, facts, language_name, collection, licence[0] if licence else None,
                    built, downloads)


def lang_attribute(language: str) -> str:
    """The HTML ``lang`` of a document: its BCP 47 tag, or empty for ``und`` (HTML: unknown)."""
    return "" if language == "und" else language


def slug(value: str) -> str:
    """A URL path segment for a facet value: lower-case ASCII words, else a digest of the value."""
    words = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    if words and words.isascii() and len(words) >= len(value) // 2:
        return words
    return "x-" + hashlib.sha256(value.encode()).hexdigest()[:12]


