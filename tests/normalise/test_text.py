"""Tests for publish.normalise.text: structure, typography, metadata, refusals.

Each case is a small input and the ``<body>`` it must give (TEI P5 ch. 3).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from publish.errors import PublishError
from publish.metadata import Metadata
from publish.normalise import normalise_source
from publish.normalise.base import Source
from publish.tei import first_text, serialise, xpath

from tests.conftest import SAMPLE, assert_golden

FIXTURES = Path(__file__).parent / "fixtures" / "text"
NS = 'xmlns="http://www.tei-c.org/ns/1.0"'


def body_of(text: str | bytes, options, name="doc.txt", sidecar=Metadata()) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    tree = normalise_source(Source(Path(name), data, sidecar), options)
    body = xpath(tree.getroot(), "/tei:TEI/tei:text/tei:body")[0]
    return etree.tostring(body, encoding=str, with_tail=False).replace(f" {NS}", "")


CASES = [
    ("one paragraph", "Hello world.", "<body><p>Hello world.</p></body>"),
    ("blank lines separate paragraphs, kept verbatim",
     "One.\n\n\nTwo.\n", "<body><p>One.</p>\n\n\n<p>Two.</p>\n</body>"),
    ("single line break inside a paragraph",
     "Line one,\nline two.\n", "<body><p>Line one,\n<lb/>line two.</p>\n</body>"),
    ("heading first line",
     "A Short Heading\n\nBody text.\n", "<body><head>A Short Heading</head>\n\n<p>Body text.</p>\n</body>"),
    ("balanced curly quotes",
     "He said “yes” and «oui».", "<body><p>He said <q>“yes”</q> and <q>«oui»</q>.</p></body>"),
    ("nested quotes", "“a “b” c”", "<body><p><q>“a <q>“b”</q> c”</q></p></body>"),
    ("stray closing quote, as in the sample",
     "achieve ” “Two maintenance”,",
     '<body><p>achieve <pc type="unbalanced-quote">”</pc> <q>“Two maintenance”</q>,</p></body>'),
    ("unclosed opening quote", "an “open end",
     '<body><p>an <pc type="unbalanced-quote">“</pc>open end</p></body>'),
    ("mismatched quote kinds", "«mixed”",
     '<body><p><pc type="unbalanced-quote">«</pc>mixed<pc type="unbalanced-quote">”</pc></p></body>'),
    ("quote spanning a line break", "“one\ntwo”",
     "<body><p><q>“one\n<lb/>two”</q></p></body>"),
    ("not NFC: decomposed e-acute", "cafe\u0301",
     "<body><p>caf<choice><orig>e\u0301</orig><reg>\u00e9</reg></choice></p></body>"),
    ("leading blank lines kept", "\n\nText", "<body>\n\n<p>Text</p></body>"),
    ("CRLF becomes LF", "One.\r\n\r\nTwo.\r\n", "<body><p>One.</p>\n\n<p>Two.</p>\n</body>"),
    ("mixed line endings kept verbatim", "One.\r\nTwo.\n",
     "<body><p>One.&#13;\n<lb/>Two.</p>\n</body>"),
]


# Too short for py3langid to be sure of (yet 20 letters or more): publish warns, rightly.
UNSURE_LANGUAGE = {"heading first line", "stray closing quote, as in the sample"}


@pytest.mark.parametrize("name, source, expected", [
    pytest.param(*c, id=c[0], marks=[pytest.mark.warns] if c[0] in UNSURE_LANGUAGE else [])
    for c in CASES])
def test_body(name, source, expected, options):
    assert body_of(source, options) == expected


def test_sample_keeps_the_stray_quote_and_flags_it(options):
    tree = normalise_source(Source(SAMPLE, SAMPLE.read_bytes()), options)
    stray = xpath(tree.getroot(), "//tei:pc[@type='unbalanced-quote']")
    assert [m.text for m in stray] == ["”"]
    assert stray[0].getnext().text == "“Two maintenance”"


def test_sample_golden(options, update_golden):
    """The whole TEI master of the sample seed, sidecar included."""
    from publish.normalise import normalise_file

    assert_golden(serialise(normalise_file(SAMPLE, options)),
                  FIXTURES / "000_4f4d01b3acd55da0.tei.xml", update_golden)


def header(text: str, options, sidecar=Metadata()):
    return normalise_source(Source(Path("doc.txt"), text.encode(), sidecar), options).getroot()


@pytest.mark.warns  # "Budget Report / The budget grew." is too short to identify: und, and a warning
def test_title_from_a_heading_is_not_supplied(options):
    root = header("Budget Report\n\nThe budget grew.", options)
    title = xpath(root, "//tei:titleStmt/tei:title")[0]
    assert (title.text, title.get("type")) == ("Budget Report", "main")


def test_title_without_heading_is_supplied_from_the_opening_words(options):
    root = header("The meeting pointed out that many things were necessary and more. Then.", options)
    title = xpath(root, "//tei:titleStmt/tei:title")[0]
    assert title.get("type") == "supplied"
    assert title.text == "The meeting pointed out that many things were necessary and…"


def test_date_in_the_file_is_the_source_date(options):
    root = header("Press release\n\nIssued 29 January 2023 by the office.", options)
    assert xpath(root, "//tei:sourceDesc//tei:date/@when") == ["2023-01-29"]


def test_unknown_date_is_said_to_be_unknown(options):
    root = header("On the afternoon of January 29th, a meeting.", options)
    assert xpath(root, "//tei:sourceDesc//tei:date") == []
    assert first_text(root, "//tei:sourceDesc//tei:note[@type='date']") == "The date of the source is not known."


def test_sidecar_wins_over_what_the_file_says(options):
    sidecar = Metadata(title="Real Title", date="2023-01-29", language="en", publisher="Archive",
                       licence="CC BY 4.0", licence_url="https://creativecommons.org/licenses/by/4.0/")
    root = header("Guessed Heading\n\nText of 1 March 2020.", options, sidecar)
    assert first_text(root, "//tei:titleStmt/tei:title") == "Real Title"
    assert xpath(root, "//tei:titleStmt/tei:title/@type") == ["main"]
    assert xpath(root, "//tei:sourceDesc//tei:date/@when") == ["2023-01-29"]
    assert first_text(root, "//tei:publicationStmt/tei:publisher") == "Archive"
    assert xpath(root, "//tei:licence/@target") == ["https://creativecommons.org/licenses/by/4.0/"]
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_editorial_record_counts_what_was_marked(options):
    root = header("“a” and ” b\r\nc\r\n", options)
    record = " ".join(xpath(root, "//tei:editorialDecl//tei:p/text()"))
    assert "1 balanced pair(s)" in record
    assert "1 unbalanced quotation mark(s)" in record
    assert "CRLF line endings were converted to LF" in record
    assert "1 line break(s)" in record


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b" \n\t\n", "no text: the file holds only whitespace"),
    (b"ok\n\x00\x01\x02binary", "content is not text"),
    (b"text with a form feed \x0c here", r"line 1, column 23: character U\+000C"),
])
def test_bad_input_is_refused(data, message, options):
    with pytest.raises(PublishError, match=message) as caught:
        normalise_source(Source(Path("bad.txt"), data), options)
    assert caught.value.exit_code in (65, 66)
