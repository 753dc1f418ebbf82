"""Accessibility metadata computed from the finished content (EPUB Accessibility 1.1 §5).

The schema.org discovery properties say what the book really offers, found
by looking at its documents, and the conformance claim (WCAG 2.1 AA) is made
only when the automated checks here find nothing, so the metadata stays true
whatever the source contains.
"""

from __future__ import annotations

import dataclasses
import re

from lxml import etree

from publish.render.epub.documents import HEADINGS, XML_LANG, Document, H
from publish.render.epub.metadata import clean
from publish.render.epub.navigation import TocEntry

#: The conformance claim (EPUB Accessibility 1.1 §5.1) made when it is met.
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
CERTIFIER = "publish (automated evaluation)"


@dataclasses.dataclass(frozen=True)
class Accessibility:
    """The EPUB Accessibility 1.1 discovery metadata, computed from the content."""

    access_modes: tuple[str, ...]
    sufficient: tuple[str, ...]
    features: tuple[str, ...]
    hazards: tuple[str, ...]
    summary: str
    conforms: bool
    #: The edition whose page numbers the EPUB carries (``pageBreakSource``), or ``None``.
    page_source: str | None = None


def accessibility(documents: list[Document], toc: list[TocEntry],
                  page_source: str | None = None) -> Accessibility:
    """What the book really offers, found by looking at its documents.

    Images (``img``, ``svg``, ``canvas``) make the book visual as
    well as textual; it is sufficient as text alone only if every image has a
    text alternative (``alt``; empty only for images marked decorative with
    ``role="presentation"``). The conformance claim is made only when the
    automated checks of :func:`wcag_problems` find nothing. With a
    ``page_source`` (the PDF edition whose page breaks are marked), the
    book offers ``printPageNumbers`` and ``pageNavigation`` (its page list).
    """
    images = [element for document in documents for element in document.root.iter(
        H + "img", H + "canvas", "{http://www.w3.org/2000/svg}svg")]
    described = all(has_alternative(image) for image in images)
    # Structural navigation means the text itself has headings; the title
    # page's and colophon's own headings alone do not make it so.
    headings = any(True for d in documents if d.landmark == "bodymatter"
                   for _ in d.root.iter(*HEADINGS))
    modes = ("textual", "visual") if images else ("textual",)
    if not images:
        sufficient = ("textual",)
    elif described:
        sufficient = ("textual", "textual,visual")
    else:
        sufficient = ("textual,visual",)
    features = ["displayTransformability", "readingOrder"]
    if headings:
        features.append("structuralNavigation")
    if toc:
        features.append("tableOfContents")
    if images and described:
        features.append("alternativeText")
    if page_source:
        features += ["printPageNumbers", "pageNavigation"]
    problems = wcag_problems(documents)
    summary = summary_sentence(images, described, headings, problems, bool(page_source))
    return Accessibility(modes, sufficient, tuple(sorted(features)), ("none",), summary, not problems,
                         page_source)


def has_alternative(image: etree._Element) -> bool:
    """Whether an image has a text alternative, or is marked decorative."""
    if image.tag == "{http://www.w3.org/2000/svg}svg":
        return image.find("{http://www.w3.org/2000/svg}title") is not None or bool(image.get("aria-label"))
    alt = image.get("alt")
    if alt is None:
        return bool(image.get("aria-label"))
    return bool(alt.strip()) or image.get("role") in ("presentation", "none")


def wcag_problems(documents: list[Document]) -> list[str]:
    """The WCAG 2.1 A/AA failures, or doubts, that can be found automatically.

    Checks: every document has a title (2.4.2) and a known language, set the
    same in ``lang`` and ``xml:lang`` (3.1.1; ``und`` is not known); every
    image has a text alternative (1.1.1); headings are not empty and every
    table has header cells (1.3.1, 2.4.6); every link has text (2.4.4); no
    audio or video, whose captions nothing here can check (1.2); no fixed
    pixel font size in a ``style`` attribute (1.4.4). The reading stylesheet
    uses relative sizes only and sets no text colours (1.4.3, 1.4.4, 1.4.10).
    Anything found withholds the conformance claim; it does not fail the build.
    """
    problems = []
    for document in documents:
        root = document.root
        if not clean(root.findtext(f"{H}head/{H}title")):
            problems.append(f"{document.file}: no title")
        if not root.get("lang") or root.get("lang") != root.get(XML_LANG):
            problems.append(f"{document.file}: lang and xml:lang missing or different")
        elif root.get("lang").split("-")[0].lower() == "und":  # und-<Script> names no language either
            problems.append(f"{document.file}: the language is undetermined (und)")
        problems += [f"{document.file}: {problem}" for element in root.iter()
                     for problem in element_problems(element)]
    return problems


def element_problems(element: etree._Element) -> list[str]:
    """What one element does against the checks of :func:`wcag_problems`."""
    name = element.tag if isinstance(element.tag, str) else ""
    text = clean("".join(element.itertext())) if name else ""
    problems = []
    if name in (H + "img", H + "canvas") and not has_alternative(element):
        problems.append("an image has no text alternative")
    if name in HEADINGS and not text:
        problems.append("an empty heading")
    if name == H + "table" and element.find(f".//{H}th") is None:
        problems.append("a table without header cells")
    if name == H + "a" and not text and not element.get("aria-label"):
        problems.append("a link without text")
    if name in (H + "audio", H + "video"):
        problems.append("audio or video, whose captions are not checked")
    if re.search(r"font-size\s*:\s*[\d.]+px", element.get("style") or ""):
        problems.append("a fixed pixel font size")
    return problems


def summary_sentence(images: list, described: bool, headings: bool, problems: list[str],
                     paged: bool = False) -> str:
    """The accessibility summary, in plain words, from the same facts as the metadata."""
    parts = [("Reflowable text that the reader can resize and restyle, in a logical reading order, "
              "with a table of contents and landmarks")]
    if headings:
        parts.append("headings for structural navigation")
    if paged:
        parts.append("and the page numbers of the PDF edition, with a page list to go to them")
    sentence = ", ".join(parts) + "."
    if images and described:
        sentence += " Every image, including the cover, has a text alternative."
    elif images:
        sentence += " Some images have no text alternative."
    sentence += " No flashing, motion or sound hazards."
    if not problems:
        sentence += f" Meets {CONFORMANCE} by the automated checks of publish."
    return sentence
