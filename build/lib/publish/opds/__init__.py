"""The OPDS catalogues of the collection: OPDS Catalog 1.2 (Atom) and OPDS 2.0 (JSON), with PNG covers.

A collection output (the ``opds`` row of :data:`publish.formats.COLLECTIONS`,
folder ``dist/site/opds/``): :func:`render` plans the catalogue once
(:mod:`.catalogue`) and writes it twice, as OPDS 1.2 feeds ending ``.atom``
plus an OpenSearch description ``search.osdx`` (:mod:`.atom`) and as OPDS 2.0
feeds ending ``.opds.json`` (:mod:`.opds2`), with a cover and a thumbnail per
document drawn from the EPUB's cover design (:mod:`.covers`). The catalogue
roots are ``root.atom`` and ``root.opds.json``.

Links are relative (RFC 3986 §5): editions point at the site's copies,
``../doc/<id>/<id>.epub|.pdf|.xml``, so ``dist/site/`` can be hosted under any
URL. All dates come from ``SOURCE_DATE_EPOCH`` (the catalogue's) or from each
document's manifest record (its entry's ``updated``), so the same inputs give
the same bytes.
"""

from __future__ import annotations

from publish.collection import Collection
from publish.opds import atom, opds2
from publish.opds.catalogue import build_catalogue
from publish.opds.covers import covers
from publish.options import Options


def render(collection: Collection, options: Options) -> dict[str, bytes]:
    """Every file of the catalogues, by path inside ``dist/site/opds/`` (see :mod:`publish.formats`)."""
    catalogue = build_catalogue(collection, options)
    files = {**atom.feeds(catalogue), **opds2.feeds(catalogue)}
    folder = collection.layout.collection("opds")
    for entry in collection.entries:
        files.update(covers(entry, options, folder))
    return files
