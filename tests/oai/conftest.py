"""Fixtures for the OAI-PMH provider: a built project, the application, and a loopback server.

The project is the build tests' three seeds, two of them in collections,
built (TEI only, one job) with the real build; responses come from the real
WSGI application, called in process or over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import wsgiref.simple_server
import wsgiref.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from publish.build.plan import BuildRequest
from publish.build.run import build
from publish.layout import Layout
from publish.oai.settings import Settings
from publish.oai.wsgi import make_app
from publish.options import TEMPLATES, Options

from tests.conftest import EPOCH

SEEDS = Path(__file__).parent.parent / "build" / "fixtures" / "seeds"
REPOSITORY_ID = "archive.example.org"
COLLECTIONS = {"alpha": "Harbour Reports", "gamma": "Council Minutes"}


def make_project(root: Path) -> Path:
    """The fixture seeds with alpha and gamma put in collections (sidecars)."""
    shutil.copytree(SEEDS, root / "seeds")
    for identifier, name in COLLECTIONS.items():
        (root / "seeds" / f"{identifier}.toml").write_text(f'collection = "{name}"\n', encoding="utf-8")
    return root


def rebuild(project: Path, epoch: int) -> None:
    """A full TEI build of the project at ``epoch`` (SOURCE_DATE_EPOCH), in this process."""
    request = BuildRequest(seeds_dir=project / "seeds", dist=project / "dist", jobs=1, outputs=("tei",),
                           quiet=True)
    assert build(request, Options(source_date_epoch=epoch, templates=TEMPLATES, date_pinned=True)) == 0


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project built once per module at EPOCH; tests must not change it."""
    project = make_project(tmp_path_factory.mktemp("oai"))
    rebuild(project, EPOCH)
    return project


@pytest.fixture
def project(tmp_path) -> Path:
    """A project of the test's own, built at EPOCH, that the test may change and rebuild."""
    project = make_project(tmp_path)
    rebuild(project, EPOCH)
    return project


def settings(**overrides) -> Settings:
    return Settings(**{"repository_name": "Test Archive", "repository_id": REPOSITORY_ID,
                       "admin_email": ("archivist@example.org",), **overrides})


def app_for(project: Path, **overrides):
    return make_app(Layout(dist=project / "dist", seeds=project / "seeds"), settings(**overrides))


def call(app, query: str = "", method: str = "GET", body: bytes = b"", path: str = "",
         ) -> tuple[str, dict, bytes]:
    """Call the WSGI application in process; (status, headers, body)."""
    import io

    environ = {"REQUEST_METHOD": method, "QUERY_STRING": query, "PATH_INFO": path,
               "SCRIPT_NAME": "/oai", "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
               "CONTENT_TYPE": "application/x-www-form-urlencoded"}
    wsgiref.util.setup_testing_defaults(environ)
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    data = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], data


def oai_id(identifier: str) -> str:
    return f"oai:{REPOSITORY_ID}:{identifier}"


class QuietHandler(wsgiref.simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):  # the test output stays readable
        pass


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """Serve ``app`` at /oai on 127.0.0.1 and a free port in a thread; yield the base URL."""

    def mounted(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/oai"):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not here\n"]
        environ["SCRIPT_NAME"], environ["PATH_INFO"] = "/oai", path.removeprefix("/oai")
        return app(environ, start_response)

    server = wsgiref.simple_server.make_server("127.0.0.1", 0, mounted, handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/oai"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
