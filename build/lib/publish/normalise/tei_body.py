"""Copying a TEI ``text`` into the publish subset: the walk, and what lies outside the subset.

The TEI normaliser's body (:mod:`publish.normalise.tei`). Elements of the subset
go to the handlers of :mod:`publish.normalise.tei_elements`; one outside it is
mapped to its nearest subset element (``hi``, ``q``, ``milestone``, ``div``), or its
text is kept (``ab type="<name>"`` where it stood alone, plain text inside a
phrase), and the editorial record names each kind with a count. Divisions are
then made valid as TEI P5 §4.1 has them: heads first, no block after a subdivision.
"""

from __future__ import annotations

from lxml import etree

from publish.errors import InputError
from publish.langtags import canonical
from publish.log import LOGGER
from publish.metadata import LANGUAGE_TAG
from publish.normalise import structure
from publish.normalise.base import Source
from publish.normalise.structure import Assets, Report, SourceIds, fill
from publish.normalise.tei_elements import SubsetElements
from publish.tei import TEI_NS, T, localname, tag, xml
from publish.tei.header import Decisions

DIVS = {"div", "div1", "div2", "div3", "div4", "div5", "div6", "div7"}
#: Outside the subset, kept as ``hi`` with this ``rend``.
AS_HI = {"emph": "italic", "title": "italic", "term": "italic", "mentioned": "italic",
         "gloss": "italic", "soCalled": "quoted", "del": "strikethrough", "add": "inserted",
         "gi": "code", "att": "code", "val": "code", "tag": "code", "ident": "code",
         "distinct": "italic", "foreign": None}
#: Outside the subset, kept as ``q``.
AS_Q = {"q", "said"}
MILESTONES = {"pb": "page", "cb": "column", "gb": "gathering"}
#: Elements whose children stand in running text (so an unknown child is a phrase).
PHRASE_PARENTS = {"p", "ab", "l", "head", "hi", "q", "ref", "label", "item", "cell", "note",
                  "quote", "figDesc", "foreign", "said", "seg", "s", "emph", "title", "term",
                  "speaker", "stage", "fw", "add", "del", "name", "persName", "placeName",
                  "orgName", "date", "num", "rs", "unclear", "supplied", "sic", "corr", "orig",
                  "reg", "abbr", "expan", "bibl", "titlePart", "docAuthor", "byline",
                  "dateline", "salute", "signed", "trailer", "docImprint", "docDate"}


class TeiConverter(SubsetElements):
    """Maps a TEI ``text`` into the subset, recording what it did by element name."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.assets = Assets(source.identifier)
        self.report = Report()
        self.ids = SourceIds()

    def text(self, text: etree._Element) -> etree._Element:
        parts = {localname(c): c for c in text if isinstance(c.tag, str)}
        body = T.body()
        front, main, back = parts.get("front"), parts.get("body", parts.get("group")), parts.get("back")
        if main is None:
            raise InputError("the TEI <text> has no <body>", self.source.path)
        if front is None and back is None:
            fill(body, self.children(main), "block")
        else:
            divisions = []
            for part, kind in ((front, "front"), (main, "body"), (back, "back")):
                if part is not None:
                    divisions.append(fill(T.div(type=kind), self.children(part), "block"))
            fill(body, divisions, "block")
        settle(body)
        if not len(body) and not (body.text or "").strip():
            raise InputError("no text: the TEI body is empty", self.source.path)
        tei_text = T.text(body)
        tei_text.set(xml("space"), "preserve")
        structure.assign_ids(tei_text, self.ids)
        return tei_text

    def decisions(self) -> Decisions:
        return Decisions(
            normalization=("The TEI text was mapped into the publish subset of TEI P5; "
                           "the input's teiHeader was replaced by this one (the original file is kept "
                           "as the source of record).",) + self.report.sentences(),
            segmentation=("Divisions and their heads are kept; blocks after a subdivision are put in "
                          "a div of their own.",
                          "div, note and figure elements have xml:ids from their position "
                          "(div-1-2, note-3, fig-1); references to them follow."))

    # -- walking -----------------------------------------------------------

    def children(self, element: etree._Element) -> list:
        pieces: list = []
        if element.text:
            pieces.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                pieces.extend(self.convert(child))
            if child.tail:
                pieces.append(child.tail)
        return pieces

    def convert(self, element: etree._Element) -> list:
        namespace = etree.QName(element).namespace
        name = localname(element)
        if namespace != TEI_NS:
            return self.foreign_markup(element, namespace)
        handler = getattr(self, "tei_" + name, None)
        if name in DIVS:
            handler = self.tei_div
        if handler is not None:
            return handler(element)
        if name in AS_HI:
            return [self.mapped(element, self.hi_like(element, name), "flex" if name == "foreign" else "phrase")]
        if name in AS_Q:
            return [self.mapped(element, T.q(), "phrase")]
        if name in MILESTONES:
            milestone = self.copy_global(element, T.milestone(unit=MILESTONES[name]))
            self.report.mapped[f"{name} → milestone"] += 1
            return [milestone]
        return self.unknown(element, name)

    def mapped(self, source: etree._Element, target: etree._Element, mode: str) -> etree._Element:
        name = localname(source)
        if name != localname(target):
            self.report.mapped[f"{name} → {localname(target)}"] += 1
        return fill(self.copy_global(source, target), self.children(source), mode)

    def copy_global(self, source: etree._Element, target: etree._Element) -> etree._Element:
        """Carry ``xml:id``, ``xml:lang``, ``rend`` and ``n`` over (att.global)."""
        for attribute in (xml("id"), "rend", "n"):
            if source.get(attribute) and target.get(attribute) is None:
                target.set(attribute, source.get(attribute))
        language = source.get(xml("lang"))
        if language and LANGUAGE_TAG.match(language):
            # BCP 47, as TEI's xml:lang asks: an ISO 639-2 "eng" becomes "en".
            target.set(xml("lang"), canonical(language))
        return target

    def hi_like(self, element: etree._Element, name: str) -> etree._Element:
        if name == "foreign":
            return T.foreign()
        return T.hi(rend=element.get("rend") or AS_HI[name])

    def unknown(self, element: etree._Element, name: str) -> list:
        """Outside the subset: its text as ``ab type=name`` when it stood alone, else inline."""
        if not has_text(element):
            self.dropped(name)
            return []
        pieces = self.children(element)
        self.report.kept_text[name] += 1
        if stands_alone(element) and has_loose_text(element):
            return [fill(self.copy_global(element, T.ab(type=name)), pieces, "phrase")]
        return pieces

    def dropped(self, name: str) -> None:
        if not self.report.dropped[name]:
            LOGGER.warning("%s: <%s> is outside the publish subset and has no text; left out "
                           "(each is counted in the editorial record)", self.source.path, name)
        self.report.dropped[name] += 1

    def foreign_markup(self, element: etree._Element, namespace: str | None) -> list:
        """Markup in another namespace (TEI examples, MathML…): its XML kept as text."""
        label = f"{{{namespace}}}{localname(element)}" if namespace else localname(element)
        self.report.kept_text[label] += 1
        source = "".join(etree.tostring(c, encoding="unicode", with_tail=True) for c in element)
        source = (element.text or "") + source
        return [T.ab(source.strip("\n"), type="pre")] if source.strip() else []


def has_text(element: etree._Element) -> bool:
    """Whether an element holds any text, or any graphic, at any depth."""
    return bool("".join(element.itertext()).strip()) or any(
        localname(e) == "graphic" for e in element.iter())


def has_loose_text(element: etree._Element) -> bool:
    return bool((element.text or "").strip()) or any((c.tail or "").strip() for c in element) or \
        not any(isinstance(c.tag, str) for c in element)


def stands_alone(element: etree._Element) -> bool:
    """Whether an element stands among blocks, not inside running text."""
    parent = element.getparent()
    if parent is None or localname(parent) in PHRASE_PARENTS:
        return False
    return not (parent.text or "").strip() and not any((c.tail or "").strip() for c in parent)


def settle(container: etree._Element) -> None:
    """Make divisions valid: heads first, and no block after a subdivision.

    A ``head`` that follows other content becomes ``ab type="heading"``; blocks
    that follow a ``div`` go into a new ``div`` of their own, so nothing moves
    out of order and nothing is lost (TEI P5 §4.1, the content of ``div``).
    """
    seen_content = seen_div = False
    pending: list[etree._Element] = []
    for child in list(container):
        name = localname(child)
        if name == "head" and (seen_content or seen_div):
            child.tag = tag("ab")
            child.set("type", "heading")
            name = "ab"
        if name == "div":
            if pending:
                wrap_after(container, pending)
                pending = []
            seen_div = True
            settle(child)
        elif name != "head":
            seen_content = True
            if seen_div:
                pending.append(child)
    if pending:
        wrap_after(container, pending)


def wrap_after(container: etree._Element, blocks: list[etree._Element]) -> None:
    div = T.div()
    container.insert(container.index(blocks[0]), div)
    div.text = "\n"
    for block in blocks:
        div.append(block)
    div.tail = "\n"
