"""DOCX normaliser (publish/normalise/docx.py): styles, lists, tables, notes, links, images, metadata."""

from __future__ import annotations

import pytest

from publish.errors import InputError, UnsupportedFormatError
from publish.tei import first_text, xpath

from tests.conftest import CORPUS, assert_golden, shared_path
from tests.normalise import docx_maker as m
from tests.normalise.conftest import FIXTURES, body_fragment, warnings_logged

IMAGE_REL = f'<Relationship Id="rImg" Type="{m.R}/image" Target="media/dot.png"/>'
LINKED_REL = (f'<Relationship Id="rLink" Type="{m.R}/image" Target="file:///etc/passwd" '
              'TargetMode="External"/>')
LINK_REL = (f'<Relationship Id="rUrl" Type="{m.R}/hyperlink" Target="https://example.org/" '
            'TargetMode="External"/>')

#: name → (body, keyword arguments for docx_maker.docx)
CASES = {
    "headings_localized": (
        m.paragraph("Titel", "T1") + m.paragraph("Einleitung", "U1") + m.paragraph("Text.")
        + m.paragraph("Teil", "U2") + m.paragraph("Ein Zitat.", "Z"),
        {"style_names": {"T1": "Title", "U1": "Überschrift 1", "U2": "Überschrift 2", "Z": "Zitat"}}),
    "lists_nested": (
        m.paragraph("one", numbering=(1, 0)) + m.paragraph("one-a", numbering=(1, 1))
        + m.paragraph("two", numbering=(1, 0)) + m.paragraph("first", numbering=(2, 0)), {}),
    "table_header_row": (
        "<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:p><w:r><w:t>Name</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Votes</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p><w:r><w:t>North</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr></w:tbl>", {}),
    "notes_and_emphasis": (
        m.paragraph('<w:r><w:rPr><w:b/></w:rPr><w:t>Bold</w:t></w:r><w:r><w:t xml:space="preserve"> and </w:t></w:r>'
                    '<w:r><w:rPr><w:i/></w:rPr><w:t>italic</w:t></w:r>'
                    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
                    '<w:r><w:t xml:space="preserve"> end</w:t></w:r>'
                    '<w:r><w:endnoteReference w:id="1"/></w:r>'
                    '<w:hyperlink r:id="rUrl"><w:r><w:t xml:space="preserve"> a link</w:t></w:r></w:hyperlink>'),
        {"footnotes": ["A footnote."], "endnotes": ["An endnote."], "relationships": LINK_REL}),
    "symbol_font": (
        m.paragraph('<w:r><w:t xml:space="preserve">Angle </w:t></w:r><w:r><w:rPr>'
                    '<w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr><w:t>\uf061\uf0b3</w:t></w:r>'
                    '<w:r><w:t xml:space="preserve"> 90°</w:t></w:r>'), {}),
    "image_alt": (
        m.paragraph(m.image_run("rImg", "A red square")),
        {"relationships": IMAGE_REL, "media": {"dot.png": m.png()}}),
}


# Fragments too short for py3langid to be sure of their language: und, and a warning.
UNSURE_LANGUAGE = {"headings_localized", "notes_and_emphasis"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=[pytest.mark.warns] if n in UNSURE_LANGUAGE else [])
                                  for n in sorted(CASES)])
def test_fragment(name, normalised, tmp_path, update_golden):
    body, kwargs = CASES[name]
    path = tmp_path / f"{name}.docx"
    path.write_bytes(m.docx(body, **kwargs))
    tree, _assets = normalised(path)
    assert_golden(body_fragment(tree), FIXTURES / "docx" / f"{name}.docx.expected.xml", update_golden)


def test_image_copied_with_alt_text(normalised, tmp_path):
    body, kwargs = CASES["image_alt"]
    path = tmp_path / "pic.docx"
    path.write_bytes(m.docx(body, **kwargs))
    tree, assets = normalised(path)
    assert [data for _name, data in assets] == [m.png()]
    assert first_text(tree.getroot(), "//tei:figDesc") == "A red square"


def test_symbol_font_characters_are_regularised(normalised, tmp_path):
    body, kwargs = CASES["symbol_font"]
    path = tmp_path / "symbol.docx"
    path.write_bytes(m.docx(body, **kwargs))
    root = normalised(path)[0].getroot()
    assert xpath(root, "//tei:choice/tei:reg/text()") == ["α", "≥"]
    assert xpath(root, "//tei:choice/tei:orig/text()") == ["\uf061", "\uf0b3"]


def test_core_properties(normalised, tmp_path):
    path = tmp_path / "meta.docx"
    path.write_bytes(m.docx(m.paragraph("Body."), core_xml=m.core(
        "Annual report", "Ann Author; Bo Author", "2021-03-04T05:06:07Z", "de-DE")))
    root = normalised(path)[0].getroot()
    assert first_text(root, "//tei:titleStmt/tei:title") == "Annual report"
    assert [a.text for a in xpath(root, "//tei:titleStmt/tei:author")] == ["Ann Author", "Bo Author"]
    assert xpath(root, "string(//tei:sourceDesc//tei:date/@when)") == "2021-03-04"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "de-DE"
    assert first_text(root, "//tei:sourceDesc//tei:note[@type='mediaType']") == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert not xpath(root, "//tei:sourceDesc//tei:note[@type='characterEncoding']")


@pytest.mark.warns
def test_linked_image_is_never_fetched(normalised, tmp_path):
    path = tmp_path / "linked.docx"
    path.write_bytes(m.docx(m.paragraph(m.image_run("rLink", "Linked picture", linked=True)),
                            relationships=LINKED_REL))
    with warnings_logged() as records:
        tree, assets = normalised(path)
    assert assets == ()
    assert "root:" not in "".join(tree.getroot().itertext())
    assert any("linked (external) image is never fetched" in r.getMessage() for r in records)
    assert first_text(tree.getroot(), "//tei:figDesc") == "Linked picture"


@pytest.mark.parametrize("data, error, message", [
    (b"Just some text, not a zip.", UnsupportedFormatError, "content is not docx"),
    (b"PK\x03\x04 truncated", InputError, "not a readable zip package"),
])
def test_not_a_docx(options, tmp_path, data, error, message):
    from publish.normalise import normalise_file
    path = tmp_path / "fake.docx"
    path.write_bytes(data)
    with pytest.raises(error, match=message):
        normalise_file(path, options)


def test_zip_without_a_word_document(options, tmp_path):
    import io
    import zipfile

    from publish.normalise import normalise_file
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    path = tmp_path / "other.docx"
    path.write_bytes(buffer.getvalue())
    # Siegfried sees a plain zip before the DOCX reader looks inside (publish/pronom.py).
    with pytest.raises(UnsupportedFormatError, match=r"ZIP Format \(x-fmt/263\), not a Word OOXML document"):
        normalise_file(path, options)


def test_dtd_in_a_part_is_refused(options, tmp_path):
    from publish.normalise import normalise_file
    data = m.docx(m.paragraph("x"))
    import io
    import zipfile
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            archive.writestr(info, content)
    path = tmp_path / "dtd.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match="declares a DTD"):
        normalise_file(path, options)


def test_localized_corpus_styles(normalised):
    """pandoc's i18n_blocks.docx: headings and quotation under localized style ids."""
    root = normalised(shared_path(CORPUS / "pandoc" / "i18n_blocks.docx"))[0].getroot()
    assert xpath(root, "//tei:head/text()") == ["This is Heading 1", "This is Heading 2"]
    assert xpath(root, "count(//tei:quote/tei:p)") == 2
    assert xpath(root, "count(//tei:list/tei:item)") == 2
