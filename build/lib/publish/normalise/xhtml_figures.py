"""The HTML→TEI converter's figures: ``img`` and ``figure``/``figcaption``.

Each becomes a TEI ``figure`` (TEI P5 Guidelines §14.4) holding the ``graphic``,
the caption as ``head`` and the alt text as ``figDesc``. Nothing is fetched:
images come only from ``data:`` URLs (RFC 2397), from files beside the source
(never above its folder) or from the DOCX package; a remote or ``file:`` image
is not fetched, and its figure says so (WARNING).
"""

from __future__ import annotations

import urllib.parse

from lxml import etree

from publish.log import LOGGER
from publish.normalise import structure
from publish.normalise.resources import local_file, short
from publish.tei import T


class FigureElements:
    """Handlers for ``img`` and ``figure``, mixed into the converter.

    They use the converter's walking (``children``, ``convert``, ``phrase``) and its
    ``assets``, ``images``, ``local_images``, ``ids``, ``report`` and ``source``
    (:class:`publish.normalise.xhtml_to_tei.Converter`).
    """

    def html_img(self, element, top):
        return [self.image(element, None)]

    def html_figure(self, element, top):
        images = list(element.iter("img"))
        if len(images) != 1:
            return self.children(element, top)
        caption_element = element.find("figcaption")
        caption = self.phrase(T.head(), caption_element) if caption_element is not None else None
        fig = self.image(images[0], caption)
        self.ids.bind([element.get("id")], fig)
        rest = []
        for child in element:
            if child is caption_element or child is images[0] or not isinstance(child.tag, str):
                continue
            if images[0] in child.iter("img"):
                continue
            rest.extend(self.convert(child))
        return [fig] + rest

    def image(self, element: etree._Element, caption) -> etree._Element:
        """A ``figure`` for an ``img``: the picture copied into the assets, never fetched."""
        src = (element.get("src") or "").strip()
        alt = element.get("alt")
        if alt is None:
            alt = element.get("title")
        data, why = self.image_bytes(src)
        stored = self.assets.add(data) if data is not None else None
        if data is not None and stored is None:
            why = "not a PNG, JPEG or GIF image"
        if stored is None:
            LOGGER.warning("%s: image %s not included: %s", self.source, short(src), why)
        elif not (alt or "").strip():
            LOGGER.info("%s: image %s has no alt text", self.source, short(src))
        self.report.mapped["<img> → figure"] += 1
        fig = structure.figure(stored, alt, caption, None if stored else f"{why} ({short(src)})")
        self.ids.bind([element.get("id")], fig)
        return fig

    def image_bytes(self, src: str) -> tuple[bytes | None, str]:
        """The bytes of an image source, and why not when ``None``."""
        if not src:
            return None, "no source"
        if src in self.images:
            found = self.images[src]
            return (None, found) if isinstance(found, str) else (found, "")
        if src.startswith("data:"):
            data = structure.data_url_bytes(src)
            return (data, "") if data else (None, "a malformed data: URL")
        scheme = urllib.parse.urlsplit(src).scheme.lower()
        if scheme:
            return None, f"a {scheme}: resource is never fetched"
        if not self.local_images:
            return None, "a file outside the package"
        return local_file(self.source, src)
