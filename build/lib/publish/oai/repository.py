"""One request's view of the repository: the manifest, read once, and each master's header.

An OAI-PMH item (OAI-PMH 2.0 §2.3) is one document of the manifest
(``dist/manifest.json``); its identifier is ``oai:<repository_id>:<document
id>`` (the oai-identifier scheme), its datestamp the record's ``changed``
time, and its sets the collection its header names (``seriesStmt/title``).
A tombstone (``"deleted": true``) is an item with status ``deleted``.

A build may be writing while a request runs: files are replaced atomically
(``os.replace``), so the manifest is read once and each master at most once,
whole, then parsed from those bytes. A master that is gone by the time it is
read (the build is removing a failed or withdrawn document) leaves its item
out of this response. Parsed headers, with the facts read from them, are
kept in a small per-process cache keyed by the master's sha256, and only when
the bytes read match the digest the manifest records, so a header is never
cached under the wrong version.
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import io
import re
import threading
import unicodedata
import urllib.parse

from lxml import etree

from publish.build.manifest import load_manifest
from publish.collection import collection_name, read_header
from publish.layout import Layout
from publish.oai.settings import Settings
from publish.tei.header import HeaderFacts

#: What the oai-identifier scheme's local part admits besides letters and digits (and %).
LOCAL_SAFE = "-_.!~*'();/?:@&=+$,"
CACHE_SIZE = 4096


@dataclasses.dataclass(frozen=True)
class Parsed:
    """A master's teiHeader and what is read from it, once (XPath costs more than the parse)."""

    header: etree._Element
    facts: HeaderFacts
    collection: str | None


_cache: collections.OrderedDict[str, Parsed] = collections.OrderedDict()
_cache_lock = threading.Lock()


def set_spec(name: str) -> str:
    """The setSpec of a collection (§4.6): a readable slug and 8 hex digits of its name's sha256.

    Derived from the name alone, so it is the same on every server and build;
    the digest keeps names that slug alike ("A B", "a-b") apart.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].strip("-")
    return f"{slug or 'collection'}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


@dataclasses.dataclass(frozen=True)
class Item:
    """One document as OAI-PMH sees it."""

    identifier: str
    changed: int
    deleted: bool
    record: dict
    #: The master's teiHeader and its facts; None for a tombstone.
    parsed: Parsed | None
    collection: str | None

    @property
    def header(self) -> etree._Element | None:
        return self.parsed.header if self.parsed else None

    @property
    def facts(self) -> HeaderFacts | None:
        return self.parsed.facts if self.parsed else None

    @property
    def sets(self) -> tuple[str, ...]:
        return (set_spec(self.collection),) if self.collection else ()


class Snapshot:
    """The manifest as one request reads it, and the items it lists."""

    def __init__(self, layout: Layout, settings: Settings) -> None:
        self.layout = layout
        self.settings = settings
        self.documents = {k: v for k, v in load_manifest(layout)["documents"].items()
                          if isinstance(v, dict)}
        self._items: dict[str, Item | None] = {}

    def oai_identifier(self, identifier: str) -> str:
        """``oai:<repository_id>:<document id>``, characters outside the scheme's set %-encoded."""
        return f"oai:{self.settings.repository_id}:{urllib.parse.quote(identifier, safe=LOCAL_SAFE)}"

    def document_id(self, oai_identifier: str) -> str | None:
        """The document id an OAI identifier names, or None if it is not one of ours."""
        prefix = f"oai:{self.settings.repository_id}:"
        if not oai_identifier.startswith(prefix):
            return None
        return urllib.parse.unquote(oai_identifier.removeprefix(prefix))

    def item(self, identifier: str) -> Item | None:
        """The item for a document id, or None if unknown or its master is gone."""
        if identifier not in self._items:
            self._items[identifier] = self._read(identifier)
        return self._items[identifier]

    def items(self) -> list[Item]:
        """Every item, in document id order (the order of every list and of paging)."""
        return [item for item in map(self.item, sorted(self.documents)) if item is not None]

    def earliest(self) -> int:
        """The earliest datestamp of any item, tombstones included (§4.2)."""
        return min((changed_of(r) for r in self.documents.values()), default=0)

    def _read(self, identifier: str) -> Item | None:
        record = self.documents.get(identifier)
        if record is None:
            return None
        if record.get("deleted"):
            return Item(identifier, changed_of(record), True, record, None, record.get("collection"))
        digest = (record.get("outputs") or {}).get("tei")
        if digest is None:
            return None
        parsed = cached_header(self.layout.master(identifier), digest)
        if parsed is None:
            return None
        return Item(identifier, changed_of(record), False, record, parsed, parsed.collection)


def changed_of(record: dict) -> int:
    """A record's datestamp: ``changed``, or its build date for records made before it existed."""
    value = record.get("changed", record.get("source_date_epoch", 0))
    return value if isinstance(value, int) else 0


def cached_header(path, digest: str) -> Parsed | None:
    """The parsed header of the master at ``path`` whose manifest digest is ``digest``; None if gone."""
    with _cache_lock:
        if digest in _cache:
            _cache.move_to_end(digest)
            return _cache[digest]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        header = read_header(io.BytesIO(data))
    except (ValueError, etree.XMLSyntaxError):
        return None  # not a master we can read: left out, as if it were gone
    parsed = Parsed(header, HeaderFacts.read(header.getroottree()), collection_name(header))
    if hashlib.sha256(data).hexdigest() == digest:
        with _cache_lock:
            _cache[digest] = parsed
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return parsed
