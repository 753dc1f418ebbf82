"""Markdown normaliser (publish/normalise/markdown.py): CommonMark, tables, footnotes, front matter."""

from __future__ import annotations

import pytest

from publish.errors import InputError
from publish.metadata import Metadata
from publish.tei import first_text, xpath

from tests.conftest import assert_golden
from tests.normalise.conftest import body_fragment, cases, expected_path, warnings_logged


@pytest.mark.parametrize("path", cases("markdown", ".md"), ids=lambda p: p.name)
def test_fragment(path, normalised, update_golden):
    tree, _assets = normalised(path)
    assert_golden(body_fragment(tree), expected_path(path), update_golden)


def test_header_records_markdown(normalised, tmp_path):
    path = tmp_path / "doc.md"
    path.write_bytes("# Titre\n\nCafé.\n".encode())
    tree, _ = normalised(path)
    assert first_text(tree.getroot(), "//tei:sourceDesc//tei:note[@type='mediaType']") == "text/markdown"
    assert first_text(tree.getroot(), "//tei:sourceDesc//tei:note[@type='characterEncoding']") == "UTF-8"
    assert first_text(tree.getroot(), "//tei:titleStmt/tei:title") == "Titre"


def test_front_matter_supplies_metadata(normalised):
    path = [p for p in cases("markdown", ".md") if p.name == "front_matter_yaml.md"][0]
    root = normalised(path)[0].getroot()
    assert first_text(root, "//tei:titleStmt/tei:title") == "Front matter title"
    assert [a.text for a in xpath(root, "//tei:titleStmt/tei:author")] == ["Ada Lovelace", "Charles Babbage"]
    assert xpath(root, "string(//tei:sourceDesc//tei:date/@when)") == "2024-05-06"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"
    assert "layout" in "".join(root.itertext())  # the unused key is recorded


def test_sidecar_wins_over_front_matter(normalised):
    path = [p for p in cases("markdown", ".md") if p.name == "front_matter_toml.md"][0]
    root = normalised(path, sidecar=Metadata(title="Sidecar title"))[0].getroot()
    assert first_text(root, "//tei:titleStmt/tei:title") == "Sidecar title"
    assert first_text(root, "//tei:titleStmt/tei:author") == "Grace Hopper"


def test_image_copied_into_assets(normalised):
    path = [p for p in cases("markdown", ".md") if p.name == "image_data_url.md"][0]
    tree, assets = normalised(path)
    (name, data), = assets
    assert data.startswith(b"\x89PNG") and name.endswith(".png")
    assert xpath(tree.getroot(), "string(//tei:graphic/@url)") == f"image_data_url_assets/{name}"
    assert first_text(tree.getroot(), "//tei:figDesc") == "A single red dot"


@pytest.mark.warns
def test_image_beside_source_is_read_but_never_above_it(normalised, tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    png = (cases("markdown", ".md")[0].parent / "image_data_url.md").read_text()
    import base64
    data = base64.b64decode(png.split("base64,")[1].split(")")[0])
    (folder / "dot.png").write_bytes(data)
    (tmp_path / "secret.png").write_bytes(data)
    path = folder / "doc.md"
    path.write_text("![dot](dot.png)\n\n![secret](../secret.png)\n")
    tree, assets = _normalise_expecting_warning(normalised, path)
    assert len(assets) == 1
    assert "outside the source's folder" in "".join(tree.getroot().itertext())


def _normalise_expecting_warning(normalised, path):
    with warnings_logged() as records:
        result = normalised(path)
    assert any("../secret.png" in r.getMessage() for r in records)
    return result


@pytest.mark.warns
def test_raw_html_is_held_to_html_rules(normalised, tmp_path):
    path = tmp_path / "raw.md"
    path.write_text('Text <span onclick="x()">kept</span>.\n\n<script>alert(1)</script>\n')
    root = normalised(path)[0].getroot()
    text = "".join(root.find("{http://www.tei-c.org/ns/1.0}text").itertext())
    assert "kept" in text and "alert" not in text


def test_bad_front_matter_is_a_clear_error(options, tmp_path):
    from publish.normalise import normalise_file
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\nText\n")
    with pytest.raises(InputError, match="front matter is not valid YAML"):
        normalise_file(path, options)


def test_empty_markdown_is_an_error(options, tmp_path):
    from publish.normalise import normalise_file
    path = tmp_path / "blank.md"
    path.write_text("\n\n")
    with pytest.raises(InputError):
        normalise_file(path, options)
