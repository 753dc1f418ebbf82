"""TEI P5 input → the publish subset of TEI P5.

A TEI file is parsed safely (no DTD, no entities, no network), checked to be a
TEI P5 document (``TEI`` or ``teiCorpus`` in the TEI namespace), and its
``text`` is mapped into the subset that ``publish.rng`` describes: TEI P5
Guidelines ch. 3 (core), 4 (default text structure), 14 (tables, figures).
The result is validated against ``publish.rng``, like every normaliser's;
validating the input against ``tei_all`` would take seconds per file, so it is
left to ``publish validate --tei-all``. The header is made anew from what the
input's header says (title, authors, dates, language, licence); the original
file, with its header, stays the source of record (its sha256 is in
``sourceDesc``). This module checks the document and reads its header; the
``text`` is copied by :mod:`publish.normalise.tei_body`.

Nothing vanishes silently: an element outside the subset is mapped to its
nearest subset element, or its text is kept (``ab type="<name>"`` where it stood
alone, plain text inside a phrase), and the editorial record names each kind
with a count. An element with no text to keep (``gap``, ``anchor``, ``space``…)
is left out with a WARNING naming it.

Supports:

- [x] ``div``, ``div1``…``div7``, ``head`` → nested ``div``/``head`` (blocks after a
      subdivision go into a ``div`` of their own); ``front`` and ``back`` → ``div type="front|back"``
- [x] ``p``, ``ab``, ``lg``/``l``, ``quote``, ``q``, ``said``, ``hi``, ``lb``, ``foreign``, ``code``
- [x] ``list``/``item``/``label`` (gloss lists as ``label``/``item`` pairs), ``table``/``row``/``cell``
- [x] ``note`` (``place`` kept where the subset has it, else ``foot``)
- [x] ``ref``/``ptr`` → ``ref target`` (internal targets follow the new ids)
- [x] ``figure``/``graphic``/``figDesc``: images beside the file copied into the assets
- [x] ``choice`` with ``orig``/``reg``, ``sic``/``corr``, ``abbr``/``expan`` → ``orig``/``reg``
- [x] ``pb``, ``cb``, ``milestone`` → ``milestone unit="page|column|…" n=…``
- [x] ``emph``, ``title``, ``term``, ``mentioned``, ``gloss``, ``del`` … → ``hi rend=…``
- [x] ``sp``/``speaker``/``stage``, ``titlePage``, ``opener``, ``byline``, … → their text
      as ``ab type="speaker|stage|…"`` or inline text
- [x] ``egXML`` (TEI examples) → ``ab type="pre"`` holding the example's XML as text
- [x] teiHeader → title, authors, date, language, licence, source description
- [-] names, dates, numbers, ``seg``, ``rs``, editorial ``add``/``unclear``/``supplied`` …:
      text kept, the markup recorded by name and count
- [-] ``xml:id`` values: kept where unique on kept elements; ``div``, ``note``, ``figure`` renumbered
- [ ] TEI P4 (no namespace), ``teiCorpus`` beyond its first ``TEI``, stand-off markup, ``facsimile``
"""

from __future__ import annotations

from lxml import etree

from publish.errors import InputError, UnsupportedFormatError
from publish.langtags import canonical
from publish.metadata import ISO_DATE, LANGUAGE_TAG, Metadata
from publish.normalise.base import Normalised, Source
from publish.normalise.tei_body import TeiConverter
from publish.normalise.words import tei_reading
from publish.tei import TEI_NS, first_text, localname, parse_bytes, tag, xml, xpath

NAME = "tei"
MEDIA_TYPE = "application/tei+xml"


def normalise(source: Source) -> Normalised:
    """Normalise a TEI P5 document into the publish subset."""
    document = parse_bytes(source.data, source.path)
    root = document.getroot()
    if localname(root) == "teiCorpus" and etree.QName(root).namespace == TEI_NS:
        found_tei = root.find(tag("TEI"))
        if found_tei is None:
            raise InputError("teiCorpus holds no TEI document", source.path)
        root = found_tei
    if etree.QName(root).namespace != TEI_NS or localname(root) != "TEI":
        raise UnsupportedFormatError(
            f"not a TEI P5 document: the root element is <{etree.QName(root).localname}> in "
            f"{etree.QName(root).namespace or 'no namespace'} (TEI P5 uses {TEI_NS})", source.path)
    text = root.find(tag("text"))
    if text is None:
        raise InputError("the TEI document has no <text>", source.path)
    converter = TeiConverter(source)
    tei_text = converter.text(text)
    return Normalised(text=tei_text, found=header_metadata(root),
                      decisions=converter.decisions(), assets=converter.assets.items(),
                      encoding=document.docinfo.encoding or "UTF-8",
                      bom=source.data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")),
                      reading=tei_reading(text), reading_of="the text of its text element")


def header_metadata(root: etree._Element) -> Metadata:
    """What the input's teiHeader says: title, authors, date, language, licence, source."""
    header = root.find(tag("teiHeader"))
    if header is None:
        return Metadata()

    def text(expr: str) -> str | None:
        value = first_text(header, expr)
        value = " ".join((value or "").split())
        return value[:500] or None

    title = text("tei:fileDesc/tei:titleStmt/tei:title[@type='main']") or \
        text("tei:fileDesc/tei:titleStmt/tei:title")
    authors = tuple(dict.fromkeys(" ".join("".join(a.itertext()).split())
                                  for a in xpath(header, "tei:fileDesc/tei:titleStmt/tei:author")))
    whens = xpath(header, "tei:fileDesc/tei:sourceDesc//tei:date/@when"
                          " | tei:fileDesc/tei:publicationStmt/tei:date/@when")
    # The first @when whose day, month or year prefix is an ISO date (a time is cut off).
    date = next((prefix for when in whens for prefix in (when[:10], when[:7], when[:4])
                 if ISO_DATE.match(prefix)), None)
    language = root.get(xml("lang")) or first_text(header, "tei:profileDesc/tei:langUsage/tei:language/@ident")
    licence_url = first_text(header, "tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence/@target")
    return Metadata(
        title=title, author=tuple(a for a in authors if a),
        # BCP 47 (TEI xml:lang, HTML lang): an ISO 639-2 "eng" becomes "en".
        date=date, language=canonical(language) if language and LANGUAGE_TAG.match(language) else None,
        source=text("tei:fileDesc/tei:sourceDesc"),
        licence=text("tei:fileDesc/tei:publicationStmt/tei:availability"),
        licence_url=licence_url if licence_url and licence_url.startswith(("http://", "https://")) else None)
