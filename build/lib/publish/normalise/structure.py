"""Building a structured TEI ``<text>``: blocks and phrases, sections, ids, assets.

Shared by the HTML, Markdown, DOCX and TEI normalisers (and :func:`append_text`
by the plain-text one). It follows the TEI P5 Guidelines' split of content into
*chunks* (ch. 1.3, ``model.common``: ``p``, ``ab``, ``lg``) and *phrases*
(``model.phrase``), with the *inter-level* elements (``list``, ``table``,
``figure``, ``note``, ``quote``, ``milestone``) allowed in both: a converter
yields a flat list of *pieces* (strings and TEI elements) and :func:`fill` puts
them into a container, wrapping loose phrases into ``p`` where the container
holds only chunks (ch. 4.1, ``div``), and unwrapping chunks where only phrases
may go. ``xml:id`` values of ``div``, ``note`` and ``figure`` are given from
their position (ch. 1.3.1.1.1, ``att.global``).
"""

from __future__ import annotations

import base64
import collections
import dataclasses
import hashlib
import re
import urllib.parse

from lxml import etree

from publish.images import image_type
from publish.layout import asset_folder_name
from publish.log import LOGGER
from publish.tei import T, localname, xml, xpath

#: Chunks: only where blocks go.
BLOCKS = {"p", "ab", "lg", "l", "div", "head"}
#: Inter-level elements: as blocks between chunks, or inside phrases.
DUAL = {"list", "table", "figure", "note", "quote", "milestone"}
#: Containers whose content is plain phrases without inter-level elements.
LIMITED = {"label", "figDesc", "code"}
#: Containers whose leading and trailing whitespace is not content.
TRIMMED = {"p", "head", "item", "cell", "note", "label", "quote", "figDesc"}
#: URL schemes a ``ref`` may keep: the reader's own choice to follow them.
LINK_SCHEMES = {"http", "https", "mailto", "ftp", "tel", "urn", "doi"}
#: Image formats stored as assets, as :func:`publish.images.image_type` names them:
#: PNG, JPEG and GIF only (not SVG, which can carry scripts and external references,
#: nor WebP).
STORED_IMAGES = {"image/png", "image/jpeg", "image/gif"}
ID_PREFIX = {"note": "note", "figure": "fig"}
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


@dataclasses.dataclass
class Heading:
    """A heading met in the flow, before sectioning turns it into ``div``/``head``."""

    level: int
    head: etree._Element
    source_ids: tuple[str, ...] = ()


def kind(piece) -> str:
    """``text``, ``block``, ``dual`` or ``phrase``."""
    if isinstance(piece, str):
        return "text"
    if isinstance(piece, Heading):
        return "block"
    name = localname(piece)
    if name in BLOCKS or (name == "quote" and any(localname(c) in BLOCKS for c in piece)):
        return "block"
    return "dual" if name in DUAL else "phrase"


def append_text(parent: etree._Element, text: str | None) -> None:
    """Append text after the last child of ``parent`` (or as its text)."""
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def has_content(element: etree._Element) -> bool:
    """Whether an element holds any text or any element."""
    return bool((element.text or "").strip()) or len(element) > 0


def fill(container: etree._Element, pieces: list, mode: str) -> etree._Element:
    """Put pieces into ``container``; ``mode`` is ``block``, ``phrase``, ``flex`` or ``limited``.

    ``flex`` (``item``, ``cell``, ``quote``, ``note``) becomes ``block`` if a
    chunk is among the pieces, else ``phrase``: TEI allows either, not a mix.
    """
    if mode == "flex":
        solid = [p for p in pieces if kind(p) != "text" or p.strip()]
        if len(solid) == 1 and not isinstance(solid[0], (str, Heading)) and localname(solid[0]) == "p":
            pieces = unwrapped(solid[0])  # one paragraph: its phrases suffice
        mode = "block" if any(kind(p) == "block" for p in pieces) else "phrase"
    if mode in ("phrase", "limited"):
        for piece in pieces:
            put_phrase(container, piece, mode)
        if localname(container) in TRIMMED:
            trim(container)
        return container
    run: list = []
    for piece in pieces:
        if kind(piece) == "block":
            flush_run(container, run)
            container.append(heading_as_block(piece) if isinstance(piece, Heading) else piece)
            container[-1].tail = "\n"
        else:
            run.append(piece)
    flush_run(container, run)
    only_global(container)
    if len(container) and not (container.text or "").strip():
        container.text = "\n"
    return container


def only_global(container: etree._Element) -> None:
    """Figures, notes and milestones alone go into a ``p``: TEI's body and div need a chunk."""
    content = [c for c in container if localname(c) != "head"]
    if content and all(localname(c) in ("figure", "note", "milestone") for c in content):
        paragraph = T.p()
        content[0].addprevious(paragraph)
        for child in content:
            paragraph.append(child)
            child.tail = None
        paragraph.tail = "\n"


def flush_run(container: etree._Element, run: list) -> None:
    """Loose phrases between chunks become a ``p``; lone inter-level elements stay."""
    if any(kind(p) == "phrase" or (kind(p) == "text" and p.strip()) for p in run):
        while run and kind(run[0]) == "text" and not run[0].strip():
            run.pop(0)
        if run and kind(run[0]) == "text":
            run[0] = run[0].lstrip()
        while run and kind(run[-1]) == "text" and not run[-1].strip():
            run.pop()
        if run and kind(run[-1]) == "text":
            run[-1] = run[-1].rstrip()
        container.append(fill(T.p(), run, "phrase"))
        container[-1].tail = "\n"
    else:
        for piece in run:
            if kind(piece) != "text":
                container.append(piece)
                container[-1].tail = "\n"
    run.clear()


def unwrapped(element: etree._Element) -> list:
    """An element's content as pieces: its text, then each child and its tail."""
    pieces: list = [element.text or ""]
    for child in list(element):
        tail, child.tail = child.tail, None
        pieces += [child, tail or ""]
    return pieces


def trim(container: etree._Element) -> None:
    """Strip whitespace at the start and end of a phrase container."""
    if container.text:
        container.text = container.text.lstrip()
    if len(container):
        if container[-1].tail:
            container[-1].tail = container[-1].tail.rstrip()
    elif container.text:
        container.text = container.text.rstrip()


def put_phrase(container: etree._Element, piece, mode: str) -> None:
    """Append one piece where only phrases may go, unwrapping what may not."""
    if isinstance(piece, str):
        append_text(container, piece)
        return
    if isinstance(piece, Heading):
        piece = piece.head
    name = localname(piece)
    if kind(piece) == "block" or (mode == "limited" and name in DUAL and name != "note"):
        if has_content(container):
            container.append(T.lb())
        append_text(container, piece.text)
        for child in list(piece):
            tail, child.tail = child.tail, None
            put_phrase(container, child, mode)
            append_text(container, tail)
        return
    if mode == "limited" and name in ("note", "figure") and localname(container) in ("figDesc", "code"):
        append_text(container, "".join(piece.itertext()))
        return
    piece.tail = None
    container.append(piece)


def heading_as_block(heading: Heading) -> etree._Element:
    """A heading where no section can start (in a list or a table): ``ab type="heading"``."""
    block = T.ab(type="heading", n=str(heading.level))
    block.text = heading.head.text
    for child in list(heading.head):
        block.append(child)
    return block


def sectioned(pieces: list, body: etree._Element, ids: SourceIds) -> etree._Element:
    """Nest the flow into ``div`` elements by heading level (HTML's implied sections)."""
    stack: list[tuple[int, etree._Element, list]] = [(0, body, [])]
    for piece in pieces:
        if isinstance(piece, Heading):
            while stack[-1][0] >= piece.level:
                level, container, content = stack.pop()
                fill(container, content, "block")
            div = T.div()
            stack[-1][2].append(div)
            ids.bind(piece.source_ids, div)
            stack.append((piece.level, div, [piece.head]))
        else:
            stack[-1][2].append(piece)
    while stack:
        level, container, content = stack.pop()
        fill(container, content, "block")
    return body


class SourceIds:
    """Ids of the source bound to the TEI elements made from them, for internal links."""

    def __init__(self) -> None:
        self.elements: dict[str, etree._Element] = {}

    def bind(self, names, element: etree._Element) -> None:
        for name in names:
            if name and name not in self.elements:
                self.elements[name] = element

    def target(self, name: str) -> etree._Element | None:
        return self.elements.get(name)


def assign_ids(text: etree._Element, ids: SourceIds) -> None:
    """Positional ``xml:id`` for every ``div`` (``div-1-2``), ``note`` and ``figure``.

    Then internal references (``ref target="#…"``) are pointed at the new ids;
    one whose target is gone keeps its text and loses its target (logged).
    """
    old_ids = {element.get(xml("id")): element for element in text.iter() if element.get(xml("id"))}
    for name, element in old_ids.items():
        ids.bind([name], element)
    counters = {"note": 0, "figure": 0}
    for element in text.iter():
        name = localname(element)
        if name == "div":
            element.set(xml("id"), div_id(element))
        elif name in counters:
            counters[name] += 1
            element.set(xml("id"), f"{ID_PREFIX[name]}-{counters[name]}")
    taken: set[str] = set()
    for element in text.iter():
        value = element.get(xml("id"))
        if value is None:
            continue
        if value in taken or not NCNAME.match(value):
            del element.attrib[xml("id")]
        else:
            taken.add(value)
    for ref in xpath(text, ".//tei:ref[starts-with(@target, '#')]"):
        target = ids.target(urllib.parse.unquote(ref.get("target")[1:]))
        new = target.get(xml("id")) if target is not None else None
        if new:
            ref.set("target", f"#{new}")
        else:
            LOGGER.info("internal link %s points nowhere in the document; its text is kept",
                        ref.get("target"))
            del ref.attrib["target"]


def div_id(element: etree._Element) -> str:
    """``div-1-2``: the second ``div`` in the first, from document order."""
    path = []
    node = element
    while node is not None and localname(node) == "div":
        path.append(sum(1 for s in node.itersiblings(preceding=True) if localname(s) == "div") + 1)
        node = node.getparent()
    return "div-" + "-".join(str(n) for n in reversed(path))


def safe_link(url: str | None) -> tuple[str | None, str]:
    """A link target a reader may follow, and why not if not: ``(url|None, reason)``."""
    if url is None:
        return None, "no target"
    url = url.strip()
    if not url:
        return None, "an empty target"
    if url.startswith("#"):
        return url, ""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme == "javascript":
        return None, "a javascript: URL"
    if scheme in LINK_SCHEMES:
        return url.replace(" ", "%20"), ""
    if not scheme:
        return None, "a relative link to a file outside the document"
    return None, f"a {scheme}: URL"


def data_url_bytes(url: str) -> bytes | None:
    """The bytes of a ``data:`` URL (RFC 2397), or ``None`` if it is not one."""
    if not url.startswith("data:") or "," not in url:
        return None
    header, _, payload = url[5:].partition(",")
    try:
        if header.endswith(";base64"):
            return base64.b64decode(payload, validate=False)
        return urllib.parse.unquote_to_bytes(payload)
    except ValueError:
        return None


class Assets:
    """Images of a document, copied into its asset folder ``<id>_assets/``.

    Names come from the content (``img-<sha256 prefix>.<ext>``), so the same
    image is stored once and the names are reproducible. ``graphic/@url`` is
    relative to the TEI file: ``<id>_assets/<name>``.
    """

    def __init__(self, identifier: str) -> None:
        self.folder = asset_folder_name(identifier)
        self.files: dict[str, bytes] = {}

    def add(self, data: bytes) -> tuple[str, str] | None:
        """Store an image; its ``(url, media type)``, or ``None`` if not an image we take."""
        found = image_type(data)
        if found is None or found[0] not in STORED_IMAGES:
            return None
        media_type, extension = found
        name = f"img-{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
        self.files[name] = data
        return f"{self.folder}/{name}", media_type

    def items(self) -> tuple[tuple[str, bytes], ...]:
        return tuple(sorted(self.files.items()))


def figure(url_and_type: tuple[str, str] | None, alt: str | None, caption=None,
           missing: str | None = None) -> etree._Element:
    """A ``figure``: caption as ``head``, the ``graphic``, alt text as ``figDesc``.

    ``missing`` says why an image is not included; the figure then keeps the
    alt text and that reason, so nothing vanishes.
    """
    element = T.figure()
    if caption is not None and has_content(caption):
        element.append(caption)
    if url_and_type is not None:
        element.append(T.graphic(url=url_and_type[0], mimeType=url_and_type[1]))
    if missing:
        element.append(T.p(f"[Image not included: {missing}]"))
    if alt and alt.strip():
        element.append(T.figDesc(" ".join(alt.split())))
    return element


class Report:
    """What a converter kept as text, turned into something else, or dropped, by name."""

    def __init__(self) -> None:
        self.kept_text: collections.Counter = collections.Counter()
        self.mapped: collections.Counter = collections.Counter()
        self.dropped: collections.Counter = collections.Counter()
        self.notes: list[str] = []

    def sentences(self) -> tuple[str, ...]:
        """The editorial record of these, as sentences (sorted, so reproducible)."""
        out = []
        if self.mapped:
            out.append("Mapped to the publish subset: " + listing(self.mapped) + ".")
        if self.kept_text:
            out.append("Outside the subset, their text kept: " + listing(self.kept_text) + ".")
        if self.dropped:
            out.append("Left out (no text to keep): " + listing(self.dropped) + ".")
        return tuple(out) + tuple(self.notes)


def listing(counter: collections.Counter) -> str:
    return ", ".join(f"{name} ({count})" for name, count in sorted(counter.items()))
