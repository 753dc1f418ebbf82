"""Plain text → TEI P5, losslessly.

Follows TEI P5 Guidelines ch. 3 ("Elements Available in All TEI Documents":
``p``, ``lb``, ``q``, ``choice``/``orig``/``reg``) and ch. 17 (``pc``).
The source text can be regenerated exactly from the TEI: see
:mod:`publish.tei.text`. ``<text>`` carries ``xml:space="preserve"`` because
the whitespace between and inside paragraphs is the source's own.

Supports:

- [x] UTF-8 with or without a BOM; UTF-16 and UTF-32 with a BOM
- [x] legacy encodings detected (GB18030, Windows-1252, Shift_JIS, ...);
      refused when detection is unsure; forced by the sidecar's ``encoding``
- [x] paragraphs separated by blank lines → ``<p>``
- [x] line breaks inside a paragraph → ``<lb/>``, the newline kept
- [x] a short first line with no final punctuation → ``<head>`` and the title
- [x] no heading: a title supplied from the opening words, marked ``type="supplied"``
- [x] a date in the first lines (``2023-01-29``, ``29 January 2023``,
      ``January 29, 2023``) → the source date
- [x] balanced “…” and «…» → ``<q>``, the marks kept inside
- [x] unbalanced quotation marks → ``<pc type="unbalanced-quote">``, kept
- [x] CRLF or CR line endings → LF, recorded and restored by ``publish text``;
      mixed line endings kept verbatim
- [x] text not in Unicode NFC → ``<choice><orig>…</orig><reg>NFC</reg></choice>``
- [x] characters XML 1.0 cannot carry → an error naming line and column
- [-] straight quotes ``"`` and ``'``: kept as they are, not paired
- [ ] „German“ quotation marks (the closing mark is English's opening one)
- [ ] lists, tables and indented block quotations: kept as paragraphs
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from publish.errors import InputError
from publish.metadata import Metadata
from publish.normalise.base import Normalised, Source
from publish.normalise.decode import decode
from publish.normalise.structure import append_text
from publish.normalise.titles import supplied_title
from publish.tei import T, xml
from publish.tei.header import Decisions

NAME = "text"
MEDIA_TYPE = "text/plain"

#: A block: a line holding some non-space, then more such lines.
BLOCK = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
#: Inline events in a block: newline, opening and closing quotation marks.
INLINE = re.compile(r"(?P<newline>\n)|(?P<mark>[“”«»])")
OPENERS = {"“": "”", "«": "»"}
CLOSERS = {"”", "»"}
HEADING_MAX = 120
MONTHS = ("january february march april may june july august september "
          "october november december").split()
DATE_PATTERNS = (
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)? (?P<month>[A-Za-z]+),? (?P<y>\d{4})\b"),
    re.compile(r"\b(?P<month>[A-Za-z]+) (?P<d>\d{1,2})(?:st|nd|rd|th)?, (?P<y>\d{4})\b"),
)


def normalise(source: Source) -> Normalised:
    """Normalise a plain-text source into a TEI ``text`` and its record."""
    decoded = decode(source.data, source.path, source.encoding)
    text, line_endings = unify_line_endings(decoded.text)
    blocks = list(BLOCK.finditer(text))
    if not blocks:
        raise InputError("no text: the file holds only whitespace", source.path)
    heading = blocks[0] if looks_like_heading(blocks) else None
    stats = InlineStats()
    body = T.body()
    append_text(body, text[:blocks[0].start()])
    for index, block in enumerate(blocks):
        element = T.head() if block is heading else T.p()
        build_inline(element, block.group(), stats)
        body.append(element)
        following = blocks[index + 1].start() if index + 1 < len(blocks) else len(text)
        element.tail = text[block.end():following]
    tei_text = T.text(body)
    tei_text.set(xml("space"), "preserve")
    return Normalised(
        text=tei_text,
        found=found_metadata(text, blocks, heading),
        encoding=decoded.encoding, bom=decoded.bom, line_endings=line_endings,
        decisions=decisions(decoded.encoding, line_endings, stats, heading is not None),
        reading=decoded.text, reading_of="its decoded text",
    )


def unify_line_endings(text: str) -> tuple[str, str]:
    """CRLF or CR → LF when the file uses one convention; mixed ones are kept."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, count in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if count]
    if not kinds:
        return text, "none"
    if len(kinds) > 1:
        return text, "mixed"
    if kinds == ["CRLF"]:
        return text.replace("\r\n", "\n"), "CRLF"
    if kinds == ["CR"]:
        return text.replace("\r", "\n"), "CR"
    return text, "LF"


def looks_like_heading(blocks: list[re.Match]) -> bool:
    """A first block of one short line, not ending like a sentence, with text after it."""
    first = blocks[0].group().strip()
    return (len(blocks) > 1 and "\n" not in first and len(first) <= HEADING_MAX
            and not first.endswith((".", ",", ";", ":", "。", "，")))


class InlineStats:
    """Counts of what the inline pass marked, for the editorial record."""

    def __init__(self) -> None:
        self.quotes = 0
        self.unbalanced = 0
        self.not_nfc = 0
        self.line_breaks = 0


def build_inline(parent: etree._Element, block: str, stats: InlineStats) -> None:
    """Fill ``parent`` with the block's text, ``lb``, ``q``, ``pc`` and ``choice``."""
    pairs = pair_quotes(block)
    stack = [parent]
    position = 0
    for event in INLINE.finditer(block):
        append_nfc_text(stack[-1], block[position:event.start()], stats)
        position = event.end()
        if event.group("newline"):
            append_text(stack[-1], "\n")
            stack[-1].append(T.lb())
            stats.line_breaks += 1
        elif event.start() not in pairs:
            mark = T.pc(event.group(), type="unbalanced-quote")
            stack[-1].append(mark)
            stats.unbalanced += 1
        elif event.group() in OPENERS:
            quote = T.q(event.group())
            stack[-1].append(quote)
            stack.append(quote)
            stats.quotes += 1
        else:
            append_text(stack[-1], event.group())
            stack.pop()
    append_nfc_text(stack[-1], block[position:], stats)


def pair_quotes(block: str) -> set[int]:
    """Offsets of the quotation marks that pair up; the rest are unbalanced."""
    paired: set[int] = set()
    open_marks: list[tuple[int, str]] = []
    for found in re.finditer("[“”«»]", block):
        mark = found.group()
        if mark in OPENERS:
            open_marks.append((found.start(), mark))
        elif open_marks and OPENERS[open_marks[-1][1]] == mark:
            paired.update((open_marks.pop()[0], found.start()))
    return paired


def append_nfc_text(parent: etree._Element, text: str, stats: InlineStats) -> None:
    """Append text; clusters not in NFC become ``choice`` with ``orig`` and ``reg``."""
    if unicodedata.is_normalized("NFC", text):
        append_text(parent, text)
        return
    for cluster in clusters(text):
        if unicodedata.is_normalized("NFC", cluster):
            append_text(parent, cluster)
        else:
            parent.append(T.choice(T.orig(cluster), T.reg(unicodedata.normalize("NFC", cluster))))
            stats.not_nfc += 1


def clusters(text: str) -> list[str]:
    """Split text into runs that NFC normalises independently.

    A run starts at a character of canonical combining class 0 (a starter).
    If the pieces do not normalise as the whole does (Hangul jamo, for
    example), the whole text is one run: correct, if coarser.
    """
    runs: list[str] = []
    for char in text:
        if runs and unicodedata.combining(char):
            runs[-1] += char
        else:
            runs.append(char)
    whole = unicodedata.normalize("NFC", text)
    if "".join(unicodedata.normalize("NFC", run) for run in runs) != whole:
        return [text]
    return runs


def found_metadata(text: str, blocks: list[re.Match], heading: re.Match | None) -> Metadata:
    """The title (a heading, or supplied from the opening words) and a date, if any."""
    if heading is not None:
        title, supplied = " ".join(heading.group().split()), False
    else:
        title, supplied = supplied_title(blocks[0].group()), True
    opening = "\n".join(text.split("\n")[:5])
    return Metadata(title=title, title_supplied=supplied, date=find_date(opening))


def find_date(text: str) -> str | None:
    """A full calendar date written in ``text``, as ``YYYY-MM-DD``, or ``None``."""
    for pattern in DATE_PATTERNS:
        for found in pattern.finditer(text):
            parts = found.groupdict()
            month = (int(parts["m"]) if parts.get("m")
                     else MONTHS.index(parts["month"].lower()) + 1
                     if parts["month"].lower() in MONTHS else 0)
            if 1 <= month <= 12 and 1 <= int(parts["d"]) <= 31:
                return f"{parts['y']}-{month:02d}-{int(parts['d']):02d}"
    return None


def decisions(encoding: str, line_endings: str, stats: InlineStats, heading: bool) -> Decisions:
    """The editorial record: what was normalised and how to undo it."""
    normalization = [f"The source was decoded from {encoding}."]
    if line_endings in ("CRLF", "CR"):
        normalization.append(f"{line_endings} line endings were converted to LF; "
                             f"the sourceDesc records them and 'publish text' restores them.")
    elif line_endings == "mixed":
        normalization.append("Line endings are mixed and were kept verbatim "
                             "(CR characters are written as character references).")
    if stats.not_nfc:
        normalization.append(f"{stats.not_nfc} sequence(s) not in Unicode NFC are given as "
                             f"choice/orig (the source) and reg (NFC).")
    else:
        normalization.append("The text is in Unicode NFC; no character was changed.")
    quotation = [
        "Quotation marks are kept in the text.",
        f"{stats.quotes} balanced pair(s) of “…” or «…» are marked with q.",
        f"{stats.unbalanced} unbalanced quotation mark(s) are marked with pc type='unbalanced-quote'.",
    ]
    segmentation = [
        "Blocks separated by blank lines are paragraphs"
        + ("; the first, a short line, is the heading." if heading else "."),
        f"{stats.line_breaks} line break(s) inside paragraphs are marked with lb; the newline is kept.",
        "All whitespace of the source is kept (xml:space='preserve').",
    ]
    return Decisions(normalization=tuple(normalization), quotation=tuple(quotation),
                     segmentation=tuple(segmentation))
