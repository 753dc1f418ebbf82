"""The PDF's page numbers in the EPUB: pagebreak markers and the page list (EPUB 3.3 §7.4.3; DPUB-ARIA).

Each page start found in the PDF's layout (:mod:`publish.render.pages`) becomes
an empty ``<span epub:type="pagebreak" role="doc-pagebreak" id="pdf-page-N"
aria-label="N"/>`` at the same place in the EPUB's content document of that
section; the navigation document lists them in a ``page-list`` nav
(``role="doc-pagelist"``). A page that begins at the start of a block gets
its marker just before the block where the content model allows it (in a
section), else as the block's first child (in an ``li``, a ``td``, a ``dd``).
"""

from __future__ import annotations

from lxml import etree

from publish.errors import RenderError
from publish.options import Options
from publish.render.epub.documents import EPUB_TYPE, Document, H, mark_language
from publish.render.pages import BLOCKS, UNCOUNTED, PageStart, block_index, cached_starts, localname, remember, skipped
from publish.tei.master import Master

#: Parents a marker may stand in beside a block: flow content, not a list, a table, a
#: definition list or a figure (whose figcaption must be its first or last child).
FLOW_PARENTS = frozenset({"section", "div", "body", "blockquote", "aside"})


def page_starts(master: Master, options: Options) -> tuple[PageStart, ...]:
    """Where each page of the master's PDF begins: from this run's PDF layout, or laid out now."""
    starts = cached_starts(master, options)
    if starts is None:
        from publish.render.pdf import layout  # WeasyPrint only when the PDF was not made here

        root, document = layout(master, options)
        starts = remember(master, options, root, document)
    return starts


def marker_id(number: int) -> str:
    """The id of page ``number``'s marker."""
    return f"pdf-page-{number}"


def marker(number: int) -> etree._Element:
    """An empty pagebreak marker for page ``number``."""
    span = etree.Element(H + "span", id=marker_id(number))
    span.set(EPUB_TYPE, "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("aria-label", str(number))
    return span


def mark_pages(root: etree._Element, starts: tuple[PageStart, ...]) -> list[int]:
    """Insert a marker for every page start in the sections this tree has; the page numbers marked.

    A content document holds one section, indexed as in the whole XHTML (blocks
    are counted per section), so each document is marked on its own.
    """
    blocks: dict[tuple[str, int], etree._Element] = {}
    for element, key in block_index(root).items():
        if localname(element.tag) in BLOCKS:
            blocks.setdefault(key, element)
    present = {section for section, _position in blocks}
    starts = tuple(start for start in starts if start.section in present)
    for start in starts:
        block = blocks.get((start.section, start.block))
        if block is None:
            raise RenderError(f"page {start.number} of the PDF begins in block {start.block} of "
                              f"#{start.section}, which the EPUB's XHTML does not have")
        insert(block, start.offset, marker(start.number))
    return [start.number for start in starts]


def segments(block: etree._Element):
    """The text of a block, in order, as ``(owner, is_tail)``: its own text and tails, not nested blocks'."""
    yield block, False
    for child in block:
        if isinstance(child.tag, str) and localname(child.tag) not in BLOCKS and not skipped(child):
            yield from segments(child)
        yield child, True


def insert(block: etree._Element, offset: int, span: etree._Element) -> None:
    """Put ``span`` before the ``offset``-th counted character of ``block`` (0: at its start)."""
    if offset == 0:
        parent = block.getparent()
        if parent is not None and localname(parent.tag) in FLOW_PARENTS:
            block.addprevious(span)
            span.tail = None
        else:
            span.tail, block.text = block.text, None
            block.insert(0, span)
        return
    seen = 0
    for owner, is_tail in segments(block):
        text = (owner.tail if is_tail else owner.text) or ""
        for position, char in enumerate(text):
            if char.isspace() or char in UNCOUNTED:
                continue
            if seen == offset:
                place(owner, is_tail, text, position, span)
                return
            seen += 1
    raise RenderError(f"page {span.get('aria-label')} of the PDF begins after the end of its block")


def place(owner: etree._Element, is_tail: bool, text: str, position: int, span: etree._Element) -> None:
    """Split ``owner``'s text (or tail) at ``position`` and put ``span`` there."""
    span.tail = text[position:]
    if is_tail:
        owner.tail = text[:position]
        owner.addnext(span)
    else:
        owner.text = text[:position]
        owner.insert(0, span)


def page_list(documents: list[Document], english: str | None) -> etree._Element | None:
    """The ``page-list`` nav: one link per marker, in page order; ``None`` without markers."""
    where = {element.get("id"): document.file for document in documents
             for element in document.root.iter(H + "span") if element.get(EPUB_TYPE) == "pagebreak"}
    if not where:
        return None
    nav = etree.Element(H + "nav", id="page-list", hidden="hidden")
    nav.set(EPUB_TYPE, "page-list")
    nav.set("role", "doc-pagelist")
    nav.set("aria-labelledby", "page-list-heading")
    heading = etree.SubElement(nav, H + "h2", id="page-list-heading")
    heading.text = "Pages of the PDF edition"
    if english:
        mark_language(heading, english)
    listing = etree.SubElement(nav, H + "ol")
    for identifier in sorted(where, key=lambda name: int(name.rsplit("-", 1)[1])):
        link = etree.SubElement(etree.SubElement(listing, H + "li"), H + "a",
                                href=f"{where[identifier]}#{identifier}")
        link.text = identifier.rsplit("-", 1)[1]
    return nav
