"""The HTML→TEI converter's notes: footnotes as pandoc, markdown-it, mammoth and EPUB write them.

A note body (a list item or ``aside`` found by id, class, ``role="doc-endnote"``
or ``epub:type="footnote"``: DPUB-ARIA 1.0, EPUB 3 Structural Semantics) becomes
a TEI ``note place="foot"`` where it is first referred to (TEI P5 Guidelines
§3.9); later references point at it, and the back-links and markers are left
out, since the renderers number notes anew.
"""

from __future__ import annotations

import re

from lxml import etree

from publish.normalise.structure import fill
from publish.tei import T

NOTE_CONTAINER = re.compile(r"foot-?notes?|end-?notes?|rearnotes?", re.IGNORECASE)
NOTE_ID = re.compile(r"^(fn|footnote|endnote|note)[-_:]?\d", re.IGNORECASE)
#: What a note reference shows: ``1``, ``[2]``, ``[1:1]``, ``*``.
NOTE_MARK = re.compile(r"^\s*\[?[\w:*†‡§¶]*\]?\s*$")


class NoteElements:
    """Finding notes and placing them at their references, mixed into the converter.

    They keep the note state the converter sets up (``note_bodies``, ``note_refs``,
    ``ref_ids``, ``consumed``) and use its walking (``children``, ``phrase``,
    ``html_a``), ``ids`` and ``report`` (:class:`publish.normalise.xhtml_to_tei.Converter`).
    """

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
