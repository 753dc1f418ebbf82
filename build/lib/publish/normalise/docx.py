"""Word (DOCX, ECMA-376 / ISO/IEC 29500 WordprocessingML) → TEI P5.

The package is read by :mod:`publish.normalise.safezip` (capped, in memory,
names checked), then mammoth (≥ 1.11) turns the WordprocessingML into HTML by
paragraph and run styles, with external file access off; that HTML goes
through the one HTML→TEI mapping (:mod:`publish.normalise.xhtml_to_tei`).
Metadata comes from the core properties (ECMA-376 Part 2, §11, ``docProps/core.xml``:
Dublin Core ``dc:title``, ``dc:creator``, ``dc:language``, ``dcterms:created``).
Like pandoc's Docx reader, this says what it supports:

- [x] headings by style name, English (``heading 1``…``heading 6``, ``Title``) and
      localized (``Überschrift 1``, ``Titre 1``, ``Заголовок 1``, ``見出し 1``, …) → ``div``/``head``
- [x] paragraphs; ``Quote``, ``Intense Quote``, ``Block Text`` (and localized) → ``quote``
- [x] bold, italic, underline, strikethrough, superscript, subscript → ``hi rend=…``
- [x] numbered and bulleted lists, nested, from the numbering definitions → ``list``/``item``
- [x] tables (merged cells as ``cols``/``rows``; header rows marked in Word → ``role="label"``)
- [x] footnotes and endnotes → ``note place="foot"`` at the reference
- [x] hyperlinks (external URLs and bookmarks) → ``ref target``
- [x] embedded images (PNG, JPEG, GIF) with their alt text (``descr``) → ``figure``/``graphic``/``figDesc``,
      copied into the assets
- [x] core properties → title, author(s), date (created), language, description
- [x] line breaks → ``lb``; tracked insertions kept, tracked deletions left out (as Word shows them)
- [x] text typed in the Symbol font (private-use U+F020–U+F0FF) → ``choice``: the character
      as written (``orig``) and its Unicode equivalent (``reg``), which the editions show
- [-] linked images (``r:link``, ``TargetMode="External"``): never fetched; the figure
      keeps the alt text and says why (WARNING)
- [-] images in other formats (EMF, WMF, TIFF, SVG): not included, alt text kept (WARNING)
- [-] text boxes: their paragraphs are kept in the flow
- [ ] comments, headers and footers, fields' results other than hyperlinks, equations (OMML)
- [ ] character styles other than the above, fonts, colours
"""

from __future__ import annotations

import dataclasses
import io

import mammoth
from lxml import etree

from publish.errors import InputError, UnsupportedFormatError
from publish.log import LOGGER
from publish.metadata import ISO_DATE, LANGUAGE_TAG, Metadata
from publish.normalise import safezip
from publish.normalise.base import Normalised, Source
from publish.normalise.document import from_document
from publish.normalise.words import docx_reading
from publish.normalise.xhtml_parse import parse_html
from publish.tei import T, is_depth_limit, limit_reached, safe_parser

NAME = "docx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: Heading style names by language (Word localizes the names it writes).
HEADING_NAMES = ("Heading", "Überschrift", "Titre", "Título", "Titolo", "Kop", "Заголовок",
                 "Nagłówek", "Rubrik", "Overskrift", "Nadpis", "Otsikko", "Címsor", "Başlık",
                 "标题", "標題", "見出し", "제목", "Κεφαλίδα", "כותרת", "عنوان")
QUOTE_NAMES = ("Quote", "Intense Quote", "Block Text", "Zitat", "Intensives Zitat", "Citation",
               "Citation intense", "Cita", "Cita destacada", "Citazione", "Citação", "Citaat",
               "Цитата", "Выделенная цитата", "Cytat", "Citat", "Lainaus", "引用", "引用文")
TITLE_NAMES = ("Title", "Titel", "Titre", "Título", "Titolo", "Название", "Tytuł", "Otsikko", "表題", "标题")


def style_map() -> str:
    """mammoth style mappings for localized heading, title and quotation styles."""
    lines = [f"p[style-name='{name}'] => h1:fresh" for name in TITLE_NAMES]
    for level in range(1, 7):
        lines += [f"p[style-name='{name} {level}'] => h{level}:fresh" for name in HEADING_NAMES]
    lines += [f"p[style-name='{name}'] => blockquote > p:fresh" for name in QUOTE_NAMES]
    lines += ["r[style-name='Strong'] => strong", "r[style-name='Emphasis'] => em"]
    return "\n".join(lines)


def normalise(source: Source) -> Normalised:
    """Normalise a Word document into a TEI ``text`` and its record."""
    if not safezip.looks_like_zip(source.data):
        raise UnsupportedFormatError("not a DOCX file: a DOCX is a zip package, and this is not a zip",
                                     source.path)
    members = safezip.read_members(source.data, source.path)
    check_package(members, source)
    check_depth(members, source)
    images: dict[str, bytes | str] = {}
    result = convert(members, images, source)
    found = core_properties(members, source)
    extra = ("The Word document was read by mammoth, by paragraph and run styles.",)
    skipped = sorted({m.message for m in result.messages})
    if skipped:
        extra += ("Word features not carried over: " + "; ".join(skipped) + ".",)
    normalised = from_document(source, parse_html(result.value or "<p></p>", source.path), found,
                               images=images, local_images=False, extra=extra)
    normalised = dataclasses.replace(
        normalised, reading=docx_reading(members),
        reading_of="the w:t text of word/document.xml, its footnotes and endnotes")
    if b'"Symbol"' in members.get("word/document.xml", b""):
        count = regularise_symbol_font(normalised.text)
        if count:
            decisions = dataclasses.replace(normalised.decisions, normalization=(
                normalised.decisions.normalization + (
                    f"{count} character(s) typed in the Symbol font (private-use code points) are given "
                    "as choice/orig (as written) and reg (the Unicode character).",)))
            title = normalised.found.title and normalised.found.title.translate(SYMBOL_PUA)
            normalised = dataclasses.replace(normalised, decisions=decisions,
                                             found=dataclasses.replace(normalised.found, title=title))
    return normalised


#: The deepest element nesting read from a part (``w:document`` is 1; a paragraph in a
#: table in a table is about 12). mammoth reads by recursion, a dozen frames a level,
#: so deeper parts (tables nested ~35 deep) are refused before it runs.
MAX_XML_DEPTH = 120


def check_depth(members: dict[str, bytes], source: Source) -> None:
    """Refuse a part nested deeper than :data:`MAX_XML_DEPTH`, naming it and its depth."""
    for name in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
        if name not in members:
            continue
        too_deep = InputError(f"{name} nests elements more than {MAX_XML_DEPTH} deep (tables in "
                              "tables, say); refused: mammoth, which reads Word files, cannot "
                              "follow deeper", source.path)
        depth = 0
        try:
            for event, element in etree.iterparse(io.BytesIO(members[name]), events=("start", "end"),
                                                  resolve_entities=False, no_network=True,
                                                  huge_tree=True):
                depth += 1 if event == "start" else -1
                if depth > MAX_XML_DEPTH:
                    raise too_deep
                if event == "end":
                    element.clear(keep_tail=True)
        except etree.XMLSyntaxError as err:
            # lxml parses ahead of the events it hands out, so libxml2's own depth
            # limit (2048 with huge_tree) can stop the parse before the count does.
            if is_depth_limit(err):
                raise too_deep from None
            if limit_reached(err):
                raise InputError(f"{name} is beyond libxml2's limits ({err.msg}); refused",
                                 source.path) from None
            raise InputError(f"{name} is not well-formed XML (line {err.lineno}: {err.msg})",
                             source.path) from None


#: The Symbol font's encoding (Adobe Symbol, as Word keys it at U+F000 + code) → Unicode.
SYMBOL = dict(zip(range(0x20, 0x7F),
                  " !∀#∃%&∋()∗+,−./0123456789:;<=>?≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_‾αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼", strict=True))  # noqa: E501  one table row
SYMBOL.update(zip(range(0xA1, 0xF3),
                  "ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…⏐⎯↵ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓◊〈®©™∑⎛⎜⎝⎡⎢⎣⎧⎨⎩⎪\uf8ff〉∫", strict=True))  # noqa: E501  one table row
#: The private-use code point Word writes (U+F020–U+F0FF) → its Unicode character;
#: the Apple logo (U+F8FF, itself private use) has no standard equivalent and is left out.
SYMBOL_PUA = {0xF000 + code: char for code, char in SYMBOL.items() if char != "\uf8ff"}


def regularise_symbol_font(text: etree._Element) -> int:
    """Symbol-font private-use characters → ``choice``/``orig``/``reg`` (TEI P5 §3.5); the count."""
    count = 0
    for element in list(text.iter()):
        for attribute in ("text", "tail"):
            value = getattr(element, attribute)
            if not value or not any(ord(c) in SYMBOL_PUA for c in value):
                continue
            setattr(element, attribute, None)
            parent, before = (element, None) if attribute == "text" else (element.getparent(), element)
            pieces = []
            for char in value:
                if ord(char) in SYMBOL_PUA:
                    pieces.append(T.choice(T.orig(char), T.reg(SYMBOL_PUA[ord(char)])))
                    count += 1
                elif pieces and isinstance(pieces[-1], str):
                    pieces[-1] += char
                else:
                    pieces.append(char)
            insert_pieces(parent, before, pieces)
    return count


def insert_pieces(parent: etree._Element, before: etree._Element | None, pieces: list) -> None:
    """Put strings and elements where a text (``before`` is None) or a tail was."""
    index = 0 if before is None else parent.index(before) + 1
    anchor = before
    for piece in pieces:
        if isinstance(piece, str):
            if anchor is None:
                parent.text = (parent.text or "") + piece
            else:
                anchor.tail = (anchor.tail or "") + piece
        else:
            parent.insert(index, piece)
            index += 1
            anchor = piece


def check_package(members: dict[str, bytes], source: Source) -> None:
    """A WordprocessingML package, and XML without DTDs (entity expansion attacks)."""
    if "word/document.xml" not in members and "[Content_Types].xml" not in members:
        raise UnsupportedFormatError("not a DOCX file: the zip holds no Word document", source.path)
    for name, data in members.items():
        if name.endswith((".xml", ".rels")) and b"<!DOCTYPE" in data[:4096].upper():
            raise InputError(f"zip member {name!r} declares a DTD, which Word never writes", source.path)


def convert(members: dict[str, bytes], images: dict[str, bytes | str], source: Source):
    """mammoth's HTML for the package; images go to ``images`` under made-up names."""

    def image(picture) -> dict:
        name = f"docx-image:{len(images) + 1}"
        try:
            with picture.open() as stream:
                images[name] = stream.read(50 * 1024 * 1024 + 1)
        except (OSError, KeyError, mammoth.docx.files.InvalidFileReferenceError) as err:
            LOGGER.debug("image not opened: %s", err)
            images[name] = "a linked (external) image is never fetched"
        return {"src": name}

    try:
        return mammoth.convert_to_html(
            io.BytesIO(safezip.pack_stored(members)), style_map=style_map(),
            include_embedded_style_map=False, external_file_access=False,
            convert_image=mammoth.images.img_element(image))
    except (KeyError, ValueError, AttributeError, IndexError, etree.LxmlError) as err:
        raise InputError(f"not a readable Word document: {type(err).__name__}: {err}", source.path) from None
    except Exception as err:  # mammoth's XML parser raises its own kinds
        if type(err).__module__.startswith(("mammoth", "xml")):
            raise InputError(f"not a readable Word document: {err}", source.path) from None
        raise


CORE = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}


def core_properties(members: dict[str, bytes], source: Source) -> Metadata:
    """Title, creators, created date, language and description from ``docProps/core.xml``."""
    data = members.get("docProps/core.xml")
    if not data:
        return Metadata()
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError:
        LOGGER.info("%s: docProps/core.xml is not well-formed; no metadata taken", source.path)
        return Metadata()

    def value(path: str) -> str | None:
        found = root.find(path, CORE)
        text = " ".join((found.text or "").split()) if found is not None else ""
        return text or None

    creators = value("dc:creator")
    authors = tuple(a.strip() for a in (creators or "").split(";") if a.strip())
    date = (value("dcterms:created") or "")[:10]
    language = value("dc:language")
    return Metadata(
        title=value("dc:title"), author=authors,
        date=date if ISO_DATE.match(date) and not date.startswith(("1601", "1899", "1900")) else None,
        language=language if language and LANGUAGE_TAG.match(language) else None,
        source=value("dc:description"))

