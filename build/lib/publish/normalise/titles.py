"""The title of a document whose source names none: its first heading, or its opening words.

The TEI header's ``titleStmt/title`` (TEI P5 Guidelines §2.2.1) is
``type="main"`` when it is the source's own or its first heading, and
``type="supplied"`` when the encoder made it from the opening words
(:mod:`publish.tei.header`). Shared by every normaliser, so each format's
documents are titled by one rule.
"""

from __future__ import annotations

import dataclasses

from lxml import etree

from publish.metadata import Metadata
from publish.tei import first_text


def supplied_title(first_block: str, words: int = 10) -> str:
    """A title made from the first words, ending with an ellipsis if cut."""
    tokens = first_block.split()
    if len(tokens) == 1 and len(tokens[0]) > 40:  # unspaced scripts: cut by characters
        return tokens[0][:24] + "…"
    title = " ".join(tokens[:words])
    return title + ("…" if len(tokens) > words else "")


def with_title(found: Metadata, body: etree._Element) -> Metadata:
    """The first heading is the title when the source names none; else the opening words."""
    if found.title:
        return found
    heading = first_text(body, ".//tei:head")
    if heading and heading.strip():
        return dataclasses.replace(found, title=" ".join(heading.split()))
    words = " ".join("".join(body.itertext()).split())
    return dataclasses.replace(found, title=supplied_title(words) or None,
                               title_supplied=True)
