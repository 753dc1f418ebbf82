"""Tests for publish.images: the one signature table, and the two places that read it.

The normalisers store PNG, JPEG and GIF only (:class:`publish.normalise.structure.Assets`);
the EPUB renderer packages every EPUB 3.3 core image type (§3.2).
"""

from __future__ import annotations

import pytest

from publish.images import image_type
from publish.normalise.structure import Assets

#: The first bytes of each kind, as a real file of that kind begins.
SAMPLES = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "gif87": b"GIF87a\x01\x00\x01\x00",
    "gif89": b"GIF89a\x01\x00\x01\x00",
    "webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    "svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    "svg with prolog": b"<?xml version='1.0'?>\n<!-- drawn by hand -->\n<svg width='1'></svg>",
}


@pytest.mark.parametrize(("name", "expected"), [
    ("png", ("image/png", "png")),
    ("jpeg", ("image/jpeg", "jpg")),
    ("gif87", ("image/gif", "gif")),
    ("gif89", ("image/gif", "gif")),
    ("webp", ("image/webp", "webp")),
    ("svg", ("image/svg+xml", "svg")),
    ("svg with prolog", ("image/svg+xml", "svg")),
])
def test_each_core_image_type_is_named_with_its_extension(name, expected):
    assert image_type(SAMPLES[name]) == expected


@pytest.mark.parametrize("data", [
    b"", b"%PDF-1.7", b"RIFF\x24\x00\x00\x00WAVEfmt ", b"<html><svg/></html>", b"<svgfoo/>",
    b" " * 2048 + b"<svg/>",  # beyond the window the start is looked for in
])
def test_anything_else_is_not_an_image(data):
    assert image_type(data) is None


def test_the_normalisers_store_png_jpeg_and_gif_only():
    assets = Assets("doc")
    stored = {name: assets.add(data) for name, data in SAMPLES.items()}
    assert {name for name, found in stored.items() if found} == {"png", "jpeg", "gif87", "gif89"}
    url, media_type = stored["jpeg"]
    assert url.startswith("doc_assets/img-") and url.endswith(".jpg") and media_type == "image/jpeg"
