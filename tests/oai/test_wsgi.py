"""The WSGI application over HTTP: GET and POST (OAI-PMH 2.0 §3.1.1), HEAD, other paths and
methods, and a real server (waitress) running ``production_app`` on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from publish.oai.response import OAI_NS
from publish.oai.wsgi import production_app

from tests.oai.conftest import app_for, call, oai_id, serving
from tests.oai.schemas import assert_valid

NS = {"o": OAI_NS}


def test_post_is_answered_as_get(built):
    app = app_for(built)
    query = f"verb=GetRecord&identifier={oai_id('beta')}&metadataPrefix=oai_dc"
    get = assert_valid(call(app, query)[2])
    post = assert_valid(call(app, method="POST", body=query.encode())[2])
    assert post.find(".//o:record", NS) is not None
    assert post.find("o:request", NS).attrib == get.find("o:request", NS).attrib


def test_head_other_paths_and_methods(built):
    app = app_for(built)
    status, headers, body = call(app, "verb=Identify", method="HEAD")
    assert status == "200 OK" and body == b"" and int(headers["Content-Length"]) > 0
    assert call(app, "verb=Identify", path="/extra")[0] == "404 Not Found"
    status, headers, _body = call(app, "verb=Identify", method="DELETE")
    assert status == "405 Method Not Allowed" and headers["Allow"] == "GET, HEAD, POST"


def test_base_url_setting_overrides_the_request(built):
    app = app_for(built, base_url="https://archive.example.org/oai")
    root = assert_valid(call(app, "verb=Identify")[2])
    assert root.findtext(".//o:baseURL", namespaces=NS) == "https://archive.example.org/oai"
    assert root.findtext("o:request", namespaces=NS) == "https://archive.example.org/oai"


def test_over_loopback(built):
    with serving(app_for(built)) as url:
        with urllib.request.urlopen(f"{url}?verb=ListIdentifiers&metadataPrefix=oai_dc", timeout=30) as reply:
            assert reply.status == 200 and reply.headers["Content-Type"] == "text/xml; charset=utf-8"
            root = assert_valid(reply.read())
        assert root.findtext("o:request", namespaces=NS) == url
        assert len(root.findall(".//o:header", NS)) == 3
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"{url}/nothing", timeout=30)
        assert caught.value.code == 404


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_production_app_reads_the_project(built, monkeypatch):
    (built / "publish.toml").write_text('[oai]\nrepository_name = "The Archive"\n'
                                        'repository_id = "archive.example.org"\n', encoding="utf-8")
    try:
        app = production_app({"PUBLISH_ROOT": str(built), "PUBLISH_OAI_ADMIN_EMAIL": "a@example.org"})
        root = assert_valid(call(app, "verb=Identify")[2])
        assert root.findtext(".//o:repositoryName", namespaces=NS) == "The Archive"
        assert root.findtext(".//o:adminEmail", namespaces=NS) == "a@example.org"
    finally:
        (built / "publish.toml").unlink()


def test_make_app_reads_the_settings_of_the_project_dist_belongs_to(built):
    from publish.layout import Layout
    from publish.oai.wsgi import make_app
    from publish.options import Options

    (built / "publish.toml").write_text('[oai]\nrepository_name = "Mounted"\n'
                                        'repository_id = "archive.example.org"\n', encoding="utf-8")
    try:
        for given in (None, Options()):
            app = make_app(Layout(dist=built / "dist", seeds=built / "seeds"), given)
            root = assert_valid(call(app, "verb=Identify")[2])
            assert root.findtext(".//o:repositoryName", namespaces=NS) == "Mounted"
    finally:
        (built / "publish.toml").unlink()


def test_under_waitress(built, tmp_path):
    """waitress-serve --call publish.oai.wsgi:production_app, as README tells an archivist."""
    serve = shutil.which("waitress-serve", path=str(__import__("pathlib").Path(sys.executable).parent))
    if serve is None:
        pytest.skip("waitress is not installed")
    port = free_port()
    env = {"PUBLISH_ROOT": str(built), "PUBLISH_OAI_REPOSITORY_ID": "archive.example.org",
           "PUBLISH_OAI_ADMIN_EMAIL": "a@example.org", "PYTHONPATH": ":".join(sys.path),
           "PATH": "/usr/bin:/bin"}
    log = open(tmp_path / "waitress.log", "wb")  # a file, not DEVNULL: closed below
    server = subprocess.Popen([serve, "--host", "127.0.0.1", "--port", str(port), "--call",
                               "publish.oai.wsgi:production_app"], env=env, stdout=log, stderr=log,
                              stdin=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/?verb=ListRecords&metadataPrefix=oai_dc"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as reply:
                    body = reply.read()
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError((tmp_path / "waitress.log").read_text()) from None
                time.sleep(0.2)
        root = assert_valid(body)
        assert [e.text for e in root.iterfind(".//o:header/o:identifier", NS)] == [
            oai_id("alpha"), oai_id("beta"), oai_id("gamma")]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
