"""The package metadata of the book, read from the teiHeader (EPUB 3.3 §5.5, TEI P5 ch. 2).

Identifier policy: ``dc:identifier`` is the document's ``urn:uuid`` from
``publicationStmt/idno[@type='URN']``; it names the document, not a version.
Rebuilding, or changing the text, keeps it; the version is recorded by
``dcterms:modified`` (from ``SOURCE_DATE_EPOCH``) and by the source's SHA-256
in ``dc:source``. A header without that identifier or a title is refused,
where the PDF says "Untitled": the package document requires both (EPUB 3.3 §5).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from lxml import etree

from publish.errors import InvalidTEIError
from publish.render.xhtml import display_language, main_script, text_direction
from publish.tei.header import HeaderFacts


@dataclasses.dataclass(frozen=True)
class BookMetadata:
    """The package metadata, read from the teiHeader only (TEI P5 §2)."""

    identifier: str
    title: str
    language: str  # xml:lang, as the header says (dc:language)
    local_id: str
    date: str | None
    publisher: str | None
    rights: str
    creators: tuple[str, ...]
    sources: tuple[str, ...]
    #: ``rtl`` or ``ltr``, from the text's main script (publish.render.xhtml.text_direction)
    direction: str = "ltr"
    #: the content documents' ``lang``: ``und-<Script>`` where the header says ``und``
    #: (publish.render.xhtml.display_language), so reading systems pick the script's face
    content_language: str = ""

    def __post_init__(self) -> None:
        if not self.content_language:
            object.__setattr__(self, "content_language", self.language)

    @property
    def english(self) -> bool:
        """Whether the book is in English, the language of the template labels."""
        return self.language.split("-")[0].lower() == "en"


def book_metadata(tei: etree._ElementTree, path: Path) -> BookMetadata:
    """Read :class:`BookMetadata` from the teiHeader; refuse a header without identity."""
    facts = HeaderFacts.read(tei)
    if not facts.urn.startswith("urn:uuid:") or not facts.title:
        raise InvalidTEIError("the teiHeader has no urn:uuid idno or no title; "
                              "normalise the source again", path)
    script = main_script(tei)
    sources = [facts.description]
    if facts.filename or facts.sha256:
        sources.append(f"{facts.filename} (SHA-256 {facts.sha256})" if facts.sha256 else facts.filename)
    return BookMetadata(
        identifier=facts.urn, title=facts.title, local_id=facts.local_id,
        language=facts.language, direction=text_direction(tei, script),
        content_language=display_language(tei, script),
        date=facts.source_date, publisher=facts.publisher,
        rights=facts.rights, creators=facts.creators, sources=tuple(s for s in sources if s),
    )


def clean(text: str | None) -> str:
    """Whitespace collapsed, as metadata values are shown."""
    return " ".join((text or "").split())
