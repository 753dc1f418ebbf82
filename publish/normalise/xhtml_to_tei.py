"""HTML → TEI: the one mapping shared by the HTML, Markdown and DOCX normalisers.

Markdown (through markdown-it-py) and DOCX (through mammoth) are first turned
into HTML, so one mapping, and one set of safety rules, serves all three.
The HTML is an lxml.html tree (HTML Living Standard parsing, as libxml2 does it).
The TEI follows the TEI P5 Guidelines: ch. 3 (``p``, ``hi``, ``q``, ``quote``,
``ref``, ``list``/``item``/``label``, ``note``, ``lb``, ``code``), ch. 4 (``div``/``head``
from the heading levels, as HTML's outline does), ch. 14 (``table``/``row``/``cell``
with ``role="label"``, ``figure``/``graphic``/``figDesc``), ch. 1.3 (``milestone``).

Safety (the HTML normaliser's promise, kept for every source):

- ``script``, ``iframe``, ``frame``, ``object``, ``embed``, ``applet`` and ``base``
  elements, ``on…`` event-handler attributes and ``javascript:`` URLs are dropped,
  each drop logged as a WARNING;
- nothing is fetched: images come only from ``data:`` URLs, from files beside
  the source (never above its folder) or from the DOCX package; a remote or
  ``file:`` image is not fetched, and its figure says so (WARNING).
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from publish.log import LOGGER
from publish.metadata import LANGUAGE_TAG
from publish.normalise import structure
from publish.normalise.resources import local_file
from publish.normalise.structure import Assets, Heading, Report, SourceIds, fill
from publish.tei import T, localname, xml

UNSAFE_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"}
#: Not text: styling and machinery, left out quietly (recorded in the report).
QUIET_DROPS = {"style", "template", "link", "meta", "title", "head", "input", "select",
               "textarea", "source", "track", "param", "wbr", "colgroup", "col", "area", "map",
               "canvas"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background",
                  "cite", "longdesc", "srcset", "xlink:href", "lowsrc", "dynsrc"}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
RENDS = {"em": "italic", "i": "italic", "cite": "italic", "var": "italic", "dfn": "italic",
         "strong": "bold", "b": "bold", "u": "underline", "ins": "underline",
         "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
         "sup": "superscript", "sub": "subscript", "mark": "highlight", "small": "small",
         "big": "large"}
CODE = {"code", "kbd", "samp", "tt"}
#: Containers that add nothing to the TEI structure: their content flows on.
TRANSPARENT = {"html", "body", "div", "section", "article", "main", "header", "footer", "nav",
               "aside", "center", "address", "details", "summary", "hgroup", "form", "fieldset",
               "legend", "span", "font", "abbr", "acronym", "time", "data", "bdi", "bdo",
               "label", "nobr", "ruby", "rb", "rt", "rp", "picture", "noscript", "button",
               "figcaption", "caption", "thead", "tbody", "tfoot", "output", "meter",
               "progress", "dialog", "menu", "optgroup", "option", "blink", "marquee",
               "audio", "video", "svg", "math"}
NOTE_CONTAINER = re.compile(r"foot-?notes?|end-?notes?|rearnotes?", re.I)
NOTE_ID = re.compile(r"^(fn|footnote|endnote|note)[-_:]?\d", re.I)
#: What a note reference shows: ``1``, ``[2]``, ``[1:1]``, ``*``.
NOTE_MARK = re.compile(r"^\s*\[?[\w:*†‡§¶]*\]?\s*$")
WHITESPACE = re.compile(r"[ \t\n\r\f]+")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_html(text: str) -> etree._Element:
    """An lxml.html document for a page or a fragment; no network, no comments."""
    parser = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  default_doctype=False)
    text = XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        text = "<html></html>"
    return lxml_html.document_fromstring(text, parser=parser)


def drop_unsafe(document: etree._Element, source: Path) -> None:
    """Remove active content, each removal logged as a WARNING (text around it kept)."""
    for element in list(document.iter()):
        if not isinstance(element.tag, str):
            continue
        name = element.tag.lower()
        if name in UNSAFE_ELEMENTS:
            LOGGER.warning("%s: dropped <%s> element (active content is never kept)", source, name)
            element.drop_tree()
            continue
        for attribute in list(element.attrib):
            value = element.get(attribute, "")
            if attribute.lower().startswith("on"):
                LOGGER.warning("%s: dropped event handler attribute %s on <%s>", source, attribute, name)
                del element.attrib[attribute]
            elif attribute.lower() in URL_ATTRIBUTES and is_script_url(value):
                LOGGER.warning("%s: dropped javascript: URL in %s on <%s>", source, attribute, name)
                del element.attrib[attribute]


def is_script_url(value: str) -> bool:
    """``javascript:`` or ``vbscript:``, however spaced or cased (as browsers read them)."""
    squeezed = re.sub(r"[\x00-\x20]+", "", value).lower()
    return squeezed.startswith(("javascript:", "vbscript:"))


class Converter:
    """Walks an lxml.html body and yields TEI pieces (see :mod:`publish.normalise.structure`)."""

    def __init__(self, source: Path, assets: Assets, report: Report, *,
                 images: dict[str, bytes | str] | None = None, local_images: bool = True) -> None:
        self.source = source
        self.assets = assets
        self.report = report
        self.images = images or {}
        self.local_images = local_images
        self.ids = SourceIds()
        self.note_bodies: dict[str, etree._Element] = {}
        self.consumed: set[str] = set()
        self.note_refs: dict[str, list[etree._Element]] = {}
        self.ref_ids: set[str] = set()
        self.preformatted = 0

    # -- the document ------------------------------------------------------

    def text(self, document: etree._Element) -> etree._Element:
        """The TEI ``<text>`` for an lxml.html document."""
        body = document.find("body")
        if body is None:
            body = document
        self.find_notes(body)
        tei_body = structure.sectioned(self.children(body, top=True), T.body(), self.ids)
        text = T.text(tei_body)
        text.set(xml("space"), "preserve")
        structure.assign_ids(text, self.ids)
        return text

    def find_notes(self, body: etree._Element) -> None:
        """Note bodies (by id) and the links that point at them (pandoc, markdown-it, mammoth)."""
        for element in body.iter():
            if isinstance(element.tag, str) and element.get("id") and is_note_body(element):
                self.note_bodies[element.get("id")] = element
        for link in body.iter("a"):
            target = (link.get("href") or "")[1:] if (link.get("href") or "").startswith("#") else ""
            if target in self.note_bodies and not is_inside(link, self.note_bodies[target]):
                self.note_refs.setdefault(target, []).append(link)
                for node in (link, link.getparent()):
                    if node is not None and node.get("id"):
                        self.ref_ids.add(node.get("id"))

    # -- walking -----------------------------------------------------------

    def children(self, element: etree._Element, top: bool = False) -> list:
        """The pieces for the content of an element: its text, children and their tails."""
        pieces: list = []
        self.add_text(pieces, element.text)
        for child in element:
            if isinstance(child.tag, str):
                pieces.extend(self.convert(child, top))
            self.add_text(pieces, child.tail)
        return pieces

    def add_text(self, pieces: list, text: str | None) -> None:
        if not text:
            return
        pieces.append(text if self.preformatted else WHITESPACE.sub(" ", text))

    def convert(self, element: etree._Element, top: bool = False) -> list:
        """The pieces one HTML element becomes."""
        name = element.tag.lower()
        if element.get("id") in self.note_bodies and element.get("id") in self.note_refs:
            return []  # placed where it is referred to
        handler = getattr(self, "html_" + name, None)
        if handler is not None:
            return handler(element, top)
        if name in HEADINGS:
            return self.heading(element, HEADINGS[name], top)
        if name in RENDS:
            return [self.phrase(T.hi(rend=RENDS[name]), element)]
        if name in CODE:
            return [self.code(element)]
        if name in QUIET_DROPS:
            self.report.dropped[f"<{name}>"] += 1
            return []
        if name not in TRANSPARENT:
            self.report.kept_text[f"<{name}>"] += 1
        if name in ("audio", "video"):
            LOGGER.warning("%s: <%s> not included (only its fallback text is kept)", self.source, name)
        return self.with_language(element, self.children(element, top and name in TRANSPARENT))

    def phrase(self, container: etree._Element, element: etree._Element) -> etree._Element:
        return fill(container, self.children(element), "phrase")

    def with_language(self, element: etree._Element, pieces: list) -> list:
        """A ``lang`` on an inline container becomes ``foreign xml:lang``."""
        language = element.get("lang")
        if not language or element.tag in ("html", "body") or not LANGUAGE_TAG.match(language):
            return pieces
        if any(structure.kind(p) == "block" for p in pieces):
            return pieces
        foreign = fill(T.foreign(), pieces, "phrase")
        foreign.set(xml("lang"), language)
        return [foreign]

    # -- blocks ------------------------------------------------------------

    def heading(self, element: etree._Element, level: int, top: bool) -> list:
        head = self.phrase(T.head(), element)
        ids = [element.get("id")] + [a.get("id") or a.get("name") for a in element.iter("a")]
        parent = element.getparent()
        if parent is not None and parent.tag in ("section", "article") and parent.get("id"):
            ids.append(parent.get("id"))
        return [Heading(level, head, tuple(i for i in ids if i))]

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

    # -- figures -----------------------------------------------------------

    def html_img(self, element, top):
        return [self.image(element, None)]

    def html_figure(self, element, top):
        images = list(element.iter("img"))
        if len(images) != 1:
            return self.children(element, top)
        caption_element = element.find("figcaption")
        caption = self.phrase(T.head(), caption_element) if caption_element is not None else None
        fig = self.image(images[0], caption)
        self.ids.bind([element.get("id")], fig)
        rest = []
        for child in element:
            if child is caption_element or child is images[0] or not isinstance(child.tag, str):
                continue
            if images[0] in child.iter("img"):
                continue
            rest.extend(self.convert(child))
        return [fig] + rest

    def image(self, element: etree._Element, caption) -> etree._Element:
        """A ``figure`` for an ``img``: the picture copied into the assets, never fetched."""
        src = (element.get("src") or "").strip()
        alt = element.get("alt")
        if alt is None:
            alt = element.get("title")
        data, why = self.image_bytes(src)
        stored = self.assets.add(data) if data is not None else None
        if data is not None and stored is None:
            why = "not a PNG, JPEG or GIF image"
        if stored is None:
            LOGGER.warning("%s: image %s not included: %s", self.source, short(src), why)
        elif not (alt or "").strip():
            LOGGER.info("%s: image %s has no alt text", self.source, short(src))
        self.report.mapped["<img> → figure"] += 1
        fig = structure.figure(stored, alt, caption, None if stored else f"{why} ({short(src)})")
        self.ids.bind([element.get("id")], fig)
        return fig

    def image_bytes(self, src: str) -> tuple[bytes | None, str]:
        """The bytes of an image source, and why not when ``None``."""
        if not src:
            return None, "no source"
        if src in self.images:
            found = self.images[src]
            return (None, found) if isinstance(found, str) else (found, "")
        if src.startswith("data:"):
            data = structure.data_url_bytes(src)
            return (data, "") if data else (None, "a malformed data: URL")
        scheme = urllib.parse.urlsplit(src).scheme.lower()
        if scheme:
            return None, f"a {scheme}: resource is never fetched"
        if not self.local_images:
            return None, "a file outside the package"
        return local_file(self.source, src)

    # -- phrases -----------------------------------------------------------

    def html_br(self, element, top):
        return [T.lb()]

    def html_q(self, element, top):
        return [self.phrase(T.q(), element)]

    def code(self, element: etree._Element) -> etree._Element:
        return T.code("".join(element.itertext()))

    def html_a(self, element, top):
        href = element.get("href")
        if href is not None and href.startswith("#") and href[1:] in self.note_refs:
            return self.note_ref(element, href[1:])
        if href is not None and href.startswith("#") and self.backlink(element):
            return []
        pieces = self.children(element, top)
        if href is None:
            return pieces
        target, why = structure.safe_link(href)
        if target is None:
            LOGGER.info("%s: link to %s kept as text: %s", self.source, short(href), why)
            return pieces
        if any(structure.kind(p) == "block" for p in pieces):
            return pieces
        return [fill(T.ref(target=target), pieces, "phrase")]

    def backlink(self, element: etree._Element) -> bool:
        """A link from a note back to its reference: the renderers make their own."""
        inside_note = any(is_inside(element, body) for body in self.note_bodies.values())
        return inside_note and element.get("href")[1:] in self.ref_ids

    def html_sup(self, element, top):
        links = list(element.iter("a"))
        if (len(links) == 1 and NOTE_MARK.match("".join(element.itertext()))
                and (links[0].get("href") or "#")[1:] in self.note_refs):
            return self.html_a(links[0], top)
        return [self.phrase(T.hi(rend="superscript"), element)]

    def note_ref(self, link: etree._Element, name: str) -> list:
        """The first reference to a note holds the note; later ones point at it."""
        if name in self.consumed:
            return [T.ref("*", target=f"#{name}")]
        self.consumed.add(name)
        body = self.note_bodies[name]
        note = fill(T.note(place="foot"), self.children(body), "flex")
        self.ids.bind([name], note)
        self.report.mapped["footnote → note"] += 1
        return [note]


def is_note_body(element: etree._Element) -> bool:
    """A list item or aside that holds a note (by id, class, role or epub:type)."""
    semantics = " ".join(element.get(a, "") for a in ("role", "epub:type", "class"))
    if element.tag in ("aside", "div", "section", "p") and re.search(
            r"doc-(foot|end)note\b|\b(foot|end|rear)note\b", semantics):
        return True
    if element.tag != "li":
        return False
    if NOTE_ID.match(element.get("id", "")):
        return True
    return any(is_notes_container(a) for a in element.iterancestors())


def is_notes_container(element: etree._Element) -> bool:
    semantics = " ".join(element.get(a, "") for a in ("role", "epub:type", "class", "id"))
    return bool(NOTE_CONTAINER.search(semantics))


def is_inside(element: etree._Element, ancestor: etree._Element) -> bool:
    return any(a is ancestor for a in element.iterancestors())


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


def short(url: str, length: int = 80) -> str:
    """A URL cut for a log line (data: URLs can be megabytes)."""
    return url if len(url) <= length else url[:length] + "…"
