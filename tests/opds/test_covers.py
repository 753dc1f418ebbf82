"""PNG covers: the EPUB's own cover SVG, drawn reproducibly, reused when nothing changed."""

from __future__ import annotations

import struct
import zipfile

from PIL import Image

from publish.opds.covers import (
    COVER,
    KEY,
    THUMBNAIL,
    chunk_types,
    draw,
    drawing_key,
    png_or_reuse,
    text_chunk,
    with_text_chunk,
)


def epub_cover(built, identifier: str) -> bytes:
    with zipfile.ZipFile(built.dist / "epub" / f"{identifier}.epub") as epub:
        return epub.read("EPUB/cover.svg")


def size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def test_each_cover_is_drawn_from_the_svg_inside_the_epub(built):
    for identifier in ("reading_ar", "reading_zh"):
        svg = epub_cover(built, identifier)
        for name, dimensions in ((f"{identifier}.png", COVER), (f"{identifier}-thumbnail.png", THUMBNAIL)):
            png = (built.opds / "covers" / name).read_bytes()
            assert text_chunk(png, KEY) == drawing_key(svg, dimensions).encode(), name
            assert size(png) == dimensions
            with Image.open(built.opds / "covers" / name) as image:
                image.load()  # decodes: the chunk inserted after IHDR keeps the file valid
                assert image.size == dimensions


def test_every_document_has_a_cover_and_a_thumbnail(built):
    covers = {p.name for p in (built.opds / "covers").iterdir()}
    masters = {p.stem for p in (built.dist / "tei").glob("*.xml")}
    assert covers == {f"{m}.png" for m in masters} | {f"{m}-thumbnail.png" for m in masters}


def test_pngs_hold_no_time_and_the_same_inputs_draw_the_same_bytes(built):
    svg = epub_cover(built, "reading_ar")
    png = (built.opds / "covers" / "reading_ar-thumbnail.png").read_bytes()
    assert b"tIME" not in chunk_types(png)
    assert chunk_types(png)[:2] == [b"IHDR", b"tEXt"]
    assert draw(svg, THUMBNAIL) == png


def test_a_png_is_reused_only_when_its_key_matches(built, tmp_path):
    zh_svg = epub_cover(built, "reading_zh")
    ar_png = (built.opds / "covers" / "reading_ar-thumbnail.png").read_bytes()
    # Arabic pixels labelled as drawn from the Chinese SVG: reused as they are, so nothing is drawn.
    untagged = ar_png[:33] + ar_png[33 + 12 + len(KEY) + 1 + 64:]
    assert untagged.startswith(b"\x89PNG") and b"tEXt" not in chunk_types(untagged)
    labelled = tmp_path / "labelled.png"
    labelled.write_bytes(with_text_chunk(untagged, KEY, drawing_key(zh_svg, THUMBNAIL).encode()))
    assert png_or_reuse(zh_svg, THUMBNAIL, labelled) == labelled.read_bytes()
    # The Arabic PNG with its own key is stale for the Chinese SVG: drawn again.
    stale = tmp_path / "stale.png"
    stale.write_bytes(ar_png)
    fresh = png_or_reuse(zh_svg, THUMBNAIL, stale)
    assert fresh != ar_png and fresh == (built.opds / "covers" / "reading_zh-thumbnail.png").read_bytes()
