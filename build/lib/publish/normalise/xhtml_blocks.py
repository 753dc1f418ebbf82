"""The HTML→TEI converter's blocks: headings, paragraphs, quotations, rules, lists, tables.

TEI P5 Guidelines ch. 3 (``p``, ``quote``, ``list``/``item``/``label``, ``ab``),
ch. 4 (``head``, from the heading levels; :func:`publish.normalise.structure.sectioned`
nests them into ``div``), ch. 14.1 (``table``/``row``/``cell`` with ``role="label"``,
``cols`` and ``rows``), ch. 1.3 (``milestone`` for ``hr``).
"""

from __future__ import annotations

from lxml import etree

from publish.normalise import structure
from publish.normalise.structure import Heading, fill
from publish.normalise.xhtml_notes import is_notes_container
from publish.tei import T, localname

#: What may not stay inside a heading: it is moved after it.
MOVED_OUT = {"table", "list", "quote", "figure", "milestone", "p", "ab"}


class BlockElements:
    """Handlers ``html_<name>`` for HTML's block elements, mixed into the converter.

    They use the converter's walking (``children``, ``convert``, ``phrase``),
    its ``ids`` and its ``note_refs`` (:class:`publish.normalise.xhtml_to_tei.Converter`).
    """

    def heading(self, element: etree._Element, level: int, top: bool) -> list:
        # A table, list, quotation or figure inside a heading (the HTML5 parser puts one
        # there after an unclosed <h1>, as browsers do) follows the heading instead:
        # no reading system shows a table in a heading.
        pieces = self.children(element)
        after = [p for p in pieces if not isinstance(p, str) and localname(p) in MOVED_OUT]
        head = fill(T.head(), [p for p in pieces if not any(p is a for a in after)], "phrase")
        ids = [element.get("id")] + [a.get("id") or a.get("name") for a in element.iter("a")]
        parent = element.getparent()
        if parent is not None and parent.tag in ("section", "article") and parent.get("id"):
            ids.append(parent.get("id"))
        return [Heading(level, head, tuple(i for i in ids if i)), *after]

    def html_p(self, element, top):
        p = self.phrase(T.p(), element)
        self.ids.bind([element.get("id")], p)
        if len(p) == 1 and localname(p[0]) == "figure" and not "".join(
                [p.text or "", p[0].tail or ""]).strip():
            return [p[0]]  # an image alone in its paragraph is a figure of its own
        return [p] if structure.has_content(p) else []

    def html_pre(self, element, top):
        self.preformatted += 1
        try:
            block = fill(T.ab(type="pre"), self.children(element), "phrase")
        finally:
            self.preformatted -= 1
        return [block]

    def html_blockquote(self, element, top):
        pieces = self.children(element)
        if not any(structure.kind(p) != "text" or p.strip() for p in pieces):
            return []
        return [fill(T.quote(), pieces, "flex")]

    def html_hr(self, element, top):
        parent = element.getparent()
        if "footnote" in (element.get("class") or "") or (parent is not None and is_notes_container(parent)):
            return []  # the rule above a list of notes: the renderers draw their own
        return [T.milestone(unit="section", rend="rule")]

    def html_ul(self, element, top):
        return self.list(element, "unordered")

    def html_ol(self, element, top):
        return self.list(element, "ordered")

    def html_dir(self, element, top):
        return self.list(element, "unordered")

    def html_menu(self, element, top):
        return self.list(element, "unordered")

    def list(self, element: etree._Element, kind: str) -> list:
        items = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "li":
                if child.get("id") in self.note_refs:
                    continue
                items.append(fill(T.item(), self.children(child), "flex"))
            else:
                pieces = self.convert(child)
                if pieces:
                    items.append(fill(T.item(), pieces, "flex"))
        if not items:
            return []
        return [T.list(*items, type=kind)]

    def html_dl(self, element, top):
        pairs: list[tuple[list, list]] = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "dt":
                if pairs and not pairs[-1][1]:
                    pairs[-1][0].extend([" "] + self.children(child))
                else:
                    pairs.append((self.children(child), []))
            else:
                content = self.children(child) if child.tag == "dd" else self.convert(child)
                if not pairs or pairs[-1][1]:
                    pairs.append(([], []))
                pairs[-1][1].extend(content)
        if not pairs:
            return []
        gloss = T.list(type="gloss")
        for term, description in pairs:
            gloss.append(fill(T.label(), term, "limited"))
            gloss.append(fill(T.item(), description, "flex"))
        return [gloss]

    def html_table(self, element, top):
        table = T.table()
        caption = element.find("caption")
        if caption is not None:
            head = self.phrase(T.head(), caption)
            if structure.has_content(head):
                table.append(head)
        for tr in table_rows(element):
            row = T.row()
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            for cell in cells:
                tei_cell = fill(T.cell(), self.children(cell), "flex")
                if cell.tag == "th":
                    tei_cell.set("role", "label")
                for attribute, name in (("colspan", "cols"), ("rowspan", "rows")):
                    value = (cell.get(attribute) or "").strip()
                    if value.isdigit() and int(value) > 1:
                        tei_cell.set(name, str(min(int(value), 1000)))
                row.append(tei_cell)
            if not len(row):
                continue
            in_head = tr.getparent() is not None and tr.getparent().tag == "thead"
            if in_head or all(c.tag == "th" for c in cells):
                row.set("role", "label")
            table.append(row)
        if not any(localname(c) == "row" for c in table):
            return [structure.heading_as_block(Heading(0, table[0]))] if len(table) else []
        return [table]


def table_rows(table: etree._Element) -> list[etree._Element]:
    """The rows of a table in order (thead, tbody, tfoot, or bare), not of nested tables."""
    rows = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if isinstance(r.tag, str) and r.tag == "tr")
    return rows
