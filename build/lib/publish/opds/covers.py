"""PNG covers and thumbnails, drawn from the EPUB's own cover SVG (OPDS 1.2 §5.2.2).

The cover is ``templates/cover.svg.j2`` as :func:`publish.render.epub.cover.cover_svg`
fills it for the EPUB, so the catalogue shows the very cover the book has.
OPDS 1.2 §5.2.2 asks for GIF, JPEG or PNG; the SVG is rasterised with resvg
(``resvg-py``), which shapes with rustybuzz (Arabic joins, Hebrew and Arabic
run right to left) and falls back glyph by glyph through the installed fonts
only: cairosvg drew Arabic unjoined and Latin digits in a Hebrew face as tofu,
and WeasyPrint's SVG text reversed Arabic, on the same covers.

Rasterising is the one slow step of the catalogue (about 0.15 s a cover at
600×900 on this machine), and the collection renderer is called for every
change of any document. So each PNG carries, in a ``tEXt`` chunk, the sha256
of what it was drawn from (the SVG, the size, the resvg-py version); a PNG
already in ``dist/`` whose key matches is reused as it is. PNGs hold no time
chunk, so the bytes depend only on that key and the installed fonts.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import struct
import zlib
from pathlib import Path

import resvg_py

from publish.collection import Entry
from publish.options import Options
from publish.render.epub.cover import cover_svg
from publish.render.epub.metadata import book_metadata

#: (width, height) in pixels: the SVG is drawn at 1200×1800; half is ample for a
#: reading app's detail view, and a sixth for its lists.
COVER = (600, 900)
THUMBNAIL = (200, 300)
KEY = b"publish:drawn-from"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def cover_source(entry: Entry, options: Options) -> bytes:
    """The EPUB's cover SVG for a document, from its header alone."""
    tree = entry.header.getroottree()
    return cover_svg(book_metadata(tree, entry.outputs["tei"]), options.templates)


@functools.cache
def renderer_version() -> str:
    # Cached: importlib.metadata scans every installed distribution on each call.
    return importlib.metadata.version("resvg-py")


def drawing_key(svg: bytes, size: tuple[int, int]) -> str:
    """What a PNG is a function of: the SVG, the size and the renderer's version."""
    version = renderer_version()
    return hashlib.sha256(b"%s\0%dx%d\0%s" % (version.encode(), *size, svg)).hexdigest()


def draw(svg: bytes, size: tuple[int, int]) -> bytes:
    """The SVG as a PNG of ``size``, with its drawing key in a ``tEXt`` chunk."""
    png = bytes(resvg_py.svg_to_bytes(svg_string=svg.decode("utf-8"), width=size[0], height=size[1]))
    return with_text_chunk(png, KEY, drawing_key(svg, size).encode())


def png_or_reuse(svg: bytes, size: tuple[int, int], previous: Path) -> bytes:
    """The PNG already at ``previous`` if it was drawn from the same inputs, else a new one."""
    if previous.is_file():
        data = previous.read_bytes()
        if text_chunk(data, KEY) == drawing_key(svg, size).encode():
            return data
    return draw(svg, size)


def covers(entry: Entry, options: Options, folder: Path) -> dict[str, bytes]:
    """A document's cover and thumbnail, ``covers/<id>.png`` and ``covers/<id>-thumbnail.png``."""
    svg = cover_source(entry, options)
    names = {f"covers/{entry.identifier}.png": COVER, f"covers/{entry.identifier}-thumbnail.png": THUMBNAIL}
    return {name: png_or_reuse(svg, size, folder / name) for name, size in names.items()}


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC-32 of type and data (PNG spec §5.3)."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_text_chunk(png: bytes, keyword: bytes, text: bytes) -> bytes:
    """``png`` with a ``tEXt`` chunk inserted after IHDR (PNG spec §11.3.4.3)."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    (length,) = struct.unpack(">I", png[8:12])
    end_of_ihdr = 8 + 12 + length
    return png[:end_of_ihdr] + chunk(b"tEXt", keyword + b"\0" + text) + png[end_of_ihdr:]


def text_chunk(png: bytes, keyword: bytes) -> bytes | None:
    """The text of the first ``tEXt`` chunk with this keyword, or ``None``."""
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(png):
        (length,) = struct.unpack(">I", png[position:position + 4])
        kind = png[position + 4:position + 8]
        data = png[position + 8:position + 8 + length]
        if kind == b"tEXt" and data.startswith(keyword + b"\0"):
            return data[len(keyword) + 1:]
        if kind in (b"IDAT", b"IEND"):
            return None
        position += 12 + length
    return None


def chunk_types(png: bytes) -> list[bytes]:
    """Every chunk type in order, for checks (no ``tIME``)."""
    types, position = [], len(PNG_SIGNATURE)
    while position + 8 <= len(png):
        (length,) = struct.unpack(">I", png[position:position + 4])
        types.append(png[position + 4:position + 8])
        position += 12 + length
    return types

