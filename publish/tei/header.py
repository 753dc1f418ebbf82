"""Build the ``teiHeader`` from metadata and the record of a normalisation.

Follows TEI P5 Guidelines chapter 2, "The TEI Header": ``fileDesc``
(``titleStmt``, ``publicationStmt``, ``sourceDesc``), ``encodingDesc``
(``appInfo``, ``editorialDecl``), ``profileDesc`` (``langUsage``) and
``revisionDesc``. What the header says is what happened: unknown values are
left out or said to be unknown, never invented.
"""

from __future__ import annotations

import dataclasses
import uuid

from lxml import etree

from publish import __version__
from publish.langid import THRESHOLD
from publish.metadata import Metadata
from publish.options import Options
from publish.tei import T, first_text, xml, xpath

#: Namespace for the document URNs: uuid5(DOC_NAMESPACE, "<id>").
DOC_NAMESPACE = uuid.UUID("5b0c7f3e-6a53-4a54-9d1b-8f3c2e1a9d40")

LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "zh": "Chinese", "ja": "Japanese",
    "ar": "Arabic", "he": "Hebrew", "es": "Spanish", "it": "Italian", "ru": "Russian",
    "la": "Latin", "is": "Icelandic", "nl": "Dutch", "pt": "Portuguese",
    # the 25 most used languages and the scripts' languages of tests/fixtures/scripts
    "hi": "Hindi", "bn": "Bengali", "ur": "Urdu", "id": "Indonesian", "sw": "Swahili",
    "mr": "Marathi", "te": "Telugu", "tr": "Turkish", "ta": "Tamil", "vi": "Vietnamese",
    "ko": "Korean", "th": "Thai", "gu": "Gujarati", "fa": "Persian", "pl": "Polish",
    "uk": "Ukrainian", "el": "Greek", "hy": "Armenian", "ka": "Georgian", "yi": "Yiddish",
    "dv": "Dhivehi", "nqo": "N’Ko", "pa": "Panjabi", "or": "Odia", "kn": "Kannada",
    "ml": "Malayalam", "si": "Sinhala", "lo": "Lao", "km": "Khmer", "my": "Burmese",
    "am": "Amharic", "chr": "Cherokee", "ii": "Nuosu", "yue": "Cantonese",
}


@dataclasses.dataclass(frozen=True)
class SourceRecord:
    """What the original file was, so an archive can check and restore it.

    ``encoding`` is the character encoding the text was decoded from (with
    ``bom`` when a byte-order mark preceded it); ``line_endings`` is ``LF``,
    ``CRLF``, ``CR``, ``mixed`` or ``none``; both are ``None`` for formats that
    are not plain text.
    """

    filename: str
    size: int
    sha256: str
    media_type: str
    normaliser: str
    encoding: str | None = None
    bom: bool = False
    line_endings: str | None = None
    #: The PRONOM identification (publish.pronom): PUID, format name, TEI @cert, and
    #: (Siegfried's version, its signature files); None when Siegfried knew no format.
    puid: str | None = None
    format_name: str | None = None
    format_cert: str | None = None
    identified_by: tuple[str, str] | None = None


@dataclasses.dataclass(frozen=True)
class Decisions:
    """The editorial record of a normalisation (``editorialDecl``).

    Each field is a tuple of sentences; an empty tuple leaves its element out.
    """

    normalization: tuple[str, ...] = ()
    quotation: tuple[str, ...] = ()
    segmentation: tuple[str, ...] = ()
    correction: tuple[str, ...] = ()
    interpretation: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class LanguageUsage:
    """The document's language, and whether it was identified from the text (``langUsage``).

    ``tool`` is ``None`` when metadata (sidecar or the document's own) named
    the language; otherwise the identifier (``py3langid``, or
    ``py3langid+script`` when the script alone decided) with its version and
    confidence. ``paragraphs`` counts the blocks marked with another language.
    """

    tag: str
    tool: str | None = None
    tool_version: str = ""
    confidence: float = 0.0
    paragraphs: tuple[tuple[str, int], ...] = ()

    @property
    def used_tool(self) -> bool:
        """Whether the identifier decided anything recorded here (so it is named in ``appInfo``)."""
        return self.tool is not None or bool(self.paragraphs)


#: The ``xml:id`` of the language identifier's ``application``, which ``resp`` points to.
IDENTIFIER_ID = "py3langid"
#: The ``xml:id`` of Siegfried's ``application``, which the PRONOM ``idno`` points at (``@resp``).
FORMAT_IDENTIFIER_ID = "siegfried"


@dataclasses.dataclass(frozen=True)
class HeaderFacts:
    """What a teiHeader written by :func:`build_header` says, read back for the renderers.

    Every string is whitespace-collapsed; a value the header lacks is ``""``
    (or ``None`` for the optional dates and publisher), so each renderer
    decides for itself what a missing value means.
    """

    title: str
    creators: tuple[str, ...]
    publisher: str | None
    source_date: str | None
    language: str
    urn: str
    local_id: str
    rights: str
    description: str
    filename: str
    sha256: str

    @classmethod
    def read(cls, tei: etree._ElementTree) -> HeaderFacts:
        """Read the facts from a TEI document's header (TEI P5 §2.2)."""
        root = tei.getroot()
        file_desc = "/tei:TEI/tei:teiHeader/tei:fileDesc/"
        bibl = file_desc + "tei:sourceDesc/tei:bibl/"

        def text(expr: str) -> str:
            return " ".join((first_text(root, file_desc + expr) or "").split())

        return cls(
            title=text("tei:titleStmt/tei:title[1]"),
            creators=tuple(" ".join("".join(a.itertext()).split())
                           for a in xpath(root, file_desc + "tei:titleStmt/tei:author")),
            publisher=text("tei:publicationStmt/tei:publisher") or None,
            source_date=first_text(root, bibl + "tei:date/@when"),
            language=root.get(xml("lang")) or "und",
            urn=text("tei:publicationStmt/tei:idno[@type='URN']"),
            local_id=text("tei:publicationStmt/tei:idno[@type='local']"),
            rights=text("tei:publicationStmt/tei:availability"),
            description=text("tei:sourceDesc/tei:bibl/tei:note[@type='description']"),
            filename=text("tei:sourceDesc/tei:bibl/tei:idno[@type='filename']"),
            sha256=text("tei:sourceDesc/tei:bibl/tei:idno[@type='sha256']"),
        )


def document_urn(identifier: str) -> str:
    """The stable ``urn:uuid`` of a document: it names the document, not a version."""
    return f"urn:uuid:{uuid.uuid5(DOC_NAMESPACE, identifier)}"


def build_header(identifier: str, meta: Metadata, source: SourceRecord,
                 decisions: Decisions, options: Options,
                 usage: LanguageUsage | None = None) -> etree._Element:
    """The complete ``teiHeader`` (TEI P5 §2.1).

    ``usage`` says how the language was found; without it, ``meta.language``
    (or ``und``) is recorded as given.
    """
    usage = usage or LanguageUsage(meta.language or "und")
    decisions = dataclasses.replace(
        decisions, interpretation=decisions.interpretation + identification_record(usage))
    header = T.teiHeader(
        T.fileDesc(title_stmt(meta), publication_stmt(identifier, meta, options),
                   *series_stmt(meta), source_desc(meta, source)),
        encoding_desc(source, decisions, usage),
        T.profileDesc(lang_usage(usage)),
        T.revisionDesc(T.change(
            f"Normalised from {source.filename} ({source.media_type}) to TEI by the "
            f"publish {source.normaliser} normaliser, version {__version__}.",
            when=options.build_date_iso, who="#publish")),
    )
    etree.indent(header, space=" ", level=1)
    return header


def title_stmt(meta: Metadata) -> etree._Element:
    """``titleStmt`` (§2.2.1); a title the encoder supplied says so."""
    supplied = meta.title_supplied or not meta.title
    stmt = T.titleStmt(T.title(meta.title or "Untitled", type="supplied" if supplied else "main"))
    for name in meta.author:
        stmt.append(T.author(name))
    return stmt


def publication_stmt(identifier: str, meta: Metadata, options: Options) -> etree._Element:
    """``publicationStmt`` (§2.2.4): publisher, identifiers, date, availability."""
    agency = (T.publisher(meta.publisher) if meta.publisher
              else T.authority("No publisher recorded"))
    return T.publicationStmt(
        agency,
        T.idno(identifier, type="local"),
        T.idno(document_urn(identifier), type="URN"),
        T.date(options.build_datetime.date().isoformat(), when=options.build_date_iso),
        availability(meta),
    )


def series_stmt(meta: Metadata) -> list[etree._Element]:
    """``seriesStmt`` (§2.2.5) naming the collection, if the metadata gives one."""
    return [T.seriesStmt(T.title(meta.collection, level="s"))] if meta.collection else []


def availability(meta: Metadata) -> etree._Element:
    """``availability`` with a ``licence``, or said to be unknown."""
    if not meta.licence and not meta.licence_url:
        return T.availability(T.p("No licence recorded."), status="unknown")
    licence = T.licence(meta.licence or meta.licence_url)
    if meta.licence_url:
        licence.set("target", meta.licence_url)
    return T.availability(licence)


def source_desc(meta: Metadata, source: SourceRecord) -> etree._Element:
    """``sourceDesc`` (§2.2.7): the original file, its size, sha256 and encoding."""
    bibl = T.bibl()
    if meta.source:
        bibl.append(T.note(meta.source, type="description"))
    if meta.date:
        bibl.append(T.date(meta.date, when=meta.date))
    else:
        bibl.append(T.note("The date of the source is not known.", type="date"))
    bibl.append(T.idno(source.filename, type="filename"))
    bibl.append(T.idno(source.sha256, type="sha256"))
    bibl.append(T.extent(T.measure(f"{source.size} bytes", unit="byte", quantity=str(source.size))))
    bibl.append(T.note(source.media_type, type="mediaType"))
    if source.puid:  # the format by PRONOM, as Siegfried identified it (an automatic decision)
        bibl.append(T.idno(source.puid, type="PRONOM", resp=f"#{FORMAT_IDENTIFIER_ID}", cert=source.format_cert))
        bibl.append(T.note(source.format_name, type="format", resp=f"#{FORMAT_IDENTIFIER_ID}"))
    if source.encoding:
        bibl.append(T.note(source.encoding, type="characterEncoding"))
        bibl.append(T.note("present" if source.bom else "absent", type="byteOrderMark"))
    if source.line_endings:
        bibl.append(T.note(source.line_endings, type="lineEndings"))
    return T.sourceDesc(bibl)


def encoding_desc(source: SourceRecord, decisions: Decisions,
                  usage: LanguageUsage | None = None) -> etree._Element:
    """``encodingDesc`` (§2.3): the applications and the editorial decisions."""
    application = T.application(
        T.label("publish"),
        T.desc(f"{source.normaliser} normaliser"),
        ident="publish", version=__version__)
    application.set(xml("id"), "publish")
    app_info = T.appInfo(application)
    if usage is not None and usage.used_tool:
        identifier = T.application(T.label("py3langid"), T.desc("language identification"),
                                   ident="py3langid", version=usage.tool_version)
        identifier.set(xml("id"), IDENTIFIER_ID)
        app_info.append(identifier)
    if source.identified_by:
        version, signatures = source.identified_by
        identifier = T.application(T.label("Siegfried"),
                                   T.desc(f"PRONOM format identification; signatures: {signatures}"),
                                   ident="siegfried", version=version)
        identifier.set(xml("id"), FORMAT_IDENTIFIER_ID)
        app_info.append(identifier)
    editorial = T.editorialDecl()
    for name in ("normalization", "quotation", "segmentation", "correction", "interpretation"):
        sentences = getattr(decisions, name)
        if sentences:
            editorial.append(getattr(T, name)(*[T.p(s) for s in sentences]))
    if not len(editorial):
        editorial.append(T.p("No editorial normalisation was applied."))
    return T.encodingDesc(app_info, editorial)


def language(tag: str) -> etree._Element:
    """``language`` with its ``ident`` and, where known, its English name."""
    name = LANGUAGE_NAMES.get(tag.split("-")[0].lower())
    return T.language(name, ident=tag) if name else T.language(ident=tag)


def lang_usage(usage: LanguageUsage) -> etree._Element:
    """``langUsage`` (§2.4.2): the document's language, then those marked on paragraphs.

    What py3langid found is attributed to it (``resp``, att.global.responsibility),
    with its calibrated probability as ``cert`` (teidata.probCert).
    """
    document = language(usage.tag)
    if usage.tool and usage.tag != "und":
        document.set("cert", f"{usage.confidence:.2f}")
    if usage.tool:
        document.set("resp", f"#{IDENTIFIER_ID}")
    element = T.langUsage(document)
    for tag, _count in usage.paragraphs:
        other = language(tag)
        other.set("resp", f"#{IDENTIFIER_ID}")
        element.append(other)
    return element


def identification_record(usage: LanguageUsage) -> tuple[str, ...]:
    """The sentences for ``editorialDecl/interpretation``: what was identified, by what, how surely."""
    sentences = []
    name = LANGUAGE_NAMES.get(usage.tag.split("-")[0].lower(), usage.tag)
    by = f"py3langid {usage.tool_version}"
    if usage.tool and usage.tag == "und":
        sentences.append(
            f"No sidecar or document metadata gave the language, and {by} could not identify it "
            f"with confidence {THRESHOLD:.2f} or more as a language written in the text's script: "
            f"it is recorded as und.")
    elif usage.tool == "py3langid":
        sentences.append(
            f"No sidecar or document metadata gave the language: it was identified automatically "
            f"from the text by {by} as {name} ({usage.tag}), with confidence {usage.confidence:.2f} "
            f"(publish accepts {THRESHOLD:.2f} or more, in the text's own script).")
    elif usage.tool == "py3langid+blocks":
        sentences.append(
            f"No sidecar or document metadata gave the language, and the text as a whole is mixed: "
            f"{by} identified blocks holding {usage.confidence:.0%} of the letters as {name} "
            f"({usage.tag}), each with confidence {THRESHOLD:.2f} or more.")
    elif usage.tool:
        sentences.append(
            f"No sidecar or document metadata gave the language, and {by} knows none written in "
            f"this script: it was taken from the script, written by {name} ({usage.tag}) only, "
            f"which holds {usage.confidence:.0%} of the letters.")
    for tag, count in usage.paragraphs:
        other = LANGUAGE_NAMES.get(tag.split("-")[0].lower(), tag)
        blocks = "block was" if count == 1 else "blocks were"
        sentences.append(f"{count} {blocks} identified by {by} as {other} ({tag}) and marked with xml:lang.")
    return tuple(sentences)
