"""``publish serve``: a real waitress server on loopback, asked with real HTTP requests.

Media types from the literal table, ETags and 304s, byte ranges with
``If-Range`` (RFC 9110 §13.1.5, §14), directory pages, and mounts: one that
works, one whose module is missing (skipped with a warning, the site still
served).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from publish.options import Options
from publish.serve import MEDIA_TYPES, MOUNTS, make_server, media_type

from tests.conftest import ROOT

TOY_MOUNTS = (("/toy", "tests.site.toy_mount:make_app"), ("/oai", "publish.no_such_module:make_app"))
FILES = {"opds/root.atom": b"<feed/>", "opds/root.opds.json": b"{}", "opds/search.osdx": b"<x/>",
         "doc/a/a.epub": b"PK" + bytes(range(200)), "doc/a/a.pdf": b"%PDF-1.7 " + bytes(300),
         "doc/a/a.xml": b"<TEI/>", "doc/a/index.html": b"<!DOCTYPE html><title>a</title>",
         "index.html": b"<!DOCTYPE html><title>home</title>"}


@pytest.fixture
def dist(tmp_path) -> Path:
    for name, data in FILES.items():
        path = tmp_path / "site" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


@contextlib.contextmanager
def running(dist: Path, mounts):
    """A real server on a free port, in a thread; its base URL. Stopped from its own loop."""
    server = make_server(dist, 0, Options(), mounts=mounts)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # Closing sockets from this thread while the loop selects on them fails
        # (EBADF); emptying its map from inside the loop ends it, then close here.
        server.trigger.pull_trigger(server._map.clear)
        thread.join(timeout=10)
        server.close()
        server.trigger.close()
        server.task_dispatcher.shutdown()


@pytest.fixture
def server(dist):
    """A server with the toy mounts; its base URL."""
    with running(dist, TOY_MOUNTS) as url:
        yield url


def get(url: str, **headers):
    """(status, headers, body) of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_table_names_the_types_issue_12_asks_for():
    assert media_type("x.opds.json") == "application/opds+json"  # before .json
    assert media_type("root.ATOM") == "application/atom+xml;profile=opds-catalog"
    assert media_type("a.json") == "application/json"
    assert dict(MEDIA_TYPES)[".xml"] == "application/tei+xml"


@pytest.mark.warns
def test_media_types_over_http(server):
    expected = {"opds/root.atom": "application/atom+xml;profile=opds-catalog",
                "opds/root.opds.json": "application/opds+json",
                "opds/search.osdx": "application/opensearchdescription+xml",
                "doc/a/a.epub": "application/epub+zip", "doc/a/a.pdf": "application/pdf",
                "doc/a/a.xml": "application/tei+xml", "doc/a/": "text/html; charset=utf-8"}
    for name, kind in expected.items():
        status, headers, body = get(f"{server}/{name}")
        assert (status, headers["Content-Type"]) == (200, kind), name
        assert body == FILES[name if not name.endswith("/") else name + "index.html"]


@pytest.mark.warns
def test_etag_and_not_modified(server):
    status, headers, _ = get(f"{server}/doc/a/a.pdf")
    etag = headers["ETag"]
    assert status == 200 and etag.startswith('"')
    status, _, body = get(f"{server}/doc/a/a.pdf", **{"If-None-Match": etag})
    assert status == 304 and body == b""


@pytest.mark.warns
def test_ranges_and_if_range(server):
    data = FILES["doc/a/a.pdf"]
    status, headers, body = get(f"{server}/doc/a/a.pdf", Range="bytes=5-14")
    assert status == 206 and body == data[5:15]
    assert headers["Content-Range"] == f"bytes 5-14/{len(data)}"
    status, _, body = get(f"{server}/doc/a/a.pdf", Range="bytes=-4")
    assert status == 206 and body == data[-4:]
    etag = get(f"{server}/doc/a/a.pdf")[1]["ETag"]
    status, _, body = get(f"{server}/doc/a/a.pdf", Range="bytes=0-3", **{"If-Range": etag})
    assert status == 206 and body == data[:4]
    # A validator that no longer matches: the whole, current file (RFC 9110 §13.1.5).
    status, _, body = get(f"{server}/doc/a/a.pdf", Range="bytes=0-3", **{"If-Range": '"old"'})
    assert status == 200 and body == data
    status, headers, _ = get(f"{server}/doc/a/a.pdf", Range=f"bytes={len(data) + 10}-")
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(data)}"


@pytest.mark.warns
def test_mounts_and_a_missing_one(server, dist, no_unexpected_warnings):
    server_dist = dist.name
    status, _, body = get(f"{server}/toy/some/path?x=1")
    assert status == 200 and body == f"toy SCRIPT_NAME=/toy PATH_INFO=/some/path dist={server_dist}".encode()
    assert get(f"{server}/oai")[0] == 404  # not mounted: the site has no such file
    assert get(f"{server}/")[0] == 200
    messages = [r.getMessage() for r in no_unexpected_warnings.records]
    assert messages == ["serve: /oai not mounted: no module publish.no_such_module"]


def test_directory_without_slash_redirects_and_unknown_is_404(dist):
    with running(dist, ()) as base:
        status, _, body = get(f"{base}/doc/a")  # urllib follows the redirect
        assert status == 200 and body == FILES["doc/a/index.html"]
        assert get(f"{base}/nothing.html")[0] == 404
        assert get(f"{base}/../../etc/passwd")[0] == 404


def test_the_command_line_serves_and_says_where(dist):
    """``publish serve --port 0`` prints the address it listens on and serves the site there."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "publish", "serve", "--port", "0", "--dist", str(dist)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stdout.readline()
        assert line.startswith("publish serve: http://127.0.0.1:"), line + process.stderr.read()
        url = line.split()[2]
        assert get(url)[2] == FILES["index.html"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serving_a_dist_without_a_site_is_a_usage_error(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "publish", "serve", "--port", "0", "--dist", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and "no site to serve" in result.stderr


def test_the_oai_provider_mounts_as_one_row(dist):
    """``("/oai", "publish.oai.wsgi:make_app")``, the row the OAI-PMH provider will add, works as is."""
    pytest.importorskip("publish.oai.wsgi")
    with running(dist, (("/oai", "publish.oai.wsgi:make_app"),)) as base:
        status, headers, body = get(f"{base}/oai?verb=Identify")
        assert status == 200 and b"<Identify>" in body
        assert get(f"{base}/")[2] == FILES["index.html"]


def test_the_projects_own_mounts_serve_oai_pmh_at_oai(dist):
    """``publish serve`` with its MOUNTS table, as shipped, answers an OAI-PMH Identify."""
    with running(dist, MOUNTS) as url:
        status, headers, body = get(f"{url}/oai?verb=Identify")
    assert status == 200 and headers["Content-Type"].startswith("text/xml")
    assert b"<Identify>" in body and b"<protocolVersion>2.0</protocolVersion>" in body
