"""Words in = words out: every word of the source's visible text is in the TEI, in order.

Each normaliser gives, beside its TEI, an independent *reading* of the
source's visible text (:attr:`publish.normalise.base.Normalised.reading`): for
HTML, Markdown (its rendered HTML) the HTML5 parser's text (HTML Living Standard
§13.2) without what is never shown; for DOCX the ``w:t`` text of
``word/document.xml``, then the footnotes and endnotes (ECMA-376 Part 1 §17.3.3.31,
§17.11); for TEI the text of the input's ``text``; for plain text the decoded
text. :func:`check` finds each of its words in the TEI ``text`` (TEI P5 §3),
whitespace aside, in order, and says so in a sentence for the header's
``editorialDecl``; a word that is not there is an error naming the first
missing words and where they were, so no silent loss can land again.

The reading leaves out only what no reader of the source sees as text: the
``head`` (its title is the header's), ``script``, ``style``, ``template``, form
controls' values, and a link to a place in the same page whose text has no
letter and at most eight characters (note marks ``[1]``, ``[1:2]`` and back-links ``↩``,
which the renderers number anew). Of a TEI ``choice`` both readings take the
text as written, not its regularisation. Notes stand at their reference in the TEI
but after the text in the source: the TEI is read with its notes last.
"""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree

from publish.errors import InvalidTEIError
from publish.tei import TEI_NS

#: HTML elements whose content is never shown as text of the document.
UNSHOWN = {"head", "script", "style", "template", "textarea", "select", "input", "button"}
TEI = f"{{{TEI_NS}}}"
NOTE, CHOICE = TEI + "note", TEI + "choice"
#: A ``choice``'s children that hold the text as the source has it (TEI P5 §3.5).
AS_WRITTEN = {"orig", "sic", "abbr"}
#: Elements that end a word however they are written (``<td>a</td><td>b</td>`` is two).
BREAKS = {"p", "div", "li", "td", "th", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6",
          "blockquote", "dt", "dd", "section", "article", "table", "pre", "hr", "figcaption",
          "caption", "body", "ul", "ol", "dl", "aside", "header", "footer", "nav", "main"}


def html_reading(document: etree._Element) -> str:
    """The visible text of an lxml.html document, by a work list (any depth)."""
    out: list[str] = []
    work: list = [document]
    while work:
        node = work.pop()
        if isinstance(node, str):
            out.append(node)
            continue
        name = node.tag.rsplit("}", 1)[-1].lower() if isinstance(node.tag, str) else ""
        if name in UNSHOWN or (name == "a" and is_mark(node)):
            out.append(" ")  # the TEI may hold a mark of its own there (a second reference)
            continue
        if name:  # comments and processing instructions show nothing but their tail
            out.append(node.text or "")
        if name in BREAKS:
            out.append(" ")
        for child in reversed(node):
            work.append(child.tail or "")
            work.append(child)
    return "".join(out)


def is_mark(link: etree._Element) -> bool:
    """A link within the page whose text is a note mark or a back-link, not words."""
    text = "".join(link.itertext()).strip()
    return ((link.get("href") or "").startswith("#") and len(text) <= 8
            and not any(c.isalpha() for c in text))


def tei_parts(text: etree._Element) -> tuple[str, list[str]]:
    """A TEI ``text``'s words outside its notes, and each note's words (any depth)."""
    body: list[str] = []
    notes: list[etree._Element] = []
    work: list = [text]
    while work:
        node = work.pop()
        if isinstance(node, str):
            body.append(node)
            continue
        if node.tag == NOTE and node is not text:
            notes.append(node)
            continue
        # Markup in another namespace (egXML, MathML) is kept as its XML, escaped:
        # its elements' boundaries are word boundaries there.
        foreign = is_foreign(node)
        if isinstance(node.tag, str):  # a comment's or an instruction's text is not shown
            body.append(" " + escape(node.text or "") if foreign else node.text or "")
        for child in reversed(in_reading_order(node)):
            tail = child.tail or ""
            work.append(" " + escape(tail) if is_foreign(child) or foreign else tail)
            work.append(child)
    return "".join(body), ["".join(tei_parts(note)[0]) for note in notes]


def is_foreign(node) -> bool:
    return isinstance(node.tag, str) and not node.tag.startswith(TEI)


def escape(text: str) -> str:
    """Text as XML writes it: foreign markup is kept in the TEI as its serialisation."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def in_reading_order(element: etree._Element) -> list[etree._Element]:
    """The children read: of a ``choice``, only the text as written (``orig``, ``sic``, ``abbr``).

    The regularised side (``reg``, ``corr``, ``expan``) is the encoder's, and may
    split a source word (``<orig>\uf061</orig><reg>α</reg>``), so both readings skip it.
    """
    children = list(element)
    if element.tag == CHOICE:
        written = [c for c in children if etree.QName(c).localname in AS_WRITTEN]
        return written or children
    return children


def tei_reading(text: etree._Element) -> str:
    """A TEI ``text`` read with its notes last: the reading of a TEI source."""
    body, notes = tei_parts(text)
    return " ".join([body, *notes])


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: WordprocessingML elements that end a word: tab, breaks, paragraph, cell, and a
#: symbol (``w:sym``, a glyph of a font, not text; mammoth gives it a character).
W_BREAKS = {f"{{{W_NS}}}{name}" for name in ("tab", "br", "cr", "p", "tc", "sym")}


def docx_reading(members: dict[str, bytes]) -> str:
    """The ``w:t`` text of the document, then of its footnotes and endnotes, streamed.

    ``mc:Fallback`` is skipped: it repeats its ``mc:Choice`` for older readers.
    """
    out: list[str] = []
    for name in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
        if name not in members:
            continue
        skipping = 0
        events = etree.iterparse(io.BytesIO(members[name]), events=("start", "end"),
                                 resolve_entities=False, no_network=True, huge_tree=True)
        for event, element in events:
            if element.tag == MC_FALLBACK:
                skipping += 1 if event == "start" else -1
            elif event == "end" and not skipping:
                if element.tag == W_T:
                    out.append(element.text or "")
                elif element.tag in W_BREAKS:
                    out.append(" ")
            if event == "end" and element.getparent() is not None and not skipping:
                element.clear(keep_tail=True)  # a streamed read: memory stays flat
        out.append(" ")
    return "".join(out)


W_T = f"{{{W_NS}}}t"


def check(reading: str, text: etree._Element, source: Path, what: str) -> str:
    """The sentence recording that every word of ``reading`` is in ``text``; else an error."""
    words = reading.split()
    body, notes = tei_parts(text)
    target = "".join(body.split())
    notes_start = len(target)
    target += "".join("".join(note.split()) for note in notes)
    position, missing = 0, []
    for index, word in enumerate(words):
        found = target.find(word, position)
        if found < 0 and position > notes_start:
            found = target.find(word, notes_start)  # notes may be met in another order
        if found < 0:
            missing.append(index)
            continue
        position = found + len(word)
    if missing:
        first = missing[0]
        shown = " ".join(words[i] for i in missing[:8])
        before = " ".join(words[max(0, first - 6):first])
        raise InvalidTEIError(
            f"{len(missing):,} of the {len(words):,} words of the source ({what}) are not in the "
            f"TEI text, the first at word {first + 1:,}"
            + (f", after “{shorten(before)}”" if before else "")
            + f": “{shorten(shown)}”; this is a bug in publish, please report it", source)
    return f"All {len(words):,} words of the source ({what}) are in the text, in order (checked by publish)."


def shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
