"""What a normaliser receives and returns.

A normaliser is a module with ``NAME``, ``MEDIA_TYPE`` and
``normalise(source: Source) -> Normalised``. It returns only the TEI
``<text>`` and what it found; the header is built once, by
:func:`publish.normalise.normalise_source`, from that and the sidecar.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from lxml import etree

from publish.metadata import Metadata
from publish.tei.header import Decisions


@dataclasses.dataclass(frozen=True)
class Source:
    """An input document: its path, its bytes and its sidecar metadata."""

    path: Path
    data: bytes
    sidecar: Metadata = Metadata()

    @property
    def identifier(self) -> str:
        """The document's id: the file stem (outputs are named only from it)."""
        return self.path.stem

    @property
    def encoding(self) -> str | None:
        """An encoding forced by the sidecar, if any."""
        return self.sidecar.encoding


@dataclasses.dataclass(frozen=True)
class Normalised:
    """A normaliser's result: the TEI ``<text>`` and the record of what it did."""

    text: etree._Element
    found: Metadata
    decisions: Decisions
    encoding: str | None = None
    bom: bool = False
    line_endings: str | None = None
    assets: tuple[tuple[str, bytes], ...] = ()
    #: An independent reading of the source's visible text, and what it was read from,
    #: which :func:`publish.normalise.words.check` finds word for word in ``text``.
    reading: str | None = None
    reading_of: str = ""
