"""From an lxml.html document to a normaliser's result: the tail the HTML family shares.

The HTML, Markdown and DOCX normalisers each make an lxml.html document in their
own way, then hand it here: it is mapped
by :mod:`publish.normalise.xhtml_to_tei`, checked to hold some text, titled
(:mod:`publish.normalise.titles`), and given the editorial record that the
header's ``editorialDecl`` carries (TEI P5 Guidelines §2.3.3: ``normalization``,
``segmentation``). Keeping it out of the readers means editing one reader cannot
change another's output.
"""

from __future__ import annotations

from publish.errors import InputError
from publish.metadata import Metadata
from publish.normalise.base import Normalised, Source
from publish.normalise.structure import Assets, Report
from publish.normalise.titles import with_title
from publish.normalise.xhtml_to_tei import Converter
from publish.tei.header import Decisions


def from_document(source: Source, document, found: Metadata, *, encoding: str | None = None,
                  bom: bool = False, images: dict[str, bytes] | None = None,
                  local_images: bool = True, extra: tuple[str, ...] = ()) -> Normalised:
    """The shared tail of the HTML, Markdown and DOCX normalisers: map, check, record."""
    assets = Assets(source.identifier)
    report = Report()
    converter = Converter(source.path, assets, report, images=images, local_images=local_images)
    text = converter.text(document)
    body = text[0]
    if not len(body) and not (body.text or "").strip():
        raise InputError("no text: the document has no content to normalise", source.path)
    found = with_title(found, body)
    segmentation = (
        "Headings (h1–h6) start nested div elements; the heading level sets the depth.",
        "Loose text between blocks is wrapped in p; whitespace runs are one space, except in pre.",
        "div, note and figure elements have xml:ids from their position (div-1-2, note-3, fig-1).",
    )
    normalization = extra + (
        "Footnote markers ([1], ↩︎ back-links) are left out; the renderers number notes anew.",
        "Comments, scripts, event handlers, styles and embedded objects are left out.",
    ) + report.sentences()
    return Normalised(text=text, found=found, encoding=encoding, bom=bom,
                      decisions=Decisions(normalization=normalization, segmentation=segmentation),
                      assets=assets.items())
