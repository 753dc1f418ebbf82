"""publish.langid over the multilingual corpus in fixtures/scripts/ (UDHR texts; see SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish import langid

CORPUS = Path(__file__).resolve().parent / "fixtures" / "scripts"
TEXTS = sorted(CORPUS.glob("*.txt"))

# The texts for the 25 most used languages, named as their files are.
MOST_USED = [
    "en-Latn", "zh-Hans", "zh-Hant", "hi-Deva", "es-Latn", "fr-Latn", "ar-Arab",
    "bn-Beng", "pt-Latn", "ru-Cyrl", "ur-Arab", "id-Latn", "de-Latn", "ja-Jpan",
    "sw-Latn", "mr-Deva", "te-Telu", "tr-Latn", "ta-Taml", "vi-Latn", "ko-Kore",
    "it-Latn", "th-Thai", "gu-Gujr", "fa-Arab", "pl-Latn",
]
RTL = ["ar-Arab", "fa-Arab", "ur-Arab", "he-Hebr", "yi-Hebr", "dv-Thaa",
       "nqo-Nkoo", "aii-Syrc", "ff-Adlm"]
# Scripts the issue requires the corpus to have (Hans/Hant are both Hani).
REQUIRED_SCRIPTS = {
    "Latn", "Cyrl", "Grek", "Armn", "Geor", "Hebr", "Arab", "Thaa", "Nkoo", "Syrc",
    "Deva", "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda", "Mlym", "Sinh",
    "Thai", "Laoo", "Khmr", "Mymr", "Tibt", "Mong", "Ethi", "Tfng", "Cher", "Cans",
    "Yiii", "Hani", "Jpan", "Kore",
}


def text(stem: str) -> str:
    return (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")


def expected_script(stem: str) -> str:
    script = stem.split("-")[1]
    return "Hani" if script in ("Hans", "Hant") else script


def test_corpus_has_every_required_script_and_is_small():
    found = {expected_script(p.stem) for p in TEXTS}
    assert REQUIRED_SCRIPTS <= found, REQUIRED_SCRIPTS - found
    assert len(found) >= 35
    assert sum(p.stat().st_size for p in TEXTS) < 200_000


def test_corpus_has_an_extension_b_character():
    assert any(0x20000 <= ord(c) <= 0x2A6DF for c in text("vi-Hani"))


@pytest.mark.parametrize("stem", [p.stem for p in TEXTS])
def test_main_script(stem):
    assert langid.main_script(text(stem)) == expected_script(stem)


@pytest.mark.parametrize("stem", MOST_USED)
def test_identifies_the_most_used_languages(stem):
    found = langid.identify(text(stem))
    assert found.language == stem.split("-")[0], found
    assert found.confidence >= langid.THRESHOLD
    assert found.tool.startswith("py3langid")


@pytest.mark.parametrize("stem", [p.stem for p in TEXTS])
def test_direction_follows_script(stem):
    want = "rtl" if stem in RTL else "ltr"
    assert langid.direction(text(stem)) == want
    assert langid.script_direction(langid.main_script(text(stem))) == want


def test_rtl_table_has_the_living_rtl_scripts():
    assert {"Arab", "Hebr", "Thaa", "Nkoo", "Syrc", "Adlm", "Mand", "Samr", "Rohg"} <= langid.RTL_SCRIPTS


@pytest.mark.parametrize("stem", ["iu-Cans", "mn-Mong", "aii-Syrc", "vi-Hani", "zgh-Tfng"])
def test_unknown_language_in_its_own_script_is_und(stem):
    # py3langid knows none of these; it calls syllabics and Mongolian Amharic
    # with probability 1.0, which the script check refuses
    assert langid.identify(text(stem)).language == "und"


@pytest.mark.parametrize("stem,lang", [("dv-Thaa", "dv"), ("nqo-Nkoo", "nqo"), ("chr-Cher", "chr"),
                                       ("ii-Yiii", "ii"), ("vai-Vaii", "vai")])
def test_script_of_one_language_names_it(stem, lang):
    found = langid.identify(text(stem))
    assert (found.language, found.tool) == (lang, "py3langid+script")


@pytest.mark.parametrize("sample", ["", "12.3.2024", "Hi!", "— 42 —"])
def test_too_little_text_is_und(sample):
    assert langid.identify(sample) == langid.Identification("und", 0.0)


def test_first_strong_character_decides_direction():
    assert langid.direction("«123» مرحبا hello") == "rtl"
    assert langid.direction("123 hello مرحبا") == "ltr"
    assert langid.direction("123 …") == "ltr"


def test_scripts_counts_letters_only():
    assert langid.scripts("Привет, world 123!") == {"Cyrl": 6, "Latn": 5}
    assert langid.scripts("日本語のテキスト") == {"Hani": 3, "Kana": 4, "Hira": 1}
