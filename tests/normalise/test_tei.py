"""TEI input normaliser (publish/normalise/tei.py): into the subset, nothing lost silently."""

from __future__ import annotations

import pytest

from publish.errors import InputError, UnsupportedFormatError
from publish.tei import first_text, xpath

from tests.conftest import assert_golden
from tests.normalise.conftest import FIXTURES, body_fragment, cases, expected_path


@pytest.mark.warns  # <gap> has no text: it is left out with a warning naming it
@pytest.mark.parametrize("path", cases("tei", ".xml"), ids=lambda p: p.name)
def test_fragment(path, normalised, update_golden):
    tree, _assets = normalised(path)
    assert_golden(body_fragment(tree), expected_path(path), update_golden)


@pytest.mark.warns
def test_header_and_record(normalised):
    root = normalised(FIXTURES / "tei" / "subset.xml")[0].getroot()
    assert first_text(root, "//tei:titleStmt/tei:title") == "A TEI input"
    assert first_text(root, "//tei:titleStmt/tei:author") == "Jane Doe"
    assert xpath(root, "string(//tei:sourceDesc//tei:date/@when)") == "1901-02-03"
    assert first_text(root, "//tei:sourceDesc//tei:note[@type='mediaType']") == "application/tei+xml"
    assert first_text(root, "//tei:sourceDesc//tei:note[@type='characterEncoding']") == "UTF-8"
    record = " ".join(xpath(root, "//tei:editorialDecl//tei:p/text()"))
    assert "persName (1)" in record and "gap (1)" in record and "div1 → div (2)" in record


@pytest.mark.warns
def test_internal_reference_follows_the_new_id(normalised):
    root = normalised(FIXTURES / "tei" / "subset.xml")[0].getroot()
    assert xpath(root, "string(//tei:ref/@target)") == "#div-2"
    assert xpath(root, "//tei:div[@xml:id='div-2']/tei:head/text()") == ["Next"]


def test_gap_is_named_in_a_warning(normalised, no_unexpected_warnings):
    normalised(FIXTURES / "tei" / "subset.xml")
    assert any("<gap>" in r.getMessage() for r in no_unexpected_warnings.records)
    no_unexpected_warnings.records.clear()


@pytest.mark.parametrize("data, error, message", [
    (b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>", InputError, "not well-formed"),
    (b"<html><body/></html>", UnsupportedFormatError, "not a TEI P5 document"),
    (b"<TEI><text><body><p>P4</p></body></text></TEI>", UnsupportedFormatError, "no namespace"),
    (b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader/></TEI>", InputError, "no <text>"),
])
def test_bad_input_is_a_clear_error(options, tmp_path, data, error, message):
    from publish.normalise import normalise_file
    path = tmp_path / "bad.xml"
    path.write_bytes(data)
    with pytest.raises(error, match=message):
        normalise_file(path, options)


def test_entities_are_never_expanded(options, tmp_path):
    from publish.normalise import normalise_file
    path = tmp_path / "xxe.xml"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                     b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body><p>a&x;b</p></body></text></TEI>")
    tree = normalise_file(path, options)
    assert "root:" not in "".join(tree.getroot().itertext())
