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


def plant_links(site: Path, outside: Path) -> dict[str, str]:
    """Links of every kind planted in the site, each pointing out of it; URL path → what it names."""
    outside.mkdir()
    (outside / "secret.txt").write_text("secret outside the site\n", encoding="utf-8")
    (outside / "index.html").write_text("<title>outside</title>", encoding="utf-8")
    (site / "evil.html").symlink_to("/etc/passwd")
    (site / "etcdir").symlink_to("/etc")
    (site / "outdir").symlink_to(outside)
    (site / "secret.txt").symlink_to(outside / "secret.txt")
    (site / "hop1.html").symlink_to(site / "hop2.html")  # a chain: link → link → file outside
    (site / "hop2.html").symlink_to(outside / "secret.txt")
    (site / "doc" / "a" / "inner.pdf").symlink_to(site / "doc" / "a" / "a.pdf")  # even one inside the site
    os.mkfifo(site / "pipe.html")
    return {"/evil.html": "file", "/etcdir/passwd": "folder", "/etcdir/shadow": "folder",
            "/outdir/secret.txt": "folder", "/outdir/": "folder index", "/outdir": "folder",
            "/secret.txt": "file", "/hop1.html": "chain", "/hop2.html": "chain",
            "/doc/a/inner.pdf": "link inside", "/pipe.html": "fifo"}


def test_links_planted_in_the_site_are_never_followed(dist, tmp_path):
    planted = plant_links(dist / "site", tmp_path / "outside")
    with running(dist, ()) as base:
        for path, kind in planted.items():
            status, _, body = get(base + path)
            assert status == 404, (path, kind)
            assert b"secret" not in body and b"root:" not in body, (path, kind)
        # The site's own regular files are still served.
        assert get(f"{base}/doc/a/a.pdf")[2] == FILES["doc/a/a.pdf"]
        assert get(f"{base}/")[2] == FILES["index.html"]


def test_a_folder_whose_index_is_a_link_is_not_served(dist, tmp_path):
    (tmp_path / "elsewhere.html").write_text("<title>elsewhere</title>", encoding="utf-8")
    (dist / "site" / "linked").mkdir()
    (dist / "site" / "linked" / "index.html").symlink_to(tmp_path / "elsewhere.html")
    with running(dist, ()) as base:
        assert get(f"{base}/linked/")[0] == 404
        assert get(f"{base}/linked/index.html")[0] == 404


def test_cross_origin_reads_only_for_downloads_and_the_catalogue(dist):
    with running(dist, ()) as base:
        for name in ("opds/root.atom", "opds/root.opds.json", "doc/a/a.pdf", "doc/a/a.epub", "doc/a/a.xml"):
            assert get(f"{base}/{name}")[1]["Access-Control-Allow-Origin"] == "*", name
        for name in ("", "doc/a/"):
            assert get(f"{base}/{name}")[1]["Access-Control-Allow-Origin"] is None, name


def test_half_open_connections_are_closed_and_a_new_reader_is_served(dist):
    """More idle, half-sent requests than waitress's default limit (100) cannot hold the server.

    A bounded number of loopback sockets each send half a request line and wait;
    the server closes each one after ``channel_timeout`` and a new reader is served.
    """
    import socket

    count = 120
    with running(dist, ()) as base:
        port = int(base.rsplit(":", 1)[1])
        held = []
        try:
            for _ in range(count):
                held.append(socket.create_connection(("127.0.0.1", port), timeout=60))
                held[-1].sendall(b"GET /index.html HT")
            closed = 0
            for sock in held:  # each is closed by the server, not by a time-out here
                try:
                    closed += sock.recv(1024) == b""
                except ConnectionResetError:
                    closed += 1
            assert closed == count
            assert get(f"{base}/")[2] == FILES["index.html"]
        finally:
            for sock in held:
                sock.close()
