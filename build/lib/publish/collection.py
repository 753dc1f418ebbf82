"""What a collection output reads: every built document's record, header and outputs.

A collection output (a row of :data:`publish.formats.COLLECTIONS`: a site, a
catalogue, a feed) runs after the documents. It gets a :class:`Collection`,
made from the manifest and each master's ``teiHeader`` (TEI P5 ch. 2) only,
and returns its files as bytes; the build writes them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from publish.layout import Layout
from publish.tei import tag


@dataclasses.dataclass(frozen=True)
class Entry:
    """One built document: its manifest record, its master's header and its output files."""

    identifier: str
    record: dict
    header: etree._Element
    #: Output kind → the file in ``dist/``, for every output the record lists.
    outputs: dict[str, Path]


@dataclasses.dataclass(frozen=True)
class Collection:
    """Every built document, in id order, and where the project's files are."""

    layout: Layout
    entries: tuple[Entry, ...]


def read_header(path: Path | BinaryIO) -> etree._Element:
    """A master's ``teiHeader``, parsed without reading the text after it (safe parser settings).

    ``path`` may also be a binary file object (the OAI provider parses bytes it
    read once, so what it hashed is what it parsed).
    """
    source = path if hasattr(path, "read") else str(path)
    events = etree.iterparse(source, events=("end",), tag=tag("teiHeader"),
                             resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    for _event, header in events:
        return header
    raise ValueError(f"{path}: no teiHeader")


def collection_name(header: etree._Element) -> str | None:
    """The collection a master belongs to: its ``seriesStmt/title`` (TEI P5 §2.2.5), or None."""
    found = header.find(f"{tag('fileDesc')}/{tag('seriesStmt')}/{tag('title')}")
    if found is None:
        return None
    return " ".join("".join(found.itertext()).split()) or None


def read_collection(layout: Layout, documents: dict) -> Collection:
    """The collection of every live document the manifest lists whose master is present.

    Tombstones (``"deleted": true``, a withdrawn document) are left out.
    """
    entries = []
    for identifier, record in sorted(documents.items()):
        if record.get("deleted"):
            continue
        outputs = {kind: layout.output(kind, identifier) for kind in record.get("outputs") or {}}
        master = outputs.get("tei")
        if master is None or not master.is_file():
            continue
        entries.append(Entry(identifier, record, read_header(master), outputs))
    return Collection(layout, tuple(entries))
