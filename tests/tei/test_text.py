"""Tests for publish.tei.text: the source text regenerates exactly from the TEI.

The round trip goes through the serialised bytes, as an archive would: the
TEI is written, read back, and the text (and the original bytes) rebuilt.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish.errors import InputError
from publish.normalise import normalise_file, normalise_source
from publish.normalise.base import Source
from publish.normalise.decode import XML_ILLEGAL
from publish.tei import first_text, parse_bytes, serialise
from publish.tei.text import source_bytes, source_text

from tests.conftest import CORPUS, SAMPLE, shared_path


def round_trip(tree):
    """Serialise and re-parse, as an archive that stores the file would."""
    return parse_bytes(serialise(tree))


def corpus_text_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.txt")) if CORPUS.is_dir() else []


def test_sample_regenerates_byte_for_byte(options):
    tree = round_trip(normalise_file(SAMPLE, options))
    assert source_text(tree).encode("utf-8") == SAMPLE.read_bytes()
    assert source_bytes(tree) == SAMPLE.read_bytes()


@pytest.mark.parametrize("path", corpus_text_files() or [CORPUS / "*.txt"], ids=lambda p: p.name)
def test_corpus_plain_text_regenerates(path, options):
    shared_path(path)
    original = path.read_bytes()
    tree = round_trip(normalise_file(path, options))
    assert source_bytes(tree) == original
    assert hashlib.sha256(source_bytes(tree)).hexdigest() == first_text(
        tree.getroot(), "//tei:sourceDesc//tei:idno[@type='sha256']")


@pytest.mark.parametrize("data", [
    b"Line one\r\nline two\r\n\r\nPara two\r\n",
    b"\xff\xfe" + "UTF-16 “text”\r\n\r\nwith café\r\n".encode("utf-16-le"),
    b"Old Mac\rline ends\r\rParagraph\r",
    "省政府党组召开会议。\n\n会议强调，“两个确立”。\n".encode("gb18030"),
    ("Le café de l’été était très agréable — « voilà » dit-il. Über die Brücke gehen "
     "Mädchen, à la fenêtre où l’on voit la mer.\n").encode("cp1252"),
    "nfd: cafe\u0301 and Ångström \u212b\n".encode("utf-8"),
], ids=["crlf", "utf16-bom", "cr", "gb18030", "cp1252", "not-nfc"])
@pytest.mark.warns  # the shortest are too short for py3langid to be sure of: und, and a warning
def test_encodings_and_line_endings_regenerate(data, options):
    tree = round_trip(normalise_source(Source(Path("x.txt"), data), options))
    assert source_bytes(tree) == data


# Text the normaliser must accept: any Unicode XML can carry, not only whitespace.
xml_text = st.text(
    alphabet=st.one_of(
        st.sampled_from("\n\r\t “”«»‘’\"'e\u0301\u212b中文ع"),
        st.characters(blacklist_categories=("Cs",)),
    ),
    min_size=1, max_size=200,
).filter(lambda s: s.strip() and not XML_ILLEGAL.search(s))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=xml_text)
@pytest.mark.warns  # random text has no language: und, and a warning
def test_any_text_round_trips(text, options):
    data = text.encode("utf-8")
    tree = round_trip(normalise_source(Source(Path("x.txt"), data), options))
    assert source_text(tree) == text
    assert source_bytes(tree) == data


def test_non_text_masters_are_refused(options):
    tree = round_trip(normalise_file(SAMPLE, options))
    note = tree.getroot().xpath("//*[local-name()='note'][@type='mediaType']")[0]
    note.text = "text/html"
    with pytest.raises(InputError, match="only a TEI master made from plain text"):
        source_text(tree)
