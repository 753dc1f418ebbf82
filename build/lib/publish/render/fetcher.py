"""The safe URL fetcher WeasyPrint gets: ``data:`` URLs and a few local folders, nothing else.

WeasyPrint fetches stylesheets, fonts and images through a URL fetcher
(WeasyPrint documentation, "URL Fetchers"). Its default follows any URL,
``http:`` and redirects included. This one never opens a socket: it serves

* ``data:`` URLs (RFC 2397), and
* ``file:`` URLs (RFC 8089) on the local host whose real path (symbolic links
  resolved) lies inside one of the allowed folders (``templates/``), and
* the document's own images, which the renderer holds in memory
  (:class:`publish.tei.master.Master`) and which WeasyPrint sees under a fixed
  virtual folder: ``file:///publish-document/<id>_assets/<name>``.

Everything else (``file:///etc/passwd``, ``http(s):``, loopback addresses,
``ftp:``, a symbolic link out of an allowed folder) is refused: the refusal is
logged as a WARNING on :data:`publish.log.LOGGER` (the output lacks something a
person should look at) and the fetch fails with :class:`RefusedURL`, so
WeasyPrint leaves that resource out. Since nothing is ever fetched over the
network, no redirect can be followed.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

from publish.log import LOGGER

#: Host names a ``file:`` URL may carry (RFC 8089 §2: empty or "localhost").
LOCAL_HOSTS = {"", "localhost"}


class RefusedURL(ValueError):
    """A URL the safe fetcher will not open; WeasyPrint leaves the resource out."""


class SafeFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only ``data:`` and allowed ``file:`` URLs."""

    def __init__(self, allowed: tuple[Path, ...], document: str = "",
                 virtual: tuple[Path, Mapping[str, bytes]] | None = None) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        # Real paths, so a symbolic link cannot lead out of an allowed folder.
        self.allowed = tuple(Path(os.path.realpath(folder)) for folder in allowed)
        self.document = document
        # (virtual folder, files by relative URL): URLs under the folder are served from memory.
        self.virtual = virtual

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        """Serve ``url`` if it is allowed; otherwise log a warning and raise :class:`RefusedURL`."""
        scheme = urllib.parse.urlsplit(url).scheme.lower()
        if scheme == "data":
            return self.fetch_data(url)
        if scheme == "file":
            return self.fetch_file(url)
        self.refuse(url, f"the {scheme or 'missing'} scheme is not allowed (only data: and local files)")

    def fetch_data(self, url: str) -> URLFetcherResponse:
        """Decode a ``data:`` URL (RFC 2397) with the standard library."""
        with urllib.request.DataHandler().data_open(urllib.request.Request(url)) as response:
            return URLFetcherResponse(url, response.read(), dict(response.headers))

    def fetch_file(self, url: str) -> URLFetcherResponse:
        """Read a local file if its real path lies inside an allowed folder."""
        parts = urllib.parse.urlsplit(url)
        if parts.netloc.lower() not in LOCAL_HOSTS:
            self.refuse(url, f"the file is on another host ({parts.netloc})")
        path = Path(urllib.request.url2pathname(parts.path))
        if self.virtual and path.is_relative_to(self.virtual[0]):
            return self.fetch_virtual(url, path.relative_to(self.virtual[0]).as_posix())
        path = Path(os.path.realpath(path))
        if not any(path.is_relative_to(folder) for folder in self.allowed):
            self.refuse(url, "the file is outside templates/ and the document's asset folder")
        if not path.is_file():
            self.refuse(url, "no such file")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": media_type})

    def fetch_virtual(self, url: str, name: str) -> URLFetcherResponse:
        """Serve one of the document's own files, held in memory, by its relative URL."""
        data = self.virtual[1].get(posixpath.normpath(name))
        if data is None:
            self.refuse(url, "not one of the document's images (no such file in its asset folder)")
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, data, {"Content-Type": media_type})

    def refuse(self, url: str, reason: str) -> None:
        """Log the refusal as a WARNING and fail the fetch."""
        shown = url if len(url) <= 120 else url[:117] + "..."
        where = f"{self.document}: " if self.document else ""
        LOGGER.warning("%srefused to fetch %s: %s", where, shown, reason)
        raise RefusedURL(f"refused {shown}: {reason}")
