"""Tests for publish.render.fetcher: WeasyPrint may read only data: URLs and allowed folders.

The fetcher is called directly for each kind of URL (RFC 2397 ``data:``,
RFC 8089 ``file:``, ``http(s):``, the document's own images under the virtual
folder), and once through a real render whose stylesheet asks for forbidden
resources, to show WeasyPrint really uses it.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import socket
from pathlib import Path

import pytest

from publish.normalise import normalise_file
from publish.options import TEMPLATES
from publish.render.fetcher import RefusedURL, SafeFetcher
from publish.tei import serialise

from tests.conftest import SAMPLE, render_file

#: Where the fetcher serves the document's images from memory, as the PDF renderer sets it.
VIRTUAL = Path("/publish-document")
FIGURE = b"<svg xmlns='http://www.w3.org/2000/svg'/>"


@pytest.fixture
def folders(tmp_path) -> tuple[Path, Path]:
    """A templates folder and a TEI master's path, under tmp_path."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "print.css").write_text("p { color: black }\n", encoding="utf-8")
    return templates, tmp_path / "dist" / "tei" / "doc.xml"


def fetcher_for(templates: Path, tei: Path) -> SafeFetcher:
    """The fetcher of a document whose one image, ``doc_assets/figure.svg``, is in memory."""
    return SafeFetcher((templates,), document=str(tei),
                       virtual=(VIRTUAL, {"doc_assets/figure.svg": FIGURE}))


def refusals(counter) -> list[str]:
    return [r.getMessage() for r in counter.records if r.levelno == logging.WARNING]


def test_serves_templates_assets_and_data_urls(folders):
    templates, tei = folders
    fetcher = fetcher_for(templates, tei)
    css = fetcher.fetch((templates / "print.css").as_uri())
    assert css.read() == b"p { color: black }\n" and css.content_type == "text/css"
    figure = fetcher.fetch((VIRTUAL / "doc_assets" / "figure.svg").as_uri())
    assert figure.read() == FIGURE and figure.content_type == "image/svg+xml"
    assert fetcher.fetch((VIRTUAL / "doc_assets" / "." / "figure.svg").as_uri()).read() == FIGURE
    assert fetcher.fetch("file://localhost" + str(templates / "print.css")).read().startswith(b"p {")
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"


def test_the_document_images_are_served_from_memory_only(folders):
    """Nothing under the virtual folder is read from disk, even where such a file exists."""
    templates, tei = folders
    fetcher = SafeFetcher((templates,), document=str(tei), virtual=(templates, {"print.css": b"p {}"}))
    assert fetcher.fetch((templates / "print.css").as_uri()).read() == b"p {}"


@pytest.mark.warns
@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1/",
    "http://localhost:8080/print.css",
    "http://[::1]/x.png",
    "https://example.org/font.woff2",
    "ftp://127.0.0.1/x",
    "file://otherhost/etc/passwd",
])
def test_refuses_and_logs_anything_else(folders, url, no_unexpected_warnings):
    templates, tei = folders
    with pytest.raises(RefusedURL):
        fetcher_for(templates, tei).fetch(url)
    logged = refusals(no_unexpected_warnings)
    assert len(logged) == 1 and "refused" in logged[0] and str(tei) in logged[0]


@pytest.mark.warns
def test_refuses_relative_escapes_and_symbolic_links_out(folders, tmp_path, no_unexpected_warnings):
    templates, tei = folders
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (templates / "link.txt").symlink_to(secret)
    fetcher = fetcher_for(templates, tei)
    urls = ((templates / "link.txt").as_uri(), templates.as_uri() + "/../secret.txt",
            (templates.parent / "templates-evil" / "x.css").as_uri(),
            # Under the virtual folder only the document's own images are served.
            VIRTUAL.as_uri() + "/doc_assets/../../" + str(secret).lstrip("/"),
            (VIRTUAL / "doc_assets" / "other.png").as_uri())
    for url in urls:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert len(refusals(no_unexpected_warnings)) == len(urls)


@pytest.mark.warns
def test_a_render_never_reaches_loopback_or_local_files(tmp_path, options, no_unexpected_warnings):
    """A stylesheet asking for /etc/passwd and a loopback server: both refused, PDF still made."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()  # the kernel completes any connection into the backlog, accepted or not
    port = server.getsockname()[1]
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    css = templates / "print.css"
    css.write_text(f'@import url("file:///etc/passwd");\n{css.read_text(encoding="utf-8")}\n'
                   f'body {{ background: url("http://127.0.0.1:{port}/bg.png"); }}\n'
                   f'@font-face {{ font-family: X; src: url("http://localhost:{port}/x.woff"); }}\n'
                   f'p {{ font-family: X, "Noto Serif"; }}\n', encoding="utf-8")
    tei = tmp_path / "tei" / f"{SAMPLE.stem}.xml"
    tei.parent.mkdir()
    tei.write_bytes(serialise(normalise_file(SAMPLE, options)))
    out = tmp_path / "out.pdf"
    try:
        render_file(tei, "pdf", out, dataclasses.replace(options, templates=templates))
        server.setblocking(False)
        with pytest.raises(BlockingIOError):
            server.accept()  # nothing is waiting: nobody connected
    finally:
        server.close()
    assert out.read_bytes().startswith(b"%PDF-")
    logged = " ".join(refusals(no_unexpected_warnings))
    for url in ("file:///etc/passwd", f"http://127.0.0.1:{port}/bg.png", f"http://localhost:{port}/x.woff"):
        assert url in logged


def tei_with_figures(tmp_path: Path, options, urls: list[str]) -> Path:
    """The sample's TEI master with a figure per URL, in dist/tei/<id>.xml."""
    from lxml import etree

    from publish.tei import T

    tree = normalise_file(SAMPLE, options)
    body = tree.getroot().find(".//{http://www.tei-c.org/ns/1.0}body")
    for number, url in enumerate(urls):
        body.append(T.figure(T.graphic(url=url), T.figDesc(f"Figure {number}")))
    tei = tmp_path / "dist" / "tei" / f"{SAMPLE.stem}.xml"
    tei.parent.mkdir(parents=True)
    tei.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    return tei


def image_count(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return sum(1 for o in document.objects
                   if isinstance(o, pikepdf.Stream) and o.stream_dict.get("/Subtype") == "/Image")


def test_images_in_the_document_asset_folder_are_embedded(tmp_path, options):
    from PIL import Image

    tei = tei_with_figures(tmp_path, options, [f"{SAMPLE.stem}_assets/square.png"])
    (tei.parent / f"{SAMPLE.stem}_assets").mkdir()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(tei.parent / f"{SAMPLE.stem}_assets" / "square.png")
    out = render_file(tei, "pdf", tmp_path / "dist" / "pdf" / f"{SAMPLE.stem}.pdf", options)
    assert image_count(out) == 1


@pytest.mark.warns
def test_images_outside_the_asset_folder_are_refused(tmp_path, options, no_unexpected_warnings):
    from PIL import Image

    Image.new("RGB", (40, 40)).save(tmp_path / "outside.png")
    tei = tei_with_figures(tmp_path, options, ["../../outside.png", "http://127.0.0.1/x.png"])
    out = render_file(tei, "pdf", tmp_path / "out.pdf", options)
    assert image_count(out) == 0
    logged = refusals(no_unexpected_warnings)
    assert len(logged) == 2 and "outside.png" in logged[0] and "127.0.0.1" in logged[1]
