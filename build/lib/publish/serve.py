"""``publish serve``: the reading room (``dist/site/``) over HTTP on 127.0.0.1, for preview.

The server is waitress (a pure-Python production WSGI server); files are
served by WhiteNoise, which sends ``ETag`` and ``Last-Modified``, answers
``If-None-Match`` and ``If-Modified-Since`` with 304, and answers a single
``Range`` with 206 and ``Content-Range`` (RFC 9110 §14; a multi-range
request gets the whole file, which §14.2 allows). WhiteNoise does not read
``If-Range``; :class:`IfRange` adds it (§13.1.5: a range of a file that
changed since the client's copy must not be sent). WhiteNoise's autorefresh
mode looks each file up when it is asked for, so a rebuild shows at once.

Media types come from :data:`MEDIA_TYPES`, a literal table matched on the end
of the file name (so ``.opds.json`` wins over ``.json``). Other WSGI
applications are mounted by :data:`MOUNTS`: a path prefix and the
``"module:function"`` of a factory ``make_app(layout: Layout, options:
Options)`` returning the application (as ``publish.oai.wsgi:make_app`` is).
A mount whose module is not installed is skipped with a warning, so a
missing component never stops the preview.

Only the site is served: :class:`SiteFilesOnly` answers 404 for any path that
passes through a symbolic link or names anything but a regular file (or a
folder's ``index.html``), since WhiteNoise would follow a link planted in
``dist/site`` to any file the server's user can read. Cross-origin reads
(``Access-Control-Allow-Origin: *``, which WhiteNoise sends by default) are
allowed only for what a reading app on another origin fetches: the
downloads (the suffixes of ``FORMATS``) and the OPDS catalogue (its
``COLLECTIONS`` folder).
"""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from publish.errors import UsageError
from publish.formats import COLLECTIONS, FORMATS
from publish.layout import Layout
from publish.log import LOGGER
from publish.options import Options

HOST = "127.0.0.1"

#: File name ending → Content-Type, longest endings first where one ends another.
MEDIA_TYPES: tuple[tuple[str, str], ...] = (
    (".opds.json", "application/opds+json"),
    (".atom", "application/atom+xml;profile=opds-catalog"),
    (".osdx", "application/opensearchdescription+xml"),
    (".epub", "application/epub+zip"),
    (".pdf", "application/pdf"),
    (".xml", "application/tei+xml"),  # in the site, .xml files are the TEI masters offered for download
    (".html", "text/html; charset=utf-8"),
    (".css", "text/css; charset=utf-8"),
    (".js", "text/javascript; charset=utf-8"),
    (".json", "application/json"),
    (".bib", "application/x-bibtex; charset=utf-8"),
    (".ris", "application/x-research-info-systems; charset=utf-8"),
    (".png", "image/png"),
    (".jpg", "image/jpeg"),
    (".jpeg", "image/jpeg"),
    (".gif", "image/gif"),
    (".svg", "image/svg+xml"),
    (".webp", "image/webp"),
)

#: Path prefix → ``"module:function"`` of a WSGI application factory, ``make_app(layout, options)``.
MOUNTS: tuple[tuple[str, str], ...] = (
    # path    factory
    ("/oai", "publish.oai.wsgi:make_app"),  # OAI-PMH 2.0 over the manifest and the masters
)


def media_type(name: str) -> str | None:
    """The Content-Type of a file name by :data:`MEDIA_TYPES`, or ``None`` (WhiteNoise's guess)."""
    lowered = name.lower()
    for ending, value in MEDIA_TYPES:
        if lowered.endswith(ending):
            return value
    return None


#: URL path prefixes under the site of the collection outputs a reading app reads
#: from another origin: the OPDS catalogue (``site/opds`` → ``/opds/``).
SHARED_FOLDERS: tuple[str, ...] = tuple(
    "/" + row.folder.removeprefix("site/") + "/" for row in COLLECTIONS if row.folder.startswith("site/"))


def cross_origin(url: str) -> bool:
    """Whether another origin may read this URL path: a download (a ``FORMATS`` suffix) or the OPDS catalogue."""
    return url.lower().endswith(tuple(row.suffix for row in FORMATS)) or url.startswith(SHARED_FOLDERS)


def set_headers(headers, path: str, url: str) -> None:
    """WhiteNoise's ``add_headers_function``: the Content-Type from the table, CORS where shared."""
    value = media_type(path)
    if value is not None:
        headers["Content-Type"] = value
    if cross_origin(url):
        headers["Access-Control-Allow-Origin"] = "*"


class SiteFilesOnly:
    """Pass on only requests for regular files inside the site, reached through no link.

    Each component of the path below the site's root is looked at with
    ``lstat``: a symbolic link anywhere (to a file, a folder, or another link)
    is refused, as are ``..``, NUL, sockets, FIFOs and devices. A folder is
    served only by its regular ``index.html``. Anything refused or absent is
    a plain 404, so the answer says nothing of what lies outside.
    """

    def __init__(self, app: Callable, root: Path) -> None:
        self.app = app
        self.root = Path(os.path.realpath(root))

    def __call__(self, environ, start_response):
        if self.allowed(environ.get("PATH_INFO", "")):
            return self.app(environ, start_response)
        return not_found(environ, start_response)

    def allowed(self, path_info: str) -> bool:
        try:  # PEP 3333: PATH_INFO carries the request's bytes as latin-1
            path = path_info.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return False
        parts = [part for part in path.split("/") if part]
        if any(part in (".", "..") or "\0" in part for part in parts):
            return False
        current = self.root
        for part in parts:
            current = current / part
            mode = lstat_mode(current)
            if mode is None or stat.S_ISLNK(mode):
                return False
        mode = lstat_mode(current)
        if mode is not None and stat.S_ISDIR(mode):
            mode = lstat_mode(current / "index.html")
        return mode is not None and stat.S_ISREG(mode)


def lstat_mode(path: Path) -> int | None:
    """The file's mode without following a link, or ``None`` if it cannot be looked at."""
    try:
        return os.lstat(path).st_mode
    except (OSError, ValueError):
        return None


def not_found(environ, start_response):
    body = b"Not found\n"
    start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8"),
                                     ("Content-Length", str(len(body)))])
    return [body]


class IfRange:
    """Honour ``If-Range`` (RFC 9110 §13.1.5) around an application that ignores it.

    A range is sent only if the validator still matches: an entity tag
    compared strongly, or a date equal to ``Last-Modified``. Otherwise the
    request is answered again without its ``Range``: the whole, current file.
    """

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        condition = environ.get("HTTP_IF_RANGE")
        if not condition or "HTTP_RANGE" not in environ:
            return self.app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: None

        body = self.app(environ, capture)
        fields = {name.lower(): value for name, value in captured["headers"]}
        is_tag = condition.startswith(('"', 'W/"'))
        current = fields.get("etag", "") if is_tag else fields.get("last-modified")
        if captured["status"].startswith("206") and (condition != current or condition.startswith("W/")):
            if hasattr(body, "close"):
                body.close()
            environ = {k: v for k, v in environ.items() if k not in ("HTTP_RANGE", "HTTP_IF_RANGE")}
            return self.app(environ, start_response)
        start_response(captured["status"], captured["headers"], captured["exc_info"])
        return body


class Mounted:
    """Dispatch by path prefix to mounted applications, else to the site (PEP 3333 SCRIPT_NAME)."""

    def __init__(self, site: Callable, mounts: dict[str, Callable]) -> None:
        self.site = site
        self.mounts = sorted(mounts.items(), key=lambda item: -len(item[0]))

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        for prefix, app in self.mounts:
            if path == prefix or path.startswith(prefix + "/"):
                environ = dict(environ, SCRIPT_NAME=environ.get("SCRIPT_NAME", "") + prefix,
                               PATH_INFO=path[len(prefix):])
                return app(environ, start_response)
        return self.site(environ, start_response)


def load_mounts(dist: Path, options: Options, mounts=MOUNTS) -> dict[str, Callable]:
    """The applications of :data:`MOUNTS` whose modules are installed."""
    found = {}
    for prefix, target in mounts:
        module, function = target.split(":")
        try:
            factory = getattr(importlib.import_module(module), function)
        except ModuleNotFoundError as error:
            LOGGER.warning("serve: %s not mounted: no module %s", prefix, error.name)
            continue
        found[prefix.rstrip("/")] = factory(Layout(dist=Path(dist)), options)
    return found


def make_app(dist: Path, options: Options, mounts=MOUNTS) -> Callable:
    """The WSGI application: the site under ``/``, each mount under its prefix."""
    from whitenoise import WhiteNoise

    site = Path(dist) / "site"
    if not site.is_dir():
        raise UsageError(f"no site to serve: {site} does not exist (run publish build first)")
    files = WhiteNoise(not_found, root=str(site), autorefresh=True, index_file=True,
                       add_headers_function=set_headers, max_age=0, allow_all_origins=False)
    return Mounted(SiteFilesOnly(IfRange(files), site), load_mounts(Path(dist), options, mounts))


#: waitress's limits, so that slow or idle clients cannot hold the server: a connection
#: that sends nothing for ``channel_timeout`` seconds is closed (looked for every
#: ``cleanup_interval``), at most ``connection_limit`` are open at once, and a request's
#: header and body are bounded (the only bodies are OAI-PMH POSTs). README's Limits lists them.
SERVER_LIMITS: dict[str, int] = {
    "channel_timeout": 10,
    "cleanup_interval": 2,
    "connection_limit": 200,
    "max_request_header_size": 16 * 1024,
    "max_request_body_size": 64 * 1024,
}


def make_server(dist: Path, port: int, options: Options, mounts=MOUNTS):
    """A waitress server on 127.0.0.1 (port 0: any free port; see ``effective_port``)."""
    from waitress import create_server

    return create_server(make_app(dist, options, mounts), host=HOST, port=port, threads=4, ident="publish",
                         **SERVER_LIMITS)
