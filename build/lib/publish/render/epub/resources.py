"""The publication resources besides content documents: the master's images (EPUB 3.3 §3).

Only the master's own images are packaged, from its assets, and only the EPUB
3.3 core image types (§3.2), as :func:`publish.images.image_type` tells them
from their bytes.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re

from publish.errors import RenderError
from publish.images import image_type
from publish.layout import asset_folder_name
from publish.render.epub.cover import COVER_IMAGE
from publish.render.epub.documents import Document, H
from publish.render.epub.metadata import BookMetadata
from publish.tei.master import Master


@dataclasses.dataclass(frozen=True)
class Resource:
    """A publication resource other than a content document: its path, bytes and type."""

    href: str
    data: bytes
    media_type: str


def document_images(documents: list[Document], master: Master, meta: BookMetadata) -> list[Resource]:
    """The images the documents show, from the master's assets (its ``<id>_assets/`` folder).

    Only the master's own images are taken (no absolute paths, no ``..``, no
    URLs: nothing is fetched); the image keeps its relative path inside the
    EPUB, so the ``src`` stays right.
    """
    folder = asset_folder_name(meta.local_id)
    found: dict[str, Resource] = {}
    for document in documents:
        for image in document.root.iter(H + "img"):
            href = image.get("src", "")
            if href == COVER_IMAGE or href in found:
                continue
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.startswith("/") \
                    or posixpath.normpath(href).split("/")[0] != folder or ".." in href.split("/"):
                raise RenderError(f"image {href!r} is not in the asset folder {folder}/")
            data = master.assets.get(posixpath.normpath(href))
            if data is None:
                raise RenderError(f"cannot read image {href}: No such file or directory")
            kind = image_type(data)
            if kind is None:
                raise RenderError(f"image {href} is not PNG, JPEG, GIF, WebP or SVG "
                                  "(the EPUB 3.3 core image types)")
            found[href] = Resource(href, data, kind[0])
    return [found[href] for href in sorted(found)]
