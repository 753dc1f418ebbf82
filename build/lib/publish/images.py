"""What kind of image some bytes are, from their first bytes: the one table publish uses.

The kinds are the EPUB 3.3 core media types for raster and vector images
(EPUB 3.3 §3.2, *Core media types*): PNG (ISO/IEC 15948), JPEG (ISO/IEC
10918-1, JFIF), GIF (87a and 89a), WebP (RFC 9649, a RIFF container) and SVG
(SVG 1.1/2, XML text). The normalisers store only some of them
(:mod:`publish.normalise.structure`); the EPUB renderer packages any of them.

Standard library only, so every layer can use it.
"""

from __future__ import annotations

import re

#: Signature → (media type, file extension), tried in order.
IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)
#: An SVG document's start: an optional XML declaration and comments, then ``<svg``.
SVG_START = re.compile(rb"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<svg[\s>]", re.DOTALL)
#: How far into the bytes the SVG start is looked for.
SVG_WINDOW = 2048


def image_type(data: bytes) -> tuple[str, str] | None:
    """``(media type, extension)`` of a core-media-type image, from its bytes; else ``None``."""
    for signature, media_type, extension in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return media_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    if SVG_START.match(data[:SVG_WINDOW]):
        return "image/svg+xml", "svg"
    return None
