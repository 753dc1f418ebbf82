"""HTML normaliser (publish/normalise/html.py): pages, fragments, metadata, safety."""

from __future__ import annotations

import pytest

from publish.errors import UnsupportedFormatError
from publish.tei import first_text, xpath

from tests.conftest import assert_golden
from tests.normalise.conftest import FIXTURES, body_fragment, cases, expected_path, warnings_logged

UNSAFE = FIXTURES / "html" / "unsafe.html"
# A table of short cells, too little running text for py3langid to be sure: und, and a warning.
UNSURE_LANGUAGE = FIXTURES / "html" / "fragment_table.html"
#: The issue-15 page: object, embed, iframe, svg and video, then two paragraphs.
MEDIA = FIXTURES / "html" / "media-then-paragraphs.html"


def fragment_cases():
    return [pytest.param(p, marks=pytest.mark.warns, id=p.name) if p in (UNSAFE, MEDIA, UNSURE_LANGUAGE)
            else pytest.param(p, id=p.name) for p in cases("html", ".html")]


@pytest.mark.parametrize("path", fragment_cases())
def test_fragment(path, normalised, update_golden):
    tree, _assets = normalised(path)
    assert_golden(body_fragment(tree), expected_path(path), update_golden)


def test_page_metadata(normalised):
    root = normalised(FIXTURES / "html" / "page_meta.html")[0].getroot()
    assert first_text(root, "//tei:titleStmt/tei:title") == "Titre de la page"
    assert [a.text for a in xpath(root, "//tei:titleStmt/tei:author")] == ["Marie Curie", "Pierre Curie"]
    assert xpath(root, "string(//tei:sourceDesc//tei:date/@when)") == "1903-06-25"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert first_text(root, "//tei:sourceDesc//tei:note[@type='mediaType']") == "text/html"
    assert first_text(root, "//tei:sourceDesc//tei:note[@type='characterEncoding']") == "UTF-8"


@pytest.mark.warns
def test_every_unsafe_thing_is_dropped_and_logged(normalised):
    with warnings_logged() as records:
        tree, assets = normalised(UNSAFE)
    messages = " | ".join(r.getMessage() for r in records)
    for expected in ("<base>", "<script>", "onload", "onclick", "javascript: URL", "<iframe>",
                     "<object>", "http: resource is never fetched", "file: resource is never fetched"):
        assert expected in messages, expected
    text = "".join(tree.getroot().find("{http://www.tei-c.org/ns/1.0}text").itertext())
    assert "text of a bad link" in text and "alert" not in text and "steal" not in text
    assert assets == ()
    assert [d.text for d in xpath(tree.getroot(), "//tei:figDesc")] == ["A tracking pixel", "Not a picture"]


def test_html_suffix_on_a_zip_is_refused(options, tmp_path):
    from publish.normalise import normalise_file
    path = tmp_path / "page.html"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(UnsupportedFormatError, match="content is not html"):
        normalise_file(path, options)


def test_xhtml_with_xml_declaration(normalised, tmp_path):
    path = tmp_path / "x.xhtml"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
                    "<head><title>X</title></head><body><p>Hello</p></body></html>")
    root = normalised(path)[0].getroot()
    assert first_text(root, "//tei:body/tei:p") == "Hello"
