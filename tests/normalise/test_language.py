"""The document's language from metadata or from the text (publish.normalise.language).

Real py3langid on real text: UDHR paragraphs from tests/fixtures/scripts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.metadata import Metadata
from publish.normalise import normalise_source
from publish.normalise.base import Source
from publish.tei import xml, xpath
from publish.tei.validate import first_error

SCRIPTS = Path(__file__).resolve().parents[1] / "fixtures" / "scripts"


def paragraphs(stem: str) -> list[str]:
    return [p for p in (SCRIPTS / f"{stem}.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]


# An English report quoting Article 1 in Russian (both from the UDHR texts).
MIXED = "\n\n".join([paragraphs("en-Latn")[0], paragraphs("en-Latn")[2], paragraphs("ru-Cyrl")[2],
                     paragraphs("en-Latn")[4]]) + "\n"


def normalise(text: str, options, name="doc.txt", sidecar=None):
    source = Source(Path(name), text.encode("utf-8"), sidecar or Metadata())
    return normalise_source(source, options)


def test_identified_language_is_recorded_with_tool_and_confidence(options, tei_all):
    tree = normalise((SCRIPTS / "ar-Arab.txt").read_text(encoding="utf-8"), options)
    root = tree.getroot()
    assert root.get(xml("lang")) == "ar"
    language = xpath(root, "//tei:langUsage/tei:language")[0]
    assert (language.get("ident"), language.get("resp")) == ("ar", "#py3langid")
    assert float(language.get("cert")) >= 0.60
    application = xpath(root, "//tei:appInfo/tei:application[@ident='py3langid']")[0]
    assert application.get(xml("id")) == "py3langid" and application.get("version") >= "0.4.0"
    record = xpath(root, "//tei:editorialDecl/tei:interpretation/tei:p")[0].text
    assert "identified automatically from the text by py3langid" in record and "Arabic (ar)" in record
    assert first_error(tei_all, tree) is None


def test_the_sidecar_wins_and_nothing_is_identified(options):
    root = normalise((SCRIPTS / "ar-Arab.txt").read_text(encoding="utf-8"), options,
                     sidecar=Metadata(language="ar-EG")).getroot()
    assert root.get(xml("lang")) == "ar-EG"
    assert xpath(root, "//tei:langUsage/tei:language")[0].get("resp") is None
    assert not xpath(root, "//tei:application[@ident='py3langid']")
    assert not xpath(root, "//tei:interpretation")


def test_the_documents_own_metadata_wins(options):
    html = f"<html lang='de'><body><p>{paragraphs('ru-Cyrl')[2]}</p></body></html>"
    source = Source(Path("page.html"), html.encode("utf-8"))
    root = normalise_source(source, options).getroot()
    assert root.get(xml("lang")) == "de"  # what the page says, even if wrong
    assert xpath(root, "//tei:langUsage/tei:language")[0].get("cert") is None


def test_a_mixed_report_keeps_the_quoted_paragraphs_language(options, tei_all):
    tree = normalise(MIXED, options)
    root = tree.getroot()
    assert root.get(xml("lang")) == "en"
    marked = {p.get(xml("lang")) for p in xpath(root, "//tei:body/tei:p[@xml:lang]")}
    assert marked == {"ru"}
    russian = xpath(root, "//tei:body/tei:p[@xml:lang='ru']")[0]
    assert russian.text.startswith(paragraphs("ru-Cyrl")[2][:20])
    assert [lang.get("ident") for lang in xpath(root, "//tei:langUsage/tei:language")][1:] == ["ru"]
    assert first_error(tei_all, tree) is None


@pytest.mark.warns
def test_unsure_is_und_and_a_warning_naming_the_file(options, caplog):
    text = (SCRIPTS / "iu-Cans.txt").read_text(encoding="utf-8")
    root = normalise(text, options, name="inuktitut.txt").getroot()
    assert root.get(xml("lang")) == "und"
    assert "inuktitut.txt: the language could not be identified" in caplog.text
    assert "recorded as und" in xpath(root, "//tei:interpretation/tei:p")[0].text


def test_a_script_of_one_language_names_it(options):
    root = normalise((SCRIPTS / "dv-Thaa.txt").read_text(encoding="utf-8"), options).getroot()
    assert root.get(xml("lang")) == "dv"
    assert "taken from the script" in xpath(root, "//tei:interpretation/tei:p")[0].text
