"""Normalisers: one module per input format, each turning bytes into TEI.

``NORMALISERS`` is the registry, a literal table like pandoc's ``readers``:
a new format is one module, one line here, one test file and one golden pair.
Each row is ``(name, module, suffixes, sniff)``, where ``sniff(data)`` says
whether the bytes look like the format, so a suffix that lies is caught.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from lxml import etree

from publish import pronom
from publish.errors import InputError, UnsupportedFormatError
from publish.layout import seed_problem, sidecar_path
from publish.log import LOGGER
from publish.metadata import Metadata, load_sidecar
from publish.normalise import docx, html, language, markdown, tei, text, words
from publish.normalise.base import Normalised, Source
from publish.normalise.safezip import looks_like_zip
from publish.options import Options
from publish.tei import T, xml
from publish.tei.header import SourceRecord, build_header
from publish.tei.validate import check_publish_schema


def _is_text(data: bytes) -> bool:
    return b"\x00" not in data[:4096] or data.startswith((b"\xff\xfe", b"\xfe\xff"))


def _is_markup(data: bytes) -> bool:
    """Text whose first non-space character (after a BOM) is ``<``: XML or HTML."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[2:4096].replace(b"\x00", b"").lstrip()
    return _is_text(data) and head.startswith(b"<")


NORMALISERS = (
    # name        module    suffixes                                    sniff
    ("text",      text,     (".txt", ".text"),                          _is_text),
    ("markdown",  markdown, (".md", ".markdown", ".mdown", ".mkd"),     _is_text),
    ("html",      html,     (".html", ".htm", ".xhtml", ".html5"),      _is_text),
    ("docx",      docx,     (".docx",),                                 looks_like_zip),
    ("tei",       tei,      (".xml", ".tei"),                           _is_markup),
)


def normaliser_for(path: Path, data: bytes):
    """The normaliser module for a file, by suffix, checked against its content."""
    suffix = path.suffix.lower()
    for name, module, suffixes, sniff in NORMALISERS:
        if suffix in suffixes:
            if not sniff(data) and data:
                raise UnsupportedFormatError(
                    f"the suffix {suffix} says {name}, but the content is not {name}", path)
            return module
    known = ", ".join(seed_suffixes())
    raise UnsupportedFormatError(f"no normaliser for {suffix or 'files without a suffix'} "
                                 f"(known: {known})", path)


def seed_suffixes() -> tuple[str, ...]:
    """Every suffix some normaliser takes."""
    return tuple(s for row in NORMALISERS for s in row[2])


def read_source(path: Path) -> Source:
    """Read a seed and its sidecar, if it has one."""
    path = Path(path)
    problem = seed_problem(path)
    if problem:
        raise InputError(problem, path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", path) from None
    sidecar = sidecar_path(path)
    meta = load_sidecar(sidecar) if sidecar.is_file() and sidecar != path else Metadata()
    return Source(path=path, data=data, sidecar=meta)


def normalise_source(source: Source, options: Options) -> etree._ElementTree:
    """Normalise a source into a complete, schema-valid TEI document."""
    return normalise_with_assets(source, options)[0]


def normalise_with_assets(source: Source, options: Options
                          ) -> tuple[etree._ElementTree, tuple[tuple[str, bytes], ...]]:
    """The TEI document and its assets ``(name, bytes)``: images its ``graphic/@url`` names.

    ``graphic/@url`` is ``<id>_assets/<name>``, relative to the TEI file, so the
    assets go in that folder beside it (:meth:`publish.layout.Layout.assets`).
    """
    found = pronom.identify_bytes(source.path.name, source.data)
    problem = pronom.contradiction(source.path.suffix, found)
    if problem:  # before any normaliser reads it: a misleading edition is worse than none
        raise UnsupportedFormatError(f"{problem}; refused: rename or convert the file", source.path)
    module = normaliser_for(source.path, source.data)
    result: Normalised = module.normalise(source)
    result = with_words_checked(result, source)
    meta = source.sidecar.over(result.found)
    record = SourceRecord(
        filename=source.path.name, size=len(source.data),
        sha256=hashlib.sha256(source.data).hexdigest(), media_type=module.MEDIA_TYPE,
        normaliser=module.NAME, encoding=result.encoding, bom=result.bom,
        line_endings=result.line_endings,
        **(dict(puid=found.puid, format_name=found.title, format_cert=found.certainty,
                identified_by=(pronom.tool().version, pronom.tool().signatures)) if found.known else {}))
    usage = language.settle(result.text, meta.language, source.path)
    root = T.TEI()
    root.set(xml("lang"), usage.tag)
    root.append(build_header(source.identifier, meta, record, result.decisions, options, usage))
    root.append(result.text)
    tree = root.getroottree()
    check_publish_schema(tree, source.path)
    LOGGER.info("%s: normalised with the %s normaliser", source.path, module.NAME)
    return tree, result.assets


def with_words_checked(result: Normalised, source: Source) -> Normalised:
    """The result with the words-in = words-out check recorded first in ``normalization``."""
    if result.reading is None:
        return result
    sentence = words.check(result.reading, result.text, source.path, result.reading_of)
    decisions = dataclasses.replace(result.decisions,
                                    normalization=(sentence,) + result.decisions.normalization)
    return dataclasses.replace(result, decisions=decisions)


def normalise_file(path: Path, options: Options) -> etree._ElementTree:
    """Read a seed (and its sidecar) and normalise it."""
    return normalise_source(read_source(path), options)
