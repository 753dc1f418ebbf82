"""The dist/ and seeds/ layout: one place for every path."""

from __future__ import annotations

from pathlib import Path

from publish.formats import FORMATS
from publish.layout import Layout, asset_folder_name, images_under, sidecar_path, tree_digest


def test_outputs_follow_their_formats_row():
    layout = Layout(dist=Path("d"))
    for row in FORMATS:
        assert layout.output(row.kind, "x") == Path("d") / row.folder / f"x{row.suffix}"
    assert layout.master("x") == Path("d/tei/x.xml")
    assert layout.assets("x") == Path("d/tei") / asset_folder_name("x") == Path("d/tei/x_assets")
    assert layout.bag("x") == Path("d/deposit/x") and layout.bag_archive("x") == Path("d/deposit/x.tar")
    assert sidecar_path(Path("seeds/a.b.md")) == Path("seeds/a.b.toml")


def test_seed_candidates_leave_out_sidecars_and_hidden_files(tmp_path):
    for name in ("a.txt", "a.toml", ".hidden.txt", "b.md"):
        (tmp_path / name).write_text("x")
    (tmp_path / "folder").mkdir()
    assert [p.name for p in Layout(seeds=tmp_path).seed_candidates()] == ["a.txt", "b.md"]


def test_images_and_digests(tmp_path):
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "a.png").write_bytes(b"png")
    (tmp_path / "b.txt").write_bytes(b"text")
    assert images_under(tmp_path) == ("pics/a.png",)
    before = tree_digest(tmp_path)
    (tmp_path / "b.txt").rename(tmp_path / "c.txt")
    assert tree_digest(tmp_path) != before  # names count, not only bytes
