"""The TEI master as renderers get it: the parsed tree, its bytes and its assets.

A renderer takes a :class:`Master` and returns bytes; it never reads a file.
The master's images are named by its ``graphic/@url`` values, which are
relative to the master (``<id>_assets/<name>``, TEI P5 §3.10, *Graphics and
Other Non-textual Components*), so every edition reads the same images
whatever the master's file is called.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from lxml import etree

from publish.errors import InputError, InvalidTEIError
from publish.tei import parse_bytes, tag, xpath

#: A URL with a scheme (``http:``, ``file:``, ``data:``): never read from disk.
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclasses.dataclass(frozen=True)
class Master:
    """One TEI master: ``tree`` parsed from ``data``, and ``assets`` by their URL."""

    identifier: str
    tree: etree._ElementTree
    data: bytes
    #: ``graphic/@url`` (relative to the master) → the image's bytes.
    assets: Mapping[str, bytes] = dataclasses.field(default_factory=dict)
    #: Where the master is, as messages name it.
    path: Path | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "assets", MappingProxyType(dict(self.assets)))

    @property
    def filename(self) -> str:
        """The master's file name, ``<id>.xml``, as an edition that embeds it names it."""
        return self.path.name if self.path is not None else f"{self.identifier}.xml"

    @property
    def shown(self) -> Path:
        """The path messages name: the master's file, or its name if it has none."""
        return self.path if self.path is not None else Path(self.filename)

    @classmethod
    def from_bytes(cls, identifier: str, data: bytes, assets: Mapping[str, bytes] | None = None,
                   path: Path | None = None) -> Master:
        """Parse a master's bytes; refuse anything that is not a TEI document."""
        # huge_tree: a master's one paragraph may be longer than libxml2's 10 MB text limit.
        tree = parse_bytes(data, path or f"{identifier}.xml", huge_tree=True)
        if tree.getroot().tag != tag("TEI"):
            raise InvalidTEIError(f"not a TEI document: the root element is {tree.getroot().tag}",
                                  path or f"{identifier}.xml")
        return cls(identifier, tree, data, assets or {}, path)

    @classmethod
    def read(cls, path: Path) -> Master:
        """Read a master and the images its ``graphic/@url`` names, from beside it."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(f"cannot read the TEI master: {error.strerror}", path) from None
        master = cls.from_bytes(path.stem, data, path=path)
        found = {url: read_asset(path, url) for url in asset_urls(master.tree)}
        return dataclasses.replace(master, assets={u: d for u, d in found.items() if d is not None})


def asset_urls(tree: etree._ElementTree) -> list[str]:
    """The relative URLs of a master's images, in document order, each once."""
    urls = [url for url in xpath(tree.getroot(), "//tei:graphic/@url") if not SCHEME.match(url)]
    return list(dict.fromkeys(urls))


def read_asset(master: Path, url: str) -> bytes | None:
    """An image beside the master, or ``None`` if it is missing or outside the master's folder.

    A missing image is the renderer's to report, as it is for any image it lacks.
    """
    folder = Path(os.path.realpath(master.parent))
    target = Path(os.path.realpath(folder / url))
    if url.startswith("/") or not target.is_relative_to(folder) or not target.is_file():
        return None
    try:
        return target.read_bytes()
    except OSError:
        return None
