"""The OAI-PMH 2.0 WSGI application (PEP 3333), answering at the path it is mounted on.

``make_app(layout, settings)`` gives the application for one project's
``dist/``; ``production_app()`` is the same for a WSGI server, configured
from the environment (``PUBLISH_ROOT``, default the current folder, and
:mod:`publish.oai.settings`)::

    waitress-serve --host 127.0.0.1 --port 8080 --call publish.oai.wsgi:production_app

Requests are GET or POST (``application/x-www-form-urlencoded``), as
OAI-PMH 2.0 §3.1.1 requires. Every answer is HTTP 200 with ``text/xml``,
errors included (§3.6); only a path below the mount point is a 404, and a
method other than GET, HEAD or POST a 405. Each request reads the manifest
once (:class:`publish.oai.repository.Snapshot`), so a build that is writing
cannot give it half of two states.
"""

from __future__ import annotations

import os
import urllib.parse
import wsgiref.util
from collections.abc import Callable, Iterable
from pathlib import Path

from publish.layout import Layout
from publish.oai.errors import OAIError
from publish.oai.repository import Snapshot
from publish.oai.response import envelope, error_response, serialise
from publish.oai.settings import Settings
from publish.oai.verbs import VERBS, check_arguments
from publish.options import Options

#: A POST body larger than this is refused: OAI-PMH arguments are short.
MAX_BODY = 64 * 1024
CONTENT_TYPE = "text/xml; charset=utf-8"


def parse_arguments(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], list[OAIError]]:
    """The arguments as a dict, and the errors a repeated verb or argument makes (§3.1.1.2)."""
    arguments, errors = {}, []
    for key, value in pairs:
        if key in arguments:
            code = "badVerb" if key == "verb" else "badArgument"
            errors.append(OAIError(code, f"{key} is given more than once"))
        arguments.setdefault(key, value)
    return arguments, errors


def answer(snapshot: Snapshot, pairs: list[tuple[str, str]], base_url: str) -> bytes:
    """The response body for one request's arguments."""
    arguments, errors = parse_arguments(pairs)
    if errors:
        return error_response(base_url, arguments, errors)
    verb = arguments.get("verb")
    try:
        if verb not in VERBS:
            raise OAIError("badVerb", "no verb given" if verb is None else f"{verb!r} is not an OAI-PMH verb")
        check_arguments(verb, arguments)
        element = VERBS[verb](snapshot, arguments, base_url)
    except OAIError as error:
        return error_response(base_url, arguments, [error])
    root = envelope(base_url, arguments, echo=True)
    root.append(element)
    return serialise(root)


def request_pairs(environ: dict) -> list[tuple[str, str]]:
    """The request's arguments, from the query string or a form-encoded POST body."""
    if environ.get("REQUEST_METHOD") == "POST":
        try:
            length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_BODY)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
    else:
        body = environ.get("QUERY_STRING", "")
    return urllib.parse.parse_qsl(body, keep_blank_values=True)


def make_app(layout: Layout, settings: Settings | Options | None = None) -> Callable:
    """The WSGI application serving ``layout``'s manifest and masters.

    ``settings`` are the repository's :class:`~publish.oai.settings.Settings`;
    without them (or given the build's :class:`~publish.options.Options`,
    which hold nothing OAI-PMH needs, as ``publish serve`` may pass) they are
    read from the project ``dist/`` belongs to and the environment.
    """
    if not isinstance(settings, Settings):
        settings = Settings.from_project(Path(layout.dist).resolve().parent)

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if environ.get("PATH_INFO", "") not in ("", "/"):
            return plain(start_response, "404 Not Found", "Not found: OAI-PMH answers at its base URL.\n")
        if method not in ("GET", "HEAD", "POST"):
            return plain(start_response, "405 Method Not Allowed", "OAI-PMH takes GET or POST.\n",
                         [("Allow", "GET, HEAD, POST")])
        base_url = settings.base_url or wsgiref.util.application_uri(environ).rstrip("/")
        body = answer(Snapshot(layout, settings), request_pairs(environ), base_url)
        start_response("200 OK", [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(body)))])
        return [b"" if method == "HEAD" else body]

    return app


def plain(start_response: Callable, status: str, text: str, extra: list | None = None) -> list[bytes]:
    body = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(body))), *(extra or [])])
    return [body]


def production_app(environ: dict[str, str] | None = None) -> Callable:
    """The application for the project at ``$PUBLISH_ROOT`` (default: the current folder)."""
    environ = os.environ if environ is None else environ
    root = Path(environ.get("PUBLISH_ROOT") or ".").resolve()
    return make_app(Layout(dist=root / "dist", seeds=root / "seeds"), Settings.from_project(root, environ))
