"""Where the PDF's pages begin, from WeasyPrint's own layout, for the EPUB's page list (EPUB 3.3 §7.4.3).

The PDF renderer lays the master out once (:func:`publish.render.pdf.layout`)
and hands the layout here (:func:`remember`); the EPUB renderer of the same
pipeline run asks for the result (:func:`cached_starts`) and gets it without a
second layout. For a master that was not laid out in this process
(``publish epub`` alone, ``--only epub``), the EPUB renderer lays it out
itself, the same way (:func:`publish.render.pdf.layout`).

A page start is a place in the text both editions share, not a guess: the
first text box of page N in WeasyPrint's box tree gives the block element it
belongs to, and the characters of that block already laid out on earlier
pages give the offset. The block is named by its section (``titlepage``,
``text``, ``colophon``) and its position among the blocks of that section,
which the PDF's and the EPUB's XHTML share (:func:`block_index`); offsets
count only characters both show: no white space (collapsed differently),
no soft or inserted hyphens (WeasyPrint adds ``‐`` where it hyphenates), no
generated content (footnote calls, list markers), no running heads, and no
notes (at the foot of the PDF's page, at the end of the EPUB's text).
"""

from __future__ import annotations

import dataclasses
import hashlib

from publish.options import Options
from publish.tei.master import Master

SECTIONS = ("titlepage", "text", "colophon")
#: Elements that hold a run of text of their own; nested ones are blocks of their own.
BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "caption",
                    "figcaption", "pre", "blockquote", "div", "address"})
#: Classes whose subtree is not in both editions' running text (notes and their calls).
SKIPPED_CLASSES = frozenset({"footnote", "noteref"})
#: Characters one edition may show and the other not.
UNCOUNTED = frozenset("\u00ad\u2010\u200b\u200c\u200d\u2060")
_CACHE: dict[tuple[str, str], tuple[PageStart, ...]] = {}
_CACHE_SIZE = 8


@dataclasses.dataclass(frozen=True)
class PageStart:
    """Page ``number`` begins in block ``block`` of ``section``, before counted character ``offset``."""

    number: int
    section: str
    block: int
    offset: int


def countable(text: str) -> int:
    """How many characters of ``text`` count (see the module docstring)."""
    return sum(1 for char in text if not char.isspace() and char not in UNCOUNTED)


def localname(tag) -> str:
    """An element's name without its namespace (lxml's ``{ns}p`` or ElementTree's ``p``)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def skipped(element) -> bool:
    """Whether an element's subtree is left out of the shared text (a note, a note call)."""
    return bool(SKIPPED_CLASSES & set((element.get("class") or "").split()))


def block_index(root) -> dict:
    """Each block element → ``(section, position)``, and each other element → its nearest block's key.

    Works on lxml and ElementTree trees alike, so the EPUB's tree and the one
    WeasyPrint parsed are indexed by the same rule.
    """
    index: dict = {}
    counters = dict.fromkeys(SECTIONS, 0)

    def walk(element, section, block) -> None:
        name = localname(element.tag)
        if not name or skipped(element):
            return
        if name == "section" and element.get("id") in SECTIONS:
            section, block = element.get("id"), None
        if section is not None and name in BLOCKS:
            block = (section, counters[section])
            counters[section] += 1
        if block is not None:
            index[element] = block
        for child in element:
            walk(child, section, block)

    walk(root, None, None)
    return index


def starts_from_layout(root, document) -> tuple[PageStart, ...]:
    """The start of every page of a WeasyPrint ``document`` whose HTML tree is ``root``."""
    from weasyprint.formatting_structure import boxes

    from publish.render.pdf.weasyprint_patch import page_boxes

    index = block_index(root)
    consumed: dict[tuple[str, int], int] = {}
    groups: set[int] = set()
    starts = []

    def walk(box, page: int, found: list) -> None:
        if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)) or "::" in (box.element_tag or ""):
            return
        if isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.is_footer):
            # WeasyPrint repeats a table's thead and tfoot on every page it spans:
            # only the first is the text's own; a repetition begins no page.
            if id(box.element) in groups:
                return
            groups.add(id(box.element))
        if isinstance(box, boxes.TextBox):
            key = index.get(box.element)
            count = countable(box.text)
            if key is None or not count:
                return
            if not found:
                found.append(PageStart(page, key[0], key[1], consumed.get(key, 0)))
            consumed[key] = consumed.get(key, 0) + count
            return
        for child in getattr(box, "children", ()):
            walk(child, page, found)

    for number, page_box in enumerate(page_boxes(document), 1):
        found: list[PageStart] = []
        walk(page_box, number, found)
        if found:
            starts.append(found[0])
    return tuple(starts)


def master_key(master: Master, options: Options) -> tuple[str, str]:
    """What decides the layout: the master's bytes, its images and the templates folder."""
    digest = hashlib.sha256(master.data)
    for url in sorted(master.assets):
        digest.update(url.encode("utf-8") + hashlib.sha256(master.assets[url]).digest())
    return digest.hexdigest(), str(options.templates)


def remember(master: Master, options: Options, root, document) -> tuple[PageStart, ...]:
    """Keep the page starts of the PDF renderer's layout for the EPUB of the same master."""
    starts = starts_from_layout(root, document)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[master_key(master, options)] = starts
    return starts


def cached_starts(master: Master, options: Options) -> tuple[PageStart, ...] | None:
    """The page starts this process's PDF renderer found for the master, or ``None``.

    The caller lays the master out itself when there are none
    (:func:`publish.render.epub.pagebreaks.page_starts`); this module imports
    no renderer, so the PDF renderer can import it.
    """
    return _CACHE.get(master_key(master, options))
