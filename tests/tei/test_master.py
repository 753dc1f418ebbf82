"""Tests for publish.tei.master: a master and its images, read from beside it only.

``graphic/@url`` is relative to the master (``<id>_assets/<name>``, TEI P5
§3.10); :meth:`Master.read` takes exactly the images so named that lie in
the master's folder, and leaves the rest for the renderer to report.
"""

from __future__ import annotations

from publish.normalise import normalise_file
from publish.options import Options
from publish.tei import T, serialise, xpath
from publish.tei.master import Master

from tests.conftest import EPOCH, SAMPLE


def master_with_figures(tei, urls: list[str]):
    """Write the sample's master at ``tei`` with one figure per URL."""
    tree = normalise_file(SAMPLE, Options(source_date_epoch=EPOCH))
    body = xpath(tree.getroot(), "//tei:body")[0]
    for number, url in enumerate(urls):
        body.append(T.figure(T.graphic(url=url), T.figDesc(f"Figure {number}")))
    tei.parent.mkdir(parents=True, exist_ok=True)
    tei.write_bytes(serialise(tree))
    return tei


def test_the_asset_folder_beside_the_master_is_read(tmp_path):
    tei = tmp_path / "dist" / "tei" / "doc.xml"
    master_with_figures(tei, ["doc_assets/a.png", "doc_assets/./b.png", "doc_assets/a.png"])
    (tei.parent / "doc_assets").mkdir()
    (tei.parent / "doc_assets" / "a.png").write_bytes(b"first")
    (tei.parent / "doc_assets" / "b.png").write_bytes(b"second")
    master = Master.read(tei)
    assert master.identifier == "doc" and master.filename == "doc.xml" and master.shown == tei
    assert master.data == tei.read_bytes()
    # Keyed by the URL as the master writes it, each once.
    assert dict(master.assets) == {"doc_assets/a.png": b"first", "doc_assets/./b.png": b"second"}


def test_nothing_outside_the_masters_folder_is_read(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"secret")
    tei = tmp_path / "dist" / "tei" / "doc.xml"
    (tei.parent / "doc_assets").mkdir(parents=True)
    (tei.parent / "doc_assets" / "link.png").symlink_to(secret)
    master_with_figures(tei, ["../../secret.png", str(secret), secret.as_uri(),
                              "doc_assets/link.png", "doc_assets/missing.png",
                              "http://127.0.0.1/x.png"])
    assert dict(Master.read(tei).assets) == {}
